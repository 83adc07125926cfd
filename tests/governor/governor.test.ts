import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { Bucket } from '../../src/http/governor/bucket.js';
import { parseDuration, parseRateHeaders } from '../../src/http/governor/rate-headers.js';
import { throttleMessage, type GovernorOptions, type RateTicket, type ThrottleInfo } from '../../src/http/governor/types.js';
import type { RequestHandle } from '../../src/http/types.js';
import { createOpenAIAdapter } from '../../src/providers/openai/adapter.js';
import { EngineProvider } from '../../src/providers/provider.js';
import { RateLimitedDispatcher, type HeaderStyle, type RateLimits } from '../helpers/rate-limited-dispatcher.js';
import { driveVirtual } from '../helpers/virtual-drive.js';

const START = Date.UTC(2026, 0, 1);

function setup(limits: RateLimits, style: HeaderStyle, governor: GovernorOptions | false = {}) {
  const clock = new VirtualClock(START);
  const dispatcher = new RateLimitedDispatcher(clock, limits, style);
  const provider = new EngineProvider(createOpenAIAdapter({ apiKey: 'sk-test-governor', baseURL: 'http://127.0.0.1:9/v1', env: {} }), {
    engine: { clock, dispatcher, governor, random: () => 0.5 },
  });
  const results = { ok: 0, failed: 0, cancelled: 0 };
  const start = (): RequestHandle => {
    const started = provider.startRequest({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 10 }, (result) => {
      if (result.isOk()) results.ok++;
      else if (result.error.category === 'cancelled') results.cancelled++;
      else results.failed++;
    });
    if (started.isErr()) throw new Error(started.error.message);
    return started.value;
  };
  const settled = (n: number) => () => results.ok + results.failed + results.cancelled >= n;
  return { clock, dispatcher, provider, results, start, settled };
}

t.test('OpenAI durations, Anthropic RFC 3339 resets and Azure -1 are read', async (t) => {
  t.equal(parseDuration('6m0s'), 360_000);
  t.equal(parseDuration('12ms'), 12);
  t.equal(parseDuration('1h2m3.5s'), 3_723_500);
  t.equal(parseDuration('2'), 2000);
  t.equal(parseDuration('soon'), undefined);
  t.equal(parseDuration(undefined), undefined);
  const now = Date.UTC(2026, 0, 1);
  t.same(parseRateHeaders({ 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '59', 'x-ratelimit-reset-requests': '1s' }, now), {
    requests: { limit: 60, remaining: 59, resetMs: 1000 },
  });
  t.same(
    parseRateHeaders(
      {
        'anthropic-ratelimit-output-tokens-limit': '8000',
        'anthropic-ratelimit-output-tokens-remaining': '7000',
        'anthropic-ratelimit-output-tokens-reset': new Date(now + 5000).toISOString(),
      },
      now,
    ),
    { output: { limit: 8000, remaining: 7000, resetMs: 5000 } },
  );
  t.same(parseRateHeaders({ 'x-ratelimit-limit-tokens': '-1', 'x-ratelimit-remaining-tokens': '-1' }, now), undefined, "Azure's -1 is unknown");
  t.same(parseRateHeaders({ 'x-ratelimit-remaining-requests': '5', 'x-ratelimit-reset-requests': 'later' }, now), { requests: { remaining: 5 } });
  t.equal(parseRateHeaders({ 'content-type': 'application/json' }, now), undefined);
});

const ticket: RateTicket = { provider: 'p', model: 'm', keyId: 'k', inputTokens: 10, outputTokens: 10 };

