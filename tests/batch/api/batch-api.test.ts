import t from 'tap';
import { byId, runLane } from './harness.js';
import { ANTHROPIC_LINES, GEMINI_LINES, OPENAI_LINES } from './scenarios.js';

t.test('OpenAI: upload, create, poll in progress, poll done, download answers and errors', async (t) => {
  const run = await runLane({ dir: t.testdir(), cassette: 'openai-batch', lines: OPENAI_LINES });
  t.ok(run.result.isOk(), run.result.isErr() ? run.result.error.message : 'ok');
  t.same(run.sent, [
    'POST /v1/files',
    'POST /v1/batches',
    'GET /v1/batches/batch_ok',
    'GET /v1/batches/batch_ok',
    'GET /v1/files/file-out-1/content',
    'GET /v1/files/file-err-1/content',
  ]);
  t.same(run.sleeps, [10_000], 'one wait between the in-progress poll and the done one');
  t.equal(run.dispatcher.unusedExchanges().length, 0);
  const records = byId(run.records);
  t.equal(run.records.length, 3, 'one record per id');
  t.match(records.get('capital-ch'), { ok: true, lane: 'batch-api', provider: 'openai', model: 'gpt-4o-mini', requestId: 'req_capital-ch', response: { text: 'Bern', finishReason: 'stop' }, usage: { input: 14, output: 2 } });
  // gpt-4o-mini at half price: (14 x 0.15 + 2 x 0.60) / 2 per million = 1.65 per million.
  t.equal(records.get('capital-ch')?.cost, 0.00000165);
  t.match(records.get('too-long'), { ok: false, error: { category: 'invalid_arg', httpStatus: 400, message: /max_tokens is too large/ }, requestId: 'req_too_long', cost: null });
  t.match(run.manifest, { lane: 'batch-api', complete: true, counts: { ok: 2, failed: 1, invalid: 0 }, batches: [{ provider: 'openai', batchId: 'batch_ok', inputFileId: 'file-in-1', ids: ['capital-ch', 'capital-fr', 'too-long'], status: 'completed', collected: true }] });
  t.match(run.result.isOk() && run.result.value, { submitted: 1, resumed: 0, pending: 0, complete: true });
});

t.test('OpenAI: an expired batch keeps what finished; the rest are timeout records', async (t) => {
  const run = await runLane({ dir: t.testdir(), cassette: 'openai-expired', lines: OPENAI_LINES });
  t.ok(run.result.isOk());
  const records = byId(run.records);
  t.match(records.get('capital-ch'), { ok: true, response: { text: 'Bern' } });
  t.match(records.get('capital-fr'), { ok: false, error: { category: 'timeout', retryable: true, message: /completion window expired.*batch_expired/ } });
  t.match(records.get('too-long'), { ok: false, error: { category: 'timeout', message: /expired \(24 h window\)/ } }, 'a request with no line at all gets the batch status as its reason');
  t.match(run.manifest.batches, [{ status: 'expired', collected: true }]);
});

t.test('a restart after submission polls the recorded batch and never submits again', async (t) => {
  const dir = t.testdir();
  const first = await runLane({ dir, cassette: 'openai-batch', lines: OPENAI_LINES, stopAfterRounds: 1 });
  t.same(first.sent, ['POST /v1/files', 'POST /v1/batches', 'GET /v1/batches/batch_ok']);
  t.equal(first.records.length, 0, 'nothing collected yet');
  t.match(first.manifest, { complete: false, batches: [{ batchId: 'batch_ok', status: 'in_progress', collected: false }] });
  t.match(first.result.isOk() && first.result.value, { submitted: 1, pending: 1, complete: false });
  const second = await runLane({ dir, cassette: 'openai-batch', lines: OPENAI_LINES });
  t.equal(second.sent.filter((line) => line.startsWith('POST')).length, 0, 'no upload, no create');
  t.same(second.sent, ['GET /v1/batches/batch_ok', 'GET /v1/batches/batch_ok', 'GET /v1/files/file-out-1/content', 'GET /v1/files/file-err-1/content']);
  t.match(second.result.isOk() && second.result.value, { submitted: 0, resumed: 1, pending: 0, complete: true });
  t.equal(second.records.length, 3);
  // A third run finds every id done: it sends nothing at all.
  const third = await runLane({ dir, cassette: 'openai-batch', lines: OPENAI_LINES });
  t.same(third.sent, []);
  t.equal(third.records.length, 3, 'nothing written twice');
});

