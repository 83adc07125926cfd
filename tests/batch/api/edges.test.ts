import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitBatches } from '../../../src/batch/api/split.js';
import { openAIBatchProtocol } from '../../../src/batch/api/openai.js';
import { anthropicBatchProtocol } from '../../../src/batch/api/anthropic.js';
import { byId, runLane } from './harness.js';
import { exchange, openAICreate, preparedItems } from './tools/make-batch-cassettes.js';
import { inputText, OPENAI_LINES, type ScenarioLine } from './scenarios.js';

const OPENAI = 'https://api.openai.com/v1';

t.test('splitting: within the request and byte limits, one group per endpoint and model, input order kept', async (t) => {
  const lines: ScenarioLine[] = [];
  for (let i = 0; i < 5; i++) lines.push({ id: `a${i}`, provider: 'openai', request: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `q${i}` }] } });
  lines.push({ id: 'b0', provider: 'openai', request: { model: 'gpt-4o', messages: [{ role: 'user', content: 'other model' }] } });
  const items = preparedItems(lines);
  const byCount = splitBatches(openAIBatchProtocol, items, { maxRequests: 2, maxBytes: 1e9 });
  t.same(byCount.batches.map((batch) => batch.items.map((item) => item.item.id)), [['a0', 'a1'], ['a2', 'a3'], ['a4'], ['b0']]);
  const one = openAIBatchProtocol.size('r0', items[0]!);
  const byBytes = splitBatches(openAIBatchProtocol, items.slice(0, 3), { maxRequests: 100, maxBytes: one * 2 + 2 });
  t.same(byBytes.batches.map((batch) => batch.items.length), [2, 1], 'a batch holds what fits in its bytes');
  const tiny = splitBatches(openAIBatchProtocol, items.slice(0, 2), { maxRequests: 100, maxBytes: 10 });
  t.equal(tiny.batches.length, 0);
  t.equal(tiny.oversized.length, 2, 'an item larger than a batch is set apart, not sent');
  const mixed = splitBatches(anthropicBatchProtocol, preparedItems([
    { id: 'x', provider: 'anthropic', request: { model: 'claude-haiku-4-5', maxOutputTokens: 10, messages: [{ role: 'user', content: 'x' }] } },
    { id: 'y', provider: 'anthropic', request: { model: 'claude-sonnet-4-5', maxOutputTokens: 10, messages: [{ role: 'user', content: 'y' }] } },
  ]));
  t.equal(mixed.batches.length, 1, 'Anthropic batches may mix models');
});

t.test('a refused create: every request of the batch gets the error; nothing is listed as submitted', async (t) => {
  const [upload] = openAICreate('unused');
  const refused = exchange('POST', `${OPENAI}/files`, undefined, 400, JSON.stringify({ error: { message: 'File is too large', type: 'invalid_request_error', code: 'file_too_large' } }));
  const run = await runLane({ dir: t.testdir(), cassette: [{ ...refused, request: upload!.request }], lines: OPENAI_LINES });
  t.ok(run.result.isOk());
  t.equal(run.records.length, 3);
  t.ok(run.records.every((record) => record.error?.category === 'invalid_arg' && record.error.httpStatus === 400));
  t.same(run.manifest.batches, []);
  t.equal(run.manifest.counts.failed, 3);
});

t.test('a key the provider refuses stops the job (every request would fail alike)', async (t) => {
  const [upload] = openAICreate('unused');
  const refused = exchange('POST', `${OPENAI}/files`, undefined, 401, JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }));
  const run = await runLane({ dir: t.testdir(), cassette: [{ ...refused, request: upload!.request }], lines: OPENAI_LINES });
  t.match(run.result.isErr() && run.result.error, { kind: 'auth', message: /Incorrect API key/ });
  t.equal(run.records.length, 0, 'no records: a resumed run with a good key sends them all');
});

t.test('a batch the provider no longer knows (404 on poll): its requests end not_found and the run finishes', async (t) => {
  const gone = exchange('GET', `${OPENAI}/batches/batch_gone`, undefined, 404, JSON.stringify({ error: { message: 'No batch found with id batch_gone', type: 'invalid_request_error', code: null } }));
  const create = openAICreate('batch_gone');
  const run = await runLane({ dir: t.testdir(), cassette: [...create, gone], lines: OPENAI_LINES });
  t.ok(run.result.isOk());
  t.ok(run.records.every((record) => record.error?.category === 'not_found'));
  t.match(run.manifest.batches, [{ status: 'not_found', collected: true }]);
});

t.test('an answer that is not JSON is a protocol error for the batch requests, not a crash', async (t) => {
  const [upload] = openAICreate('unused');
  const html = exchange('POST', `${OPENAI}/files`, undefined, 200, '<html>proxy</html>', 'text/html');
  const run = await runLane({ dir: t.testdir(), cassette: [{ ...html, request: upload!.request }], lines: OPENAI_LINES });
  t.ok(run.result.isOk());
  t.ok(run.records.every((record) => record.error?.category === 'protocol' && /no JSON object/.test(record.error.message)));
});

