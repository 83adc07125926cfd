// The documented defaults and overrides, each checked by behaviour or by value.
import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { DEFAULT_TIMEOUTS } from '../../src/http/multi.js';
import { DEFAULT_SSE_LIMITS } from '../../src/sse/decoder.js';
import { MAX_RESPONSE_BODY_BYTES } from '../../src/providers/session-errors.js';
import { usageLine } from '../../src/providers/log-lines.js';
import { fakeStream } from '../helpers/fake-adapter.js';
import { fakeProvider, HELLO, pumpUntil, record } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';
import { BlackHoleDispatcher } from '../helpers/stub-dispatcher.js';

t.test('documented limits', async (t) => {
  t.same(DEFAULT_TIMEOUTS, { connectMs: 10_000, headersMs: 600_000, idleMs: 300_000, totalMs: 0 });
  t.same(DEFAULT_SSE_LIMITS, { maxLineLength: 4 * 1024 * 1024, maxEventLength: 8 * 1024 * 1024 });
  t.equal(MAX_RESPONSE_BODY_BYTES, 64 * 1024 * 1024);
});

t.test('two retries by default; a request may ask for fewer', async (t) => {
  const clock = new VirtualClock();
  const dispatcher = new BlackHoleDispatcher();
  const provider = fakeProvider('http://127.0.0.1:9', { clock, dispatcher, random: () => 0 });
  const byDefault = record(provider);
  const none = record(provider, { ...HELLO, maxRetries: 0, timeouts: { connectMs: 50 } });
  for (let i = 0; i < 20 && (byDefault.completions.length === 0 || none.completions.length === 0); i++) {
    clock.advance(Math.max(1, provider.timeout()));
    provider.perform();
    provider.infoRead();
  }
  t.equal(byDefault.completions[0]?.isErr() ? byDefault.completions[0].error.attempts : 0, 3);
  const single = none.completions[0];
  t.equal(single?.isErr() ? single.error.attempts : 0, 1, 'maxRetries: 0 on the request wins');
  t.equal(single?.isErr() ? single.error.message : '', 'timed out connecting to 127.0.0.1:9 after 50 ms (connect timeout)', 'and so does its own connect timeout');
  await provider.cleanup();
});

t.test('requests past maxInFlight start in FIFO order', async (t) => {
  const order: string[] = [];
  const server = await startLoopback((req, res) => {
    order.push(req.url ?? '');
    res.writeHead(200, SSE_HEADERS);
    res.end(fakeStream(['x']));
  });
  const provider = fakeProvider(server.url, { maxInFlight: 1 });
  for (const path of ['/a', '/b', '/c', '/d']) record(provider, { ...HELLO, extraBody: { path } });
  await provider.run();
  t.same(order, ['/a', '/b', '/c', '/d']);
  await provider.cleanup();
  await server.close();
});

t.test('x-should-retry: true makes even a 400 retry, and 409 and 502 are retried', async (t) => {
  const statuses = [400, 409, 502];
  let calls = 0;
  const server = await startLoopback((_req, res) => {
    const status = statuses[calls++];
    if (status === undefined) {
      res.writeHead(200, SSE_HEADERS);
      return void res.end(fakeStream(['finally']));
    }
    res.writeHead(status, status === 400 ? { 'x-should-retry': 'true', 'retry-after-ms': '0' } : { 'retry-after-ms': '0' });
    res.end('no');
  });
  const provider = fakeProvider(server.url, { maxRetries: 3 });
  const run = record(provider);
  await pumpUntil(provider, () => run.completions.length > 0);
  t.equal(calls, 4);
  t.ok(run.completions[0]?.isOk());
  await provider.cleanup();
  await server.close();
});

t.test('the usage log line shows cached and reasoning counts only when non-zero', async (t) => {
  const base = { model: 'gpt-4o-mini', content: [], text: '', toolCalls: [], finishReason: 'stop' as const };
  t.equal(
    usageLine('OpenAI', { ...base, usage: { input: 12, output: 48, thinking: 0, cached: 8, cacheWrite: null, total: 60 } }),
    'OpenAI tokens: prompt=12, completion=48, total=60, cached=8 (model gpt-4o-mini, finish stop)',
  );
  t.equal(
    usageLine('OpenAI', { ...base, usage: { input: 12, output: 48, thinking: null, cached: 0, cacheWrite: null, total: 60 } }),
    'OpenAI tokens: prompt=12, completion=48, total=60 (model gpt-4o-mini, finish stop)',
  );
});
