import t from 'tap';
import type { Result } from 'neverthrow';
import type { ProviderError } from '../../src/errors/category.js';
import { VirtualClock } from '../../src/http/clock.js';
import { createOpenAIAdapter } from '../../src/providers/openai/adapter.js';
import { EngineProvider } from '../../src/providers/provider.js';
import type { ChatResponse } from '../../src/providers/types.js';
import { RateLimitedDispatcher } from '../helpers/rate-limited-dispatcher.js';
import { driveVirtual } from '../helpers/virtual-drive.js';

const START = Date.UTC(2026, 0, 1);

function setup(slowStart = 1) {
  const clock = new VirtualClock(START);
  // No limit headers: the bucket stays in slow start with a window of one, so requests queue in it.
  const dispatcher = new RateLimitedDispatcher(clock, { windowMs: 60_000, requests: 1000 }, 'none');
  const provider = new EngineProvider(createOpenAIAdapter({ apiKey: 'sk-test-long-pause', baseURL: 'http://127.0.0.1:9/v1', env: {} }), {
    engine: { clock, dispatcher, governor: { slowStart }, random: () => 0.5 },
  });
  const results: Result<ChatResponse, ProviderError>[] = [];
  const start = (): void => {
    const started = provider.startRequest({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }, (result) => results.push(result));
    if (started.isErr()) throw new Error(started.error.message);
  };
  return { clock, dispatcher, provider, results, start };
}

function describe(result: Result<ChatResponse, ProviderError> | undefined): string {
  if (result === undefined) return 'none';
  return result.isOk() ? 'ok' : `${result.error.category} ${result.error.retryAfterMs ?? '-'}`;
}

t.test('a 429 asking for longer than maxRetryAfterMs: it and every request queued behind it fail at once, new ones too until the pause ends', async (t) => {
  const { clock, dispatcher, provider, results, start } = setup();
  dispatcher.script.push([429, { 'retry-after': '120' }]);
  for (let i = 0; i < 6; i++) start();
  t.equal(dispatcher.dispatchTimes.length, 1, 'slow start: one on the wire, five queued in the bucket');
  await driveVirtual(provider.multi, clock, () => results.length === 6);
  t.equal(clock.now(), START, 'nobody waited: no virtual time passed');
  t.same(results.map(describe), Array(6).fill('rate_limit 120000'), 'each says rate_limit and when to come back');
  t.equal(dispatcher.dispatchTimes.length, 1, 'the queued ones were never sent');
  const queued = results[1];
  t.match(queued?.isErr() === true ? queued.error.message : '', /^not sent: the account said to wait 120 s \(a 429's retry time for openai gpt-test\), longer than the 60 s the engine waits/);

  clock.advance(30_000);
  start();
  await driveVirtual(provider.multi, clock, () => results.length === 7);
  t.equal(describe(results[6]), 'rate_limit 90000', 'a new request in the pause fails fast with the time left');
  t.equal(dispatcher.dispatchTimes.length, 1);
  t.equal(provider.multi.limits()[0]?.pausedForMs, 90_000, 'the bucket says how long it stays paused');

  clock.advance(90_000);
  start();
  await driveVirtual(provider.multi, clock, () => results.length === 8);
  t.equal(describe(results[7]), 'ok', 'once the pause is over, requests are sent again');
  t.equal(dispatcher.dispatchTimes.length, 2);
  await provider.cleanup();
});

t.test('a 429 within maxRetryAfterMs still holds the queue and retries: nothing fails', async (t) => {
  const { clock, dispatcher, provider, results, start } = setup();
  dispatcher.script.push([429, { 'retry-after': '45' }]);
  for (let i = 0; i < 4; i++) start();
  await driveVirtual(provider.multi, clock, () => results.length === 4);
  t.same(results.map(describe), ['ok', 'ok', 'ok', 'ok']);
  t.ok(dispatcher.dispatchTimes.slice(1).every((at) => at >= START + 45_000), 'none sent before the 45 s were up');
  await provider.cleanup();
});

t.test('a retry that comes due in a bucket paused past maxRetryAfterMs fails fast instead of waiting', async (t) => {
  const { clock, dispatcher, provider, results, start } = setup(2);
  dispatcher.script.push([500, {}], [429, { 'retry-after': '120' }]);
  start();
  start();
  t.equal(dispatcher.dispatchTimes.length, 2, 'both on the wire');
  await driveVirtual(provider.multi, clock, () => results.length === 2);
  t.equal(describe(results[0]), 'rate_limit 120000', 'the 429 at once');
  const retried = results[1];
  const left = retried?.isErr() === true ? (retried.error.retryAfterMs ?? 0) : 0;
  t.ok(retried?.isErr() === true && retried.error.category === 'rate_limit' && left > 119_000 && left < 120_000, `the 500 when its backoff ended, with the time left (${left} ms)`);
  t.equal(dispatcher.dispatchTimes.length, 2, 'the retry was never sent');
  await provider.cleanup();
});
