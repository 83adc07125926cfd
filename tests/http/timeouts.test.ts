import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { eventTypes, fakeProvider, ioTurn, pumpUntil, record } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';
import { BlackHoleDispatcher } from '../helpers/stub-dispatcher.js';

const TIMEOUTS = { connectMs: 1_000, headersMs: 2_000, idleMs: 3_000, totalMs: 0 };

t.test('connect timeout fires on the virtual clock with its phase', async (t) => {
  const clock = new VirtualClock();
  const dispatcher = new BlackHoleDispatcher();
  const provider = fakeProvider('http://127.0.0.1:9', { clock, dispatcher, timeouts: TIMEOUTS, maxRetries: 0 });
  const run = record(provider);
  t.equal(provider.timeout(), 1_000, 'timeout() reports the connect deadline');
  clock.advance(999);
  provider.perform();
  t.same(run.events, [], 'not yet');
  clock.advance(1);
  provider.perform();
  provider.infoRead();
  const result = run.completions[0];
  t.ok(result?.isErr());
  if (result?.isErr()) {
    t.equal(result.error.category, 'timeout');
    t.equal(result.error.phase, 'connect');
    t.match(result.error.message, /connect timeout/);
  }
  t.same(eventTypes(run.events), ['error'], 'the stream ends in one error event');
  t.equal(provider.timeout(), -1, 'no timer left');
  await provider.cleanup();
});

t.test('connect timeout is retried like any network failure, then gives up', async (t) => {
  const clock = new VirtualClock();
  const dispatcher = new BlackHoleDispatcher();
  const retries: number[] = [];
  const provider = fakeProvider('http://127.0.0.1:9', {
    clock,
    dispatcher,
    timeouts: TIMEOUTS,
    maxRetries: 2,
    random: () => 0,
    onRetry: (info) => retries.push(info.delayMs),
  });
  const run = record(provider);
  for (let i = 0; i < 10 && run.completions.length === 0; i++) {
    clock.advance(Math.max(1, provider.timeout()));
    provider.perform();
    provider.infoRead();
  }
  t.equal(dispatcher.dispatched, 3, 'first attempt and two retries');
  t.same(retries, [500, 1_000], 'exponential backoff without jitter');
  const result = run.completions[0];
  t.equal(result?.isErr() ? result.error.attempts : 0, 3);
  await provider.cleanup();
});

t.test('headers timeout: connected, but no response', async (t) => {
  const server = await startLoopback(() => {
    // Never answer.
  });
  const clock = new VirtualClock();
  const provider = fakeProvider(server.url, { clock, timeouts: TIMEOUTS, maxRetries: 0 });
  const run = record(provider);
  const closed = server.socketClosed();
  // Wait until the request reached the server, i.e. the connect phase is over.
  while (server.requests.length === 0) await ioTurn();
  t.equal(provider.timeout(), 2_000, 'now the headers deadline is next');
  clock.advance(2_000);
  await pumpUntil(provider, () => run.completions.length > 0);
  const result = run.completions[0];
  t.equal(result?.isErr() ? result.error.phase : '', 'headers');
  await closed;
  t.pass('the socket was released');
  await provider.cleanup();
  await server.close();
});

t.test('idle timeout: a stream that stalls after its first event', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    res.write('data: {"text":"first"}\n\n');
  });
  const clock = new VirtualClock();
  const provider = fakeProvider(server.url, { clock, timeouts: TIMEOUTS, maxRetries: 2 });
  const run = record(provider);
  await pumpUntil(provider, () => run.events.length === 2);
  clock.advance(2_999);
  provider.perform();
  t.equal(run.events.length, 2, 'still streaming just before the deadline');
  clock.advance(1);
  await pumpUntil(provider, () => run.completions.length > 0);
  t.same(eventTypes(run.events), ['start', 'text_delta', 'error']);
  const result = run.completions[0];
  t.equal(result?.isErr() ? result.error.phase : '', 'idle');
  t.equal(result?.isErr() ? result.error.attempts : 0, 1, 'a failure after the first event is not retried');
  t.equal(server.requests.length, 1);
  await provider.cleanup();
  await server.close();
});

t.test('idle timer restarts with every chunk', async (t) => {
  let res: import('node:http').ServerResponse | undefined;
  const server = await startLoopback((_req, response) => {
    res = response;
    response.writeHead(200, SSE_HEADERS);
    response.write('data: {"text":"a"}\n\n');
  });
  const clock = new VirtualClock();
  const provider = fakeProvider(server.url, { clock, timeouts: TIMEOUTS });
  const run = record(provider);
  await pumpUntil(provider, () => run.events.length === 2);
  clock.advance(2_500);
  res?.write('data: {"text":"b"}\n\n');
  await pumpUntil(provider, () => run.events.length === 3);
  clock.advance(2_500);
  provider.perform();
  t.same(run.completions, [], 'the second chunk reset the idle deadline');
  res?.end('data: [DONE]\n\n');
  await pumpUntil(provider, () => run.completions.length > 0);
  t.ok(run.completions[0]?.isOk());
  await provider.cleanup();
  await server.close();
});

t.test('total timeout covers the whole exchange and is never retried', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    res.write('data: {"text":"slow"}\n\n');
  });
  const clock = new VirtualClock();
  const provider = fakeProvider(server.url, { clock, timeouts: { ...TIMEOUTS, idleMs: 60_000, totalMs: 5_000 } });
  const run = record(provider);
  await pumpUntil(provider, () => run.events.length === 2);
  clock.advance(5_000);
  await pumpUntil(provider, () => run.completions.length > 0);
  const result = run.completions[0];
  t.equal(result?.isErr() ? result.error.phase : '', 'total');
  t.equal(result?.isErr() ? result.error.retryable : true, false);
  await provider.cleanup();
  await server.close();
});

t.test('total timeout reaches a running transfer and one still waiting for a slot', async (t) => {
  const clock = new VirtualClock();
  const dispatcher = new BlackHoleDispatcher();
  const provider = fakeProvider('http://127.0.0.1:9', {
    clock,
    dispatcher,
    maxInFlight: 1,
    timeouts: { connectMs: 10_000, headersMs: 100, idleMs: 100, totalMs: 300 },
  });
  const first = record(provider);
  const second = record(provider);
  t.equal(dispatcher.dispatched, 1, 'the second waits for a slot');
  clock.advance(300);
  provider.perform();
  provider.infoRead();
  t.equal(first.completions[0]?.isErr() ? first.completions[0].error.phase : '', 'total');
  t.equal(second.completions[0]?.isErr() ? second.completions[0].error.phase : '', 'total');
  t.equal(dispatcher.dispatched, 1, 'the queued one never went out');
  t.equal(provider.multi.running, 0);
  t.equal(clock.pending, 0, 'every timer was cleared');
  await provider.cleanup();
});

t.test('no retry is scheduled past the total deadline', async (t) => {
  const clock = new VirtualClock();
  const dispatcher = new BlackHoleDispatcher();
  const provider = fakeProvider('http://127.0.0.1:9', {
    clock,
    dispatcher,
    timeouts: { connectMs: 100, headersMs: 100, idleMs: 100, totalMs: 500 },
    retryPolicy: { baseDelayMs: 1_000 },
    random: () => 0,
  });
  const run = record(provider);
  clock.advance(100);
  provider.perform();
  provider.infoRead();
  const result = run.completions[0];
  t.equal(result?.isErr() ? result.error.phase : '', 'connect', 'the real cause is reported');
  t.equal(result?.isErr() ? result.error.attempts : 0, 1);
  t.equal(dispatcher.dispatched, 1);
  await provider.cleanup();
});
