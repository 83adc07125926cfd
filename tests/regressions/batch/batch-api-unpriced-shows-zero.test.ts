import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parseInput } from '../../../src/batch/input.js';
import { main } from '../../../src/cli/run.js';
import { fakeIo } from '../../cli/helpers/fake-io.js';
import { BATCH_CASSETTE_DIR } from '../../batch/api/tools/make-batch-cassettes.js';
import { inputText, OPENAI_LINES } from '../../batch/api/scenarios.js';

/**
 * The Batch API lane's closing line summed the records' costs and printed
 * `cost $0 (+2 unpriced)` when no answer had a price: a cost of 0 for unknown models, which
 * the contract (and the live lane's summary, `$?`) rules out. Unknown is now `?`.
 */
t.test('--via batch-api: answers with no price give an unknown cost, never $0', async (t) => {
  const dir = t.testdir();
  const input = join(dir, 'in.jsonl');
  const output = join(dir, 'out.jsonl');
  const text = inputText(OPENAI_LINES);
  writeFileSync(input, text);
  // Every id already has an answer without a price (an unpriced model): nothing is sent.
  const records = parseInput(text)._unsafeUnwrap().entries.map((entry) => {
    if (entry.kind !== 'item') throw new Error('the scenario lines are valid');
    return { id: entry.item.id, key: entry.item.key, ok: true, provider: 'openai', model: entry.item.model, usage: null, cost: null, attempts: 1, requestId: null, startedAt: null, ms: 1, lane: 'batch-api', line: entry.item.line };
  });
  writeFileSync(output, records.map((record) => `${JSON.stringify(record)}\n`).join(''));
  const io = fakeIo();
  const code = await main(['batch', input, '-o', output, '--via', 'batch-api', '--replay', join(BATCH_CASSETTE_DIR, 'openai-batch.jsonl')], io);
  t.equal(code, 0, io.stderr.text);
  t.match(io.stderr.text, /records: 3 ok, 0 failed, 0 invalid; cost \? \(3 unpriced\)\n/);
  t.notMatch(io.stderr.text, /\$0\b/);
});