t.test('bad lines become invalid_input records of this lane, and nothing is sent', async (t) => {
  const text = `${inputText(OPENAI_LINES.slice(0, 0))}not json\n${JSON.stringify({ id: 'no-messages', request: { messages: [] } })}\n`;
  const run = await runLane({ dir: t.testdir(), cassette: [], lines: [], inputText: text });
  t.ok(run.result.isOk());
  t.equal(run.records.length, 2);
  t.ok(run.records.every((record) => record.error?.category === 'invalid_input' && record.lane === 'batch-api'));
  t.same(run.sent, []);
  t.match(run.manifest, { complete: true, counts: { invalid: 2 } });
});

t.test('a manifest listing open batches of another input is refused before anything is sent', async (t) => {
  const dir = t.testdir();
  const first = await runLane({ dir, cassette: 'openai-batch', lines: OPENAI_LINES, stopAfterRounds: 1 });
  t.equal(first.manifest.batches.length, 1);
  writeFileSync(join(dir, 'in.jsonl'), inputText(OPENAI_LINES.slice(0, 1)));
  const second = await runLane({ dir, cassette: 'openai-batch', lines: OPENAI_LINES.slice(0, 1) });
  t.ok(second.result.isErr());
  t.match(second.result.isErr() && second.result.error, { kind: 'invalid_option', message: /another input/ });
  t.same(second.sent, []);
});

t.test('a missing input file is an io failure', async (t) => {
  const { runBatchApi } = await import('../../../src/batch/api/run.js');
  const dir = t.testdir();
  const result = await runBatchApi({ input: join(dir, 'nope.jsonl'), output: join(dir, 'out.jsonl') });
  t.match(result.isErr() && result.error, { kind: 'io', message: /nope\.jsonl/ });
});

t.test('a provider with no key stops the job before anything is sent', async (t) => {
  const dir = t.testdir();
  const run = await runLane({ dir, cassette: [], lines: OPENAI_LINES.slice(0, 1), options: { providers: { openai: { env: {} } } } });
  t.match(run.result.isErr() && run.result.error, { kind: 'auth', message: /^openai: .*OPENAI_API_KEY/ });
  t.same(run.sent, []);
});

t.test('a request larger than a batch may be is an error record, and nothing is sent', async (t) => {
  const run = await runLane({ dir: t.testdir(), cassette: [], lines: OPENAI_LINES, options: { limits: { openai: { maxRequests: 10, maxBytes: 50 } } } });
  t.ok(run.result.isOk());
  t.same(run.sent, []);
  t.ok(run.records.every((record) => record.error?.category === 'invalid_arg' && /larger than a openai batch may be \(50 bytes\)/.test(record.error.message)));
});

t.test('--retry-errors moves the failed record aside and submits only that request again', async (t) => {
  const dir = t.testdir();
  await runLane({ dir, cassette: 'openai-batch', lines: OPENAI_LINES });
  const again = await runLane({ dir, cassette: [], lines: OPENAI_LINES, options: { retryErrors: true } });
  t.same(again.sent, ['POST /v1/files'], 'one upload, for the failed request alone (the empty cassette refuses it)');
  t.equal(again.records.length, 3, 'still one record per id');
  t.match(byId(again.records).get('too-long'), { ok: false, error: { message: /VCR/ } });
  t.match(byId(again.records).get('capital-ch'), { ok: true });
});

t.test('the default wait runs on the engine clock and the signal cuts it short', async (t) => {
  const controller = new AbortController();
  const run = await runLane({
    dir: t.testdir(),
    cassette: 'openai-batch',
    lines: OPENAI_LINES,
    options: {
      sleep: undefined,
      signal: controller.signal,
      // Aborted once the first poll saw the batch running: the run returns from its wait.
      log: (line) => {
        if (/in_progress/.test(line)) setImmediate(() => controller.abort());
      },
    },
  });
  t.match(run.result.isOk() && run.result.value, { submitted: 1, pending: 1, complete: false });
  t.equal(run.records.length, 0);
});

t.test('a cancel the provider refuses is logged; the batch is still polled and collected', async (t) => {
  const dir = t.testdir();
  await runLane({ dir, cassette: 'openai-batch', lines: OPENAI_LINES, stopAfterRounds: 1 });
  const refused = exchange('POST', `${OPENAI}/batches/batch_ok/cancel`, '{}', 400, JSON.stringify({ error: { message: 'Cannot cancel a batch that is finalizing', type: 'invalid_request_error' } }));
  const logs: string[] = [];
  const rest = (await import('./harness.js')).loadExchanges('openai-batch').slice(3);
  const run = await runLane({ dir, cassette: [refused, ...rest], lines: OPENAI_LINES, options: { cancel: true, log: (line) => logs.push(line) } });
  t.ok(logs.some((line) => /cancel failed \(invalid_arg\)/.test(line)));
  t.equal(run.records.length, 3);
});

t.test('a batch create is sent once: a 503 is not retried (a retry could start a second, billed batch)', async (t) => {
  const [upload, create] = openAICreate('unused');
  const busy = { ...exchange('POST', `${OPENAI}/batches`, undefined, 503, JSON.stringify({ error: { message: 'busy', type: 'server_error' } })), request: create!.request };
  const run = await runLane({ dir: t.testdir(), cassette: [upload!, busy, busy], lines: OPENAI_LINES });
  t.same(run.sent, ['POST /v1/files', 'POST /v1/batches'], 'one create, no retry');
  t.ok(run.records.every((record) => record.error?.category === 'server' && record.error.retryable));
  t.equal(run.dispatcher.unusedExchanges().length, 1);
});
