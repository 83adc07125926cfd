import { createHash } from 'node:crypto';
import t from 'tap';
import { err, ok } from 'neverthrow';
import { providerError } from '../../src/errors/category.js';
import { VirtualClock } from '../../src/http/clock.js';
import { createOpenAIAdapter } from '../../src/providers/openai/adapter.js';
import { EngineProvider } from '../../src/providers/provider.js';
import { NO_USAGE, type ChatResponse } from '../../src/providers/types.js';
import { requestKey, toWorkerOutcome, type WorkerOutcome } from '../../src/providers/worker.js';
import { RateLimitedDispatcher } from '../helpers/rate-limited-dispatcher.js';
import { driveVirtual } from '../helpers/virtual-drive.js';

// Output files written by earlier versions are resumed by key: the key's text must not drift.
t.test('the request key is the SHA-256 of the canonical text that earlier versions hashed', async (t) => {
  const request = {
    temperature: 0.5,
    model: 'gpt-x',
    messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'é "q"' }] }],
    tools: [{ name: 't', description: undefined, parameters: { b: [1, null], a: { z: 1, y: 'x' } } }],
    maxRetries: 2,
  };
  const text =
    '{"model":"gpt-x","provider":"openai","request":{"messages":[{"content":[{"text":"é \\"q\\"","type":"text"}],"role":"user"}],' +
    '"temperature":0.5,"tools":[{"name":"t","parameters":{"a":{"y":"x","z":1},"b":[1,null]}}]}}';
  t.equal(requestKey('openai', request as never), createHash('sha256').update(text).digest('hex'));
  t.equal(requestKey('openai', { messages: [] }, 'm'), createHash('sha256').update('{"model":"m","provider":"openai","request":{"messages":[]}}').digest('hex'));
});

t.test('the request key is stable across key order and transport settings, and differs by what shapes the answer', async (t) => {
  const a = requestKey('openai', { model: 'gpt-x', temperature: 0, messages: [{ role: 'user', content: 'hi' }] });
  const b = requestKey('openai', { messages: [{ content: 'hi', role: 'user' }], temperature: 0, model: 'gpt-x', maxRetries: 0, timeouts: { totalMs: 5 }, extraHeaders: { authorization: 'Bearer sk-secret' } });
  t.equal(a, b);
  t.match(a, /^[0-9a-f]{64}$/);
  t.not(requestKey('anthropic', { model: 'gpt-x', temperature: 0, messages: [{ role: 'user', content: 'hi' }] }), a, 'provider');
  t.not(requestKey('openai', { model: 'gpt-y', temperature: 0, messages: [{ role: 'user', content: 'hi' }] }), a, 'model');
  t.not(requestKey('openai', { model: 'gpt-x', temperature: 1, messages: [{ role: 'user', content: 'hi' }] }), a, 'parameters');
  t.equal(requestKey('openai', { messages: [] }, 'gpt-x'), requestKey('openai', { model: 'gpt-x', messages: [] }), 'the default model counts as named');
});

t.test('outcomes are plain JSON', async (t) => {
  const response: ChatResponse = { model: 'm', content: [], text: '', toolCalls: [], finishReason: 'stop', usage: NO_USAGE };
  const good = toWorkerOutcome(ok(response));
  t.same(JSON.parse(JSON.stringify(good)), good);
  t.equal(good.ok, true);
  const bad = toWorkerOutcome(err(providerError('rate_limit', { message: 'slow down', retryAfterMs: 2000, requestId: 'req_1', httpStatus: 429, attempts: 1 })));
  t.same(bad, { ok: false, error: { category: 'rate_limit', message: 'slow down', retryable: true, retryAfterMs: 2000, attempts: 1, requestId: 'req_1', httpStatus: 429 } });
  t.same(JSON.parse(JSON.stringify(bad)), bad);
});

t.test('maxRetries: 0 leaves the retry to the orchestrator: one attempt, the wait in the outcome', async (t) => {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const dispatcher = new RateLimitedDispatcher(clock, { windowMs: 60_000, requests: 1 }, 'openai');
  const provider = new EngineProvider(createOpenAIAdapter({ apiKey: 'sk-test-worker', baseURL: 'http://127.0.0.1:9/v1', env: {} }), {
    engine: { clock, dispatcher, maxRetries: 0, governor: false },
  });
  const outcomes: WorkerOutcome[] = [];
  for (let i = 0; i < 2; i++) provider.startRequest({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }, (result) => outcomes.push(toWorkerOutcome(result)));
  await driveVirtual(provider.multi, clock, () => outcomes.length === 2);
  const failed = outcomes.find((outcome) => !outcome.ok);
  t.ok(failed !== undefined && !failed.ok && failed.error.category === 'rate_limit');
  if (failed !== undefined && !failed.ok) {
    t.equal(failed.error.attempts, 1);
    t.equal(failed.error.retryAfterMs, 60_000);
  }
  t.equal(dispatcher.answers, 2, 'nothing was retried inside llmux');
  await provider.cleanup();
});
