// The protocols' less travelled paths, on variations of the generated cassettes: every way a
// batch can end, cancels, unreadable answers, and polls that fail for a while.
import t from 'tap';
import { anthropicBatchProtocol } from '../../../src/batch/api/anthropic.js';
import { geminiBatchProtocol } from '../../../src/batch/api/gemini.js';
import { openAIBatchProtocol } from '../../../src/batch/api/openai.js';
import { byId, loadExchanges, runLane } from './harness.js';
import { exchange } from './tools/make-batch-cassettes.js';
import { ANTHROPIC_LINES, GEMINI_LINES, OPENAI_LINES } from './scenarios.js';

const GEMINI = 'https://generativelanguage.googleapis.com/v1beta';
const ANTHROPIC = 'https://api.anthropic.com/v1/messages';
const OPENAI = 'https://api.openai.com/v1';

const geminiOp = (state: string, extra: object = {}): string => JSON.stringify({ name: 'batches/gb-1', metadata: { state, ...extra } });

t.test('Gemini: expired, cancelled and failed batches give every request that reason', async (t) => {
  const create = loadExchanges('gemini-batch').slice(0, 1);
  for (const [state, category] of [['BATCH_STATE_EXPIRED', 'timeout'], ['BATCH_STATE_CANCELLED', 'cancelled'], ['BATCH_STATE_FAILED', 'server']] as const) {
    const ended = exchange('GET', `${GEMINI}/batches/gb-1`, undefined, 200, JSON.stringify({ name: 'batches/gb-1', metadata: { state }, error: { message: 'quota' } }));
    const run = await runLane({ dir: t.testdir(), cassette: [...create, ended], lines: GEMINI_LINES });
    t.ok(run.result.isOk());
    t.ok(run.records.every((record) => record.error?.category === category), `${state}: ${category}`);
  }
  t.match(geminiBatchProtocol.missing({ status: 'BATCH_STATE_FAILED', ended: true, detail: { error: { message: 'quota' } } }), { category: 'server', message: /failed: quota/, retryable: true });
  t.match(geminiBatchProtocol.missing({ status: 'BATCH_STATE_SUCCEEDED', ended: true, detail: {} }), { category: 'protocol' });
});

t.test('Gemini: results in a file are refused with a clear message; responses without keys map by position; cancel', async (t) => {
  const create = loadExchanges('gemini-batch').slice(0, 1);
  const toFile = exchange('GET', `${GEMINI}/batches/gb-1`, undefined, 200, geminiOp('BATCH_STATE_SUCCEEDED', { output: { responsesFile: 'files/out' } }));
  const file = await runLane({ dir: t.testdir(), cassette: [...create, toFile], lines: GEMINI_LINES });
  t.match(file.result.isErr() && file.result.error, { kind: 'batch_api', message: /wrote its results to a file/ });
  const answer = loadExchanges('gemini-live')[0]!.chunks[0]!.bytes.toString();
  const unkeyed = exchange('GET', `${GEMINI}/batches/gb-1`, undefined, 200, JSON.stringify({ name: 'batches/gb-1', done: true, response: { inlinedResponses: { inlinedResponses: [{ response: JSON.parse(answer) }, { error: { code: 429, message: 'slow down' } }] } } }));
  const byPosition = await runLane({ dir: t.testdir(), cassette: [...create, unkeyed], lines: GEMINI_LINES });
  const records = byId(byPosition.records);
  t.match(records.get('g-1'), { ok: true, response: { text: '101' } });
  t.match(records.get('g-2'), { ok: false, error: { category: 'rate_limit', httpStatus: 429 } });
  const dir = t.testdir();
  const running = exchange('GET', `${GEMINI}/batches/gb-1`, undefined, 200, geminiOp('BATCH_STATE_RUNNING'));
  await runLane({ dir, cassette: [...create, running], lines: GEMINI_LINES, stopAfterRounds: 1 });
  const cancel = exchange('POST', `${GEMINI}/batches/gb-1:cancel`, '{}', 200, '{}');
  const cancelled = exchange('GET', `${GEMINI}/batches/gb-1`, undefined, 200, geminiOp('BATCH_STATE_CANCELLED'));
  const after = await runLane({ dir, cassette: [cancel, cancelled], lines: GEMINI_LINES, options: { cancel: true } });
  t.same(after.sent, ['POST /v1beta/batches/gb-1:cancel', 'GET /v1beta/batches/gb-1']);
  t.ok(after.records.every((record) => record.error?.category === 'cancelled'));
});

