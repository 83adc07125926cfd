import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import type { RetryInfo } from '../../src/http/types.js';
import { fakeStream } from '../helpers/fake-adapter.js';
import { eventTypes, fakeProvider, ioTurn, pumpUntil, record } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';

t.test('a 429 with Retry-After: 2 retries after 2 s of virtual time', async (t) => {
  let calls = 0;
  const server = await startLoopback((_req, res) => {
    calls++;
    if (calls === 1) {
      res.writeHead(429, { 'retry-after': '2', 'content-type': 'application/json' });
      res.end('{"error":"slow down"}');
      return;
    }
    res.writeHead(200, SSE_HEADERS);
    res.end(fakeStream(['ok']));
  });
  const clock = new VirtualClock();
  const retries: RetryInfo[] = [];
  const provider = fakeProvider(server.url, { clock, onRetry: (info) => retries.push(info) });
  const run = record(provider);
  await pumpUntil(provider, () => retries.length > 0);
  t.equal(retries[0]?.delayMs, 2_000);
  t.equal(retries[0]?.attempt, 2);
  t.equal(retries[0]?.error.category, 'rate_limit');
  t.same(run.events, [], 'the user sees nothing of the failed attempt');
  t.equal(provider.timeout(), 2_000, 'the next pump is due when the backoff ends');
  clock.advance(1_999);
  for (let i = 0; i < 5; i++) await ioTurn();
  t.equal(calls, 1, 'no retry before 2 s');
  clock.advance(1);
  await pumpUntil(provider, () => run.completions.length > 0);
  t.equal(calls, 2);
  t.same(eventTypes(run.events), ['start', 'text_delta', 'done']);
  t.ok(run.completions[0]?.isOk());
  await provider.cleanup();
  await server.close();
});

t.test('retry-after-ms and HTTP-date forms, and the bound on waiting', async (t) => {
  const answers = [
    { status: 503, headers: { 'retry-after-ms': '250' } },
    { status: 503, headers: { 'retry-after': new Date(Date.now() + 3_000).toUTCString() } },
    { status: 429, headers: { 'retry-after': '3600' } },
  ];
  let calls = 0;
  const server = await startLoopback((_req, res) => {
    const answer = answers[calls++] ?? answers[2];
    res.writeHead(answer?.status ?? 500, answer?.headers);
    res.end('busy');
  });
  const clock = new VirtualClock(Date.now());
  const delays: number[] = [];
  const provider = fakeProvider(server.url, { clock, maxRetries: 5, onRetry: (info) => delays.push(info.delayMs) });
  const run = record(provider);
  await pumpUntil(provider, () => delays.length === 1);
  clock.advance(250);
  await pumpUntil(provider, () => delays.length === 2);
  t.equal(delays[0], 250, 'retry-after-ms');
  t.ok(delays[1] !== undefined && delays[1] > 1_000 && delays[1] <= 3_000, 'an HTTP date');
  clock.advance(delays[1] ?? 0);
  await pumpUntil(provider, () => run.completions.length > 0);
  const result = run.completions[0];
  t.ok(result?.isErr());
  if (result?.isErr()) {
    t.equal(result.error.category, 'rate_limit', 'an hour is past the bound: the error goes to the host');
    t.equal(result.error.retryAfterMs, 3_600_000);
    t.equal(result.error.attempts, 3);
  }
  await provider.cleanup();
  await server.close();
});

t.test('x-should-retry: false is obeyed and 400 is never retried', async (t) => {
  const server = await startLoopback((req, res) => {
    if (req.url === '/stream') {
      res.writeHead(503, { 'x-should-retry': 'false' });
    } else {
      res.writeHead(400);
    }
    res.end('no');
  });
  const adapterProvider = fakeProvider(server.url, {});
  const first = record(adapterProvider);
  const second = record(adapterProvider, { messages: [{ role: 'user', content: 'x' }], extraBody: { path: '/bad' } });
  await adapterProvider.run();
  t.equal(server.requests.length, 2, 'one request each');
  t.equal(second.completions[0]?.isErr() ? second.completions[0].error.category : '', 'invalid_arg');
  t.equal(first.completions[0]?.isErr() ? first.completions[0].error.httpStatus : 0, 503);
  await adapterProvider.cleanup();
  await server.close();
});

t.test('a reset after headers but before any event is retried', async (t) => {
  let calls = 0;
  const server = await startLoopback((_req, res) => {
    calls++;
    res.writeHead(200, SSE_HEADERS);
    if (calls === 1) {
      res.write(': keep-alive comment\n\n');
      setImmediate(() => res.socket?.destroy());
      return;
    }
    res.end(fakeStream(['second try']));
  });
  const clock = new VirtualClock();
  const retries: RetryInfo[] = [];
  const provider = fakeProvider(server.url, { clock, random: () => 0, onRetry: (info) => retries.push(info) });
  const run = record(provider);
  await pumpUntil(provider, () => retries.length > 0);
  t.equal(retries[0]?.error.category, 'network');
  t.equal(provider.timeout(), 500);
  clock.advance(500);
  await pumpUntil(provider, () => run.completions.length > 0);
  t.equal(calls, 2);
  t.ok(run.completions[0]?.isOk());
  t.same(eventTypes(run.events), ['start', 'text_delta', 'done']);
  await provider.cleanup();
  await server.close();
});