t.test('slow start: one request, then the window grows per answer; an unexplained 429 halves it, successes add one', async (t) => {
  const bucket = new Bucket('b', ticket, 'http://x', undefined, 1);
  const first = bucket.reserve(ticket, 0);
  t.equal(bucket.hold(ticket, 0)?.reason, 'slow_start', 'a second request waits for the first answer');
  bucket.observe(first, undefined, 0);
  t.equal(bucket.concurrency, 3, 'an answer without limit headers opens two more slots (its own stream still holds one)');
  bucket.observe(first, undefined, 0);
  t.equal(bucket.concurrency, 6, 'and from then on doubles per answer');
  bucket.concurrency = 2;
  const reservations = [first];
  for (let i = 0; i < 7; i++) reservations.push(bucket.reserve(ticket, 0));
  t.equal(bucket.inFlight, 8);
  bucket.concurrency = 8;
  bucket.throttled(undefined, false, 0);
  t.equal(bucket.concurrency, 4, 'multiplicative decrease: half of what was on the wire');
  t.ok(bucket.aimd);
  bucket.settle(reservations[0]!, true, undefined);
  t.equal(bucket.concurrency, 5, 'additive increase: one per success');
  bucket.observe(reservations[1]!, { requests: { limit: 100, remaining: 90, resetMs: 1000 } }, 0);
  t.ok(bucket.learned, 'limit headers end slow start');
  t.equal(bucket.concurrency, 5, 'but AIMD keeps steering until it has grown back');
});

t.test('a burst against a bucket that has not seen a limit goes out a small first window (4 by default)', async (t) => {
  const one = setup({ windowMs: 4000, requests: 60 }, 'openai', { slowStart: 1 });
  for (let i = 0; i < 10; i++) one.start();
  t.equal(one.dispatcher.dispatchTimes.length, 1, 'slowStart: 1 sends only the first request before anything is known');
  await one.provider.cleanup();
  const { dispatcher, provider, clock, start, settled, results } = setup({ windowMs: 4000, requests: 60 }, 'openai');
  for (let i = 0; i < 50; i++) start();
  t.equal(dispatcher.dispatchTimes.length, 4, 'by default the first four went before anything was known');
  await driveVirtual(provider.multi, clock, settled(50));
  t.equal(results.ok, 50);
  t.equal(dispatcher.tooMany, 0);
  const [bucket] = provider.multi.limits();
  t.equal(bucket?.windows.requests.limit, 60, 'limits() shows what the headers taught');
  t.equal(bucket?.windows.requests.remaining, 10);
  t.equal(bucket?.queued, 0);
  t.equal(bucket?.model, 'gpt-test');
  t.notOk(JSON.stringify(bucket).includes('sk-test-governor'), 'the key identity is a hash, never the key');
  await provider.cleanup();
});

t.test('a 429 with Retry-After: 20 holds back every queued request of the bucket for 20 s, none earlier', async (t) => {
  const { dispatcher, provider, clock, start, settled, results } = setup({ windowMs: 60_000, requests: 1000 }, 'openai');
  start();
  await driveVirtual(provider.multi, clock, settled(1));
  dispatcher.script.push([429, { 'retry-after': '20' }]);
  start();
  // Let the 429 land, then queue a burst behind it.
  while (dispatcher.answers < 2) {
    provider.perform();
    await new Promise((resolve) => setImmediate(resolve));
  }
  provider.perform();
  const at429 = clock.now();
  const before = dispatcher.dispatchTimes.length;
  for (let i = 0; i < 20; i++) start();
  t.equal(dispatcher.dispatchTimes.length, before, 'nothing goes while the bucket is paused');
  t.equal(provider.multi.limits()[0]?.pausedForMs, 20_000);
  await driveVirtual(provider.multi, clock, settled(22));
  t.equal(results.ok, 22, 'all succeed, the 429 one on its retry');
  const later = dispatcher.dispatchTimes.slice(before - 0);
  t.equal(later.length, 21);
  t.ok(later.every((at) => at >= at429 + 20_000), 'none was sent before the 20 s were up');
  await provider.cleanup();
});

