import { constants } from 'node:buffer';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { openJob } from '../../../src/batch/job.js';
import { recoverOutput } from '../../../src/batch/output.js';

/**
 * A JavaScript string holds at most ~512 MB (MAX_STRING_LENGTH). openJob and recoverOutput
 * read the whole input or OUT and called Buffer#toString outside any try: past the limit it
 * threw ERR_STRING_TOO_LONG straight out of runBatch (a crash, not an error value), and a
 * million-record job's OUT is that large, so its resume crashed every time. Both now decide
 * from the size before reading and return a failure that says what to do. The files here
 * are sparse (truncate), so nothing that large is written or read.
 */
t.test('an input or output larger than one string is a typed failure, not an exception', async (t) => {
  const dir = t.testdir();
  const big = join(dir, 'big.jsonl');
  writeFileSync(big, '');
  truncateSync(big, constants.MAX_STRING_LENGTH + 1);
  const small = join(dir, 'small.jsonl');
  writeFileSync(small, `${JSON.stringify({ id: 'a', request: { messages: [{ role: 'user', content: 'hi' }] } })}\n`);
  let job: ReturnType<typeof openJob> | undefined;
  t.doesNotThrow(() => {
    job = openJob({ input: big, output: join(dir, 'out.jsonl') });
  });
  t.match(job?.isErr() === true && job.error, { kind: 'io', message: /big\.jsonl is \d+ bytes, more than one file llmux batch reads whole/ });
  let resumed: ReturnType<typeof openJob> | undefined;
  t.doesNotThrow(() => {
    resumed = openJob({ input: small, output: big, resume: true });
  });
  t.match(resumed?.isErr() === true && resumed.error, { kind: 'io', message: /split the job/ });
  t.match(recoverOutput(big)._unsafeUnwrapErr(), { kind: 'io' });
  t.same(recoverOutput(join(dir, 'missing.jsonl'))._unsafeUnwrap(), { records: [], validBytes: 0, tornBytes: 0 }, 'a missing OUT is still an empty one');
  t.match(openJob({ input: join(dir, 'nope.jsonl'), output: join(dir, 'o.jsonl') })._unsafeUnwrapErr(), { kind: 'io', message: /could not read .*nope\.jsonl: ENOENT/ });
});
