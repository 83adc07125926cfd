// `llmux batch --via batch-api` replaying a generated cassette: offline, no key.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { main } from '../../../src/cli/run.js';
import { fakeIo } from '../../cli/helpers/fake-io.js';
import { BATCH_CASSETTE_DIR } from './tools/make-batch-cassettes.js';
import { inputText, OPENAI_LINES } from './scenarios.js';

t.test('--via batch-api --replay: the whole exchange offline, records priced at batch rates', async (t) => {
  const dir = t.testdir();
  const input = join(dir, 'in.jsonl');
  const output = join(dir, 'out.jsonl');
  writeFileSync(input, inputText(OPENAI_LINES));
  const io = fakeIo();
  const code = await main(['batch', input, '-o', output, '--via', 'batch-api', '--replay', join(BATCH_CASSETTE_DIR, 'openai-batch.jsonl')], io);
  t.equal(code, 0, io.stderr.text);
  t.match(io.stderr.text, /openai: submitted batch batch_ok \(3 requests\)/);
  t.match(io.stderr.text, /batches: 1 submitted, 0 resumed, 0 still running\nrecords: 2 ok, 1 failed, 0 invalid; cost \$0\.0000033\n/);
  const records = readFileSync(output, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { id: string; lane: string; cost: number | null });
  t.same(records.map((record) => [record.id, record.lane]), [['capital-ch', 'batch-api'], ['capital-fr', 'batch-api'], ['too-long', 'batch-api']]);
});

t.test('--cancel needs --via batch-api; --prices takes a LiteLLM file', async (t) => {
  const dir = t.testdir();
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, inputText(OPENAI_LINES));
  let io = fakeIo();
  t.equal(await main(['batch', input, '-o', join(dir, 'o.jsonl'), '--cancel'], io), 2);
  t.match(io.stderr.text, /--cancel applies to --via batch-api only/);
  const prices = join(dir, 'prices.json');
  writeFileSync(prices, JSON.stringify({ 'gpt-4o-mini': { input_cost_per_token: 1e-6, output_cost_per_token: 1e-6, litellm_provider: 'openai' } }));
  io = fakeIo();
  const output = join(dir, 'p.jsonl');
  t.equal(await main(['batch', input, '-o', output, '--via', 'batch-api', '--prices', prices, '--replay', join(BATCH_CASSETTE_DIR, 'openai-batch.jsonl')], io), 0, io.stderr.text);
  // (14 + 2) x 1 per million, halved for the batch: 8 per million each, two answers.
  t.match(io.stderr.text, /cost \$0\.000016\n/);
  io = fakeIo();
  writeFileSync(prices, '{');
  t.equal(await main(['batch', input, '-o', join(dir, 'q.jsonl'), '--prices', prices], io), 2);
  t.match(io.stderr.text, /--prices .*not JSON/);
});
