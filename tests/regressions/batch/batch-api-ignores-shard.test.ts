import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { main } from '../../../src/cli/run.js';
import { fakeIo } from '../../cli/helpers/fake-io.js';
import { BATCH_CASSETTE_DIR } from '../../batch/api/tools/make-batch-cassettes.js';
import { inputText, OPENAI_LINES } from '../../batch/api/scenarios.js';

/**
 * `--via batch-api` silently dropped the live lane's options: with `--shard 1/2` on each of
 * two machines, every machine submitted (and was billed for) the whole input, and `--strict`
 * submitted a file it should have stopped on. The Batch API lane has no shards, no --strict,
 * no streaming and no concurrency window: those flags are now refused with exit 2 before
 * anything is sent.
 */
t.test('--via batch-api refuses the options it would ignore, before sending anything', async (t) => {
  const dir = t.testdir();
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, inputText(OPENAI_LINES));
  const cassette = join(BATCH_CASSETTE_DIR, 'openai-batch.jsonl');
  for (const [flags, message] of [
    [['--shard', '1/2'], /--shard applies to the live lane only/],
    [['--strict'], /--strict applies to the live lane only/],
    [['--stream'], /--stream applies to the live lane only/],
    [['--concurrency', '4'], /--concurrency applies to the live lane only/],
  ] as const) {
    const io = fakeIo();
    const output = join(dir, `${flags[0].slice(2)}.jsonl`);
    const code = await main(['batch', input, '-o', output, '--via', 'batch-api', ...flags, '--replay', cassette], io);
    t.equal(code, 2, `${flags.join(' ')}: a usage error`);
    t.match(io.stderr.text, message);
    t.notOk(existsSync(output), `${flags.join(' ')}: nothing was submitted or written`);
  }
});
