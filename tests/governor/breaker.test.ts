import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import type { ProviderError } from '../../src/errors/category.js';
import { createOpenAIAdapter } from '../../src/providers/openai/adapter.js';
import { EngineProvider } from '../../src/providers/provider.js';
import { RateLimitedDispatcher } from '../helpers/rate-limited-dispatcher.js';
import { driveVirtual } from '../helpers/virtual-drive.js';

function setup(maxRetries: number) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const dispatcher = new RateLimitedDispatcher(clock, { windowMs: 60_000, requests: 1000 }, 'none');
  const provider = new EngineProvider(createOpenAIAdapter({ apiKey: 'sk-test-breaker', baseURL: 'http://127.0.0.1:9/v1', env: {} }), {
    engine: { clock, dispatcher, maxRetries, random: () => 0.5, breaker: { failureThreshold: 3, cooldownMs: 10_000 } },
  });
  const outcomes: Array<'ok' | ProviderError> = [];
  const start = () => provider.startRequest({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }, (result) => outcomes.push(result.isOk() ? 'ok' : result.error));
  const one = async () => {
    const before = outcomes.length;
    const started = start();
    if (started.isErr()) return started.error;
    await driveVirtual(provider.multi, clock, () => outcomes.length > before);
    return outcomes.at(-1);
  };
  return { clock, dispatcher, provider, start, one };
}

t.test('the breaker opens after a run of server failures, fails fast, probes once after the cool-down, and closes', async (t) => {
  const { clock, dispatcher, provider, start, one } = setup(0);
  for (let i = 0; i < 3; i++) dispatcher.script.push([503, {}]);
  for (let i = 0; i < 3; i++) t.equal(((await one()) as ProviderError).httpStatus, 503);
  t.equal(provider.multi.circuits()[0]?.state, 'open');
  const sent = dispatcher.answers;
  const fast = start();
  t.ok(fast.isErr(), 'an open circuit fails the start call at once');
  const error = fast.isErr() ? fast.error : undefined;
  t.equal(error?.category, 'server');
  t.equal(error?.retryAfterMs, 10_000);
  t.match(error?.hint ?? '', /in 10 s/);
  t.equal(dispatcher.answers, sent, 'nothing was sent');

  clock.advance(10_000);
  t.equal(provider.multi.circuits()[0]?.state, 'half_open');
  const probe = start();
  t.ok(probe.isOk(), 'after the cool-down one probe goes');
  const second = start();
  t.ok(second.isErr(), 'while the probe is out, the others still fail fast');
  t.match(second.isErr() ? second.error.hint ?? '' : '', /probe/);
  await driveVirtual(provider.multi, clock, () => provider.multi.running === 0);
  t.equal(provider.multi.circuits()[0]?.state, 'closed', 'the probe succeeded: closed');
  t.equal(await one(), 'ok');
  await provider.cleanup();
});

t.test('a failed probe opens the circuit again; a request that recovers on its own retries does not count', async (t) => {
  const { clock, dispatcher, provider, start, one } = setup(2);
  // Two 503s, then success: the request's own retries hide them from the breaker.
  for (let round = 0; round < 3; round++) {
    dispatcher.script.push([503, {}], [503, {}]);
    t.equal(await one(), 'ok');
  }
  t.equal(provider.multi.circuits().length, 0, 'no failure was recorded');
  for (let i = 0; i < 9; i++) dispatcher.script.push([529, {}]);
  for (let i = 0; i < 3; i++) t.equal(((await one()) as ProviderError).category, 'server');
  t.equal(provider.multi.circuits()[0]?.state, 'open');
  clock.advance(10_000);
  dispatcher.script.push([500, {}], [500, {}], [500, {}]);
  t.equal(((await one()) as ProviderError).httpStatus, 500, 'the probe fails');
  t.equal(provider.multi.circuits()[0]?.state, 'open', 'and the circuit is open again');
  t.ok(start().isErr());
  await provider.cleanup();
});