t.test('Anthropic: canceled results, an unknown result type, and cancel', async (t) => {
  const dir = t.testdir();
  const create = loadExchanges('anthropic-batch').slice(0, 2);
  await runLane({ dir, cassette: create, lines: ANTHROPIC_LINES, stopAfterRounds: 1 });
  const batch = (status: string, extra: object = {}): string => JSON.stringify({ id: 'msgbatch_01', processing_status: status, ...extra });
  const results = `${ANTHROPIC}/batches/msgbatch_01/results`;
  const lines = [
    { custom_id: 'r0', result: { type: 'canceled' } },
    { custom_id: 'r1', result: { type: 'paused' } },
    { custom_id: 'r2', result: { type: 'errored', error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_9' } } },
  ];
  const after = await runLane({
    dir,
    cassette: [
      exchange('POST', `${ANTHROPIC}/batches/msgbatch_01/cancel`, '{}', 200, batch('canceling')),
      exchange('GET', `${ANTHROPIC}/batches/msgbatch_01`, undefined, 200, batch('ended', { results_url: results })),
      exchange('GET', results, undefined, 200, lines.map((line) => JSON.stringify(line)).join('\n')),
    ],
    lines: ANTHROPIC_LINES,
    options: { cancel: true },
  });
  const records = byId(after.records);
  t.match(records.get('haiku-1'), { error: { category: 'cancelled' } });
  t.match(records.get('haiku-2'), { error: { category: 'protocol', message: /unknown type "paused"/ } });
  t.match(records.get('haiku-3'), { error: { category: 'server', retryable: true }, requestId: 'req_9' });
  t.match(anthropicBatchProtocol.missing({ status: 'ended', ended: true, detail: {} }), { category: 'protocol' });
});

t.test('OpenAI: a batch that failed validation names its errors; error-file codes map to categories', async (t) => {
  const create = loadExchanges('openai-batch').slice(0, 2);
  const failed = exchange('GET', `${OPENAI}/batches/batch_ok`, undefined, 200, JSON.stringify({ id: 'batch_ok', status: 'failed', errors: { data: [{ line: 1, message: 'Model gpt-x not found', code: 'model_not_found' }] } }));
  const run = await runLane({ dir: t.testdir(), cassette: [...create, failed], lines: OPENAI_LINES });
  t.ok(run.records.every((record) => record.error?.category === 'invalid_arg' && /line 1: Model gpt-x not found/.test(record.error.message)));
  const done = exchange('GET', `${OPENAI}/batches/batch_ok`, undefined, 200, JSON.stringify({ id: 'batch_ok', status: 'completed', error_file_id: 'file-e' }));
  const errors = [
    { custom_id: 'r0', response: null, error: { code: 'batch_cancelled', message: 'cancelled' } },
    { custom_id: 'r1', response: null, error: { code: 'weird', message: 'who knows' } },
  ];
  const file = exchange('GET', `${OPENAI}/files/file-e/content`, undefined, 200, errors.map((line) => JSON.stringify(line)).join('\n'));
  const mapped = byId((await runLane({ dir: t.testdir(), cassette: [...create, done, file], lines: OPENAI_LINES })).records);
  t.match(mapped.get('capital-ch'), { error: { category: 'cancelled' } });
  t.match(mapped.get('capital-fr'), { error: { category: 'unknown', message: /who knows \(weird\)/ } });
  t.match(mapped.get('too-long'), { error: { category: 'protocol', message: /ended \(completed\) without a result/ } });
  t.match(openAIBatchProtocol.missing({ status: 'failed', ended: true, detail: {} }), { message: /failed validation$/ });
});

t.test('a poll that fails for a while waits for the next round; a download that is not JSONL stops the run', async (t) => {
  const create = loadExchanges('openai-batch').slice(0, 2);
  const busy = exchange('GET', `${OPENAI}/batches/batch_ok`, undefined, 503, JSON.stringify({ error: { message: 'busy', type: 'server_error' } }));
  const logs: string[] = [];
  const polls = loadExchanges('openai-batch').slice(3);
  const run = await runLane({ dir: t.testdir(), cassette: [...create, busy, busy, busy, ...polls], lines: OPENAI_LINES, maxRetries: 0, options: { log: (line) => logs.push(line), poll: { initialMs: 1000, factor: 3, maxMs: 2000 } } });
  t.ok(run.result.isOk(), run.result.isErr() ? run.result.error.message : '');
  t.ok(logs.some((line) => /poll failed \(server\), trying again next round/.test(line)));
  t.equal(run.records.length, 3);
  t.same(run.sleeps, [1000, 2000, 2000], 'three failed rounds, then done; the backoff is capped');
  const broken = exchange('GET', `${OPENAI}/files/file-out-1/content`, undefined, 200, 'not json\n');
  const stop = await runLane({ dir: t.testdir(), cassette: [...create, polls[0]!, broken], lines: OPENAI_LINES });
  t.match(stop.result.isErr() && stop.result.error, { kind: 'batch_api', message: /output_file_id: line 1 is not JSON/ });
  t.equal(stop.records.length, 0, 'nothing written from a download it could not read');
  t.match(stop.manifest.batches, [{ collected: false }], 'the batch stays to be collected by a later run');
});