t.test('cancelling half of a queued burst releases their reservations: the rest completes at the full rate', async (t) => {
  const { dispatcher, provider, clock, start, settled, results } = setup({ windowMs: 4000, requests: 60 }, 'openai');
  const handles = [];
  for (let i = 0; i < 300; i++) handles.push(start());
  // Let the first windows' requests go, then cancel every other request still waiting.
  await driveVirtual(provider.multi, clock, () => results.ok >= 60);
  let cancelled = 0;
  for (let i = 0; i < handles.length; i += 2) if (provider.cancel(handles[i]!)) cancelled++;
  t.ok(cancelled >= 100, `${cancelled} cancelled`);
  await driveVirtual(provider.multi, clock, settled(300));
  t.equal(results.ok, 300 - cancelled);
  t.equal(dispatcher.tooMany, 0);
  // 60 went in the first window; the rest need ceil((240 - cancelled) / 60) more windows of 4 s.
  const windows = Math.ceil((240 - cancelled) / 60);
  t.equal((dispatcher.okTimes.at(-1) ?? 0) - START, windows * 4000, 'every later window was used to the full');
  t.equal(provider.multi.limits()[0]?.queued, 0);
  await provider.cleanup();
});

t.test('the throttle hook hears each decision; the message says when the window resets', async (t) => {
  const infos: ThrottleInfo[] = [];
  const { provider, clock, start, settled } = setup({ windowMs: 4000, requests: 5 }, 'openai', { onThrottle: (info) => infos.push(info) });
  for (let i = 0; i < 12; i++) start();
  await driveVirtual(provider.multi, clock, settled(12));
  t.equal(infos[0]?.reason, 'slow_start', 'the first burst waits for the first answer');
  // After a window rolls over, the next reset is unknown until an answer says it: that wait has no time.
  const windowHolds = infos.filter((info) => info.reason === 'window' && info.resumeInMs !== undefined);
  t.equal(windowHolds.length, 2, 'one timed report per window waited for');
  t.equal(windowHolds[0]?.resumeInMs, 4000);
  t.equal(windowHolds[0]?.dimension, 'requests');
  t.equal(throttleMessage(windowHolds[0]!), 'waiting for rate limit (resets in 4 s)');
  t.equal(throttleMessage({ resumeInMs: undefined }), 'waiting for rate limit');
  await provider.cleanup();
});

t.test('configured limits are upper bounds on top of the headers', async (t) => {
  const { dispatcher, provider, clock, start, settled, results } = setup({ windowMs: 60_000, requests: 1000 }, 'none', { rateLimits: { 'gpt-test': { rpm: 10 } } });
  for (let i = 0; i < 25; i++) start();
  await driveVirtual(provider.multi, clock, settled(25));
  t.equal(results.ok, 25);
  const perMinute = new Map<number, number>();
  for (const at of dispatcher.dispatchTimes) perMinute.set(Math.floor((at - START) / 60_000), (perMinute.get(Math.floor((at - START) / 60_000)) ?? 0) + 1);
  t.same([...perMinute.values()], [10, 10, 5], 'ten a minute');
  await provider.cleanup();
});

t.test('the governor turned off sends everything at once', async (t) => {
  const { dispatcher, provider, clock, start, settled } = setup({ windowMs: 4000, requests: 60 }, 'openai', { enabled: false });
  for (let i = 0; i < 50; i++) start();
  t.equal(dispatcher.dispatchTimes.length, 50);
  t.same(provider.multi.limits(), []);
  await driveVirtual(provider.multi, clock, settled(50));
  await provider.cleanup();
});

t.test('slow start opens on response headers, not on completions: long streams do not serialize', async (t) => {
  const { ManualDispatcher } = await import('../helpers/manual-dispatcher.js');
  const dispatcher = new ManualDispatcher();
  const provider = new EngineProvider(createOpenAIAdapter({ apiKey: 'sk-test-governor', baseURL: 'http://127.0.0.1:9/v1', env: {} }), {
    engine: { clock: new VirtualClock(START), dispatcher, governor: { slowStart: 1 } },
  });
  for (let i = 0; i < 40; i++) provider.startStream({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }, () => undefined, () => undefined);
  const rounds: number[] = [];
  for (let answered = 0; rounds.length < 6; ) {
    rounds.push(dispatcher.exchanges.length);
    for (; answered < dispatcher.exchanges.length; answered++) dispatcher.at(answered).start().respond();
    provider.perform();
  }
  t.same(rounds, [1, 3, 12, 40, 40, 40], 'the window doubles per answer while every stream is still open');
  provider.cancelAll();
  provider.infoRead();
  await provider.cleanup();
});