t.test('cancel: the submitted batch is cancelled and what it finished is collected', async (t) => {
  const dir = t.testdir();
  await runLane({ dir, cassette: 'openai-cancel', lines: OPENAI_LINES, stopAfterRounds: 1 });
  const cancelled = await runLane({ dir, cassette: 'openai-cancel', lines: OPENAI_LINES, options: { cancel: true } });
  t.ok(cancelled.sent.includes('POST /v1/batches/batch_can/cancel'));
  t.notOk(cancelled.sent.includes('POST /v1/batches'), 'nothing new submitted');
  const records = byId(cancelled.records);
  t.match(records.get('capital-ch'), { ok: true });
  t.match(records.get('capital-fr'), { ok: false, error: { category: 'cancelled', retryable: false } });
  t.match(cancelled.manifest.batches, [{ status: 'cancelled', collected: true }]);
});

t.test('Anthropic: one create, polls, and a results file with succeeded, errored and expired requests', async (t) => {
  const run = await runLane({ dir: t.testdir(), cassette: 'anthropic-batch', lines: ANTHROPIC_LINES });
  t.ok(run.result.isOk(), run.result.isErr() ? run.result.error.message : 'ok');
  t.same(run.sent, ['POST /v1/messages/batches', 'GET /v1/messages/batches/msgbatch_01', 'GET /v1/messages/batches/msgbatch_01', 'GET /v1/messages/batches/msgbatch_01/results']);
  const records = byId(run.records);
  t.match(records.get('haiku-1'), { ok: true, model: 'claude-haiku-4-5', response: { model: 'claude-haiku-4-5-20251001', finishReason: 'stop', text: /^Requests in a line/ }, usage: { input: 18, output: 21 } });
  // claude-haiku-4-5 at half price: (18 x 1 + 21 x 5) / 2 = 61.5 per million.
  t.equal(records.get('haiku-1')?.cost, 0.0000615);
  t.match(records.get('haiku-2'), { ok: false, error: { category: 'invalid_arg', httpStatus: 400, message: /too small/ } });
  t.match(records.get('haiku-3'), { ok: false, error: { category: 'timeout', message: /expired/ } });
  t.match(run.manifest.batches, [{ batchId: 'msgbatch_01', status: 'ended', collected: true, inputFileId: null }]);
});

t.test('Gemini: inline requests, a long-running batch, inlined responses and errors', async (t) => {
  const run = await runLane({ dir: t.testdir(), cassette: 'gemini-batch', lines: GEMINI_LINES });
  t.ok(run.result.isOk(), run.result.isErr() ? run.result.error.message : 'ok');
  t.same(run.sent, ['POST /v1beta/models/gemini-2.5-flash:batchGenerateContent', 'GET /v1beta/batches/gb-1', 'GET /v1beta/batches/gb-1']);
  const records = byId(run.records);
  t.match(records.get('g-1'), { ok: true, response: { text: '101', finishReason: 'stop' }, usage: { input: 9, output: 1 } });
  t.match(records.get('g-2'), { ok: false, error: { category: 'invalid_arg', httpStatus: 400, message: /invalid argument/ } });
  t.match(run.manifest.batches, [{ batchId: 'batches/gb-1', status: 'BATCH_STATE_SUCCEEDED', collected: true }]);
});

t.test('the cassettes on disk are what the generator writes (rerun it with --write after changing a scenario)', async (t) => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { serializeCassette } = await import('../../../src/vcr/cassette.js');
  const { batchCassettes, BATCH_CASSETTE_DIR } = await import('./tools/make-batch-cassettes.js');
  for (const [name, exchanges] of Object.entries(batchCassettes())) {
    t.equal(readFileSync(join(BATCH_CASSETTE_DIR, `${name}.jsonl`), 'utf8'), serializeCassette({ exchanges }), name);
  }
});
