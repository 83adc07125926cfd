import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import type { RetryInfo } from '../../src/http/types.js';
import { fakeStream } from '../helpers/fake-adapter.js';
import { fakeProvider, ioTurn, pumpUntil, record } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';

/**
 * #retryOrFail calls the onRetry hooks (user code, inside perform()) after it has moved
 * the transfer to `backoff` and before it arms the retry timer, with no try/catch:
 *  - a hook that throws escapes perform(); the transfer stays in `backoff` with no timer
 *    (it can never run again), and the rest of perform()'s batch is dropped while still
 *    flagged inReady (never pumped again): run()/wait(-1) hang;
 *  - a hook that cancels the request (a natural "give up" policy) gets its cancelled
 *    completion, and then the retry timer is armed anyway on the finished transfer.
 */
t.test('a throwing onRetry hook neither escapes perform() nor wedges the engine', async (t) => {
  let calls = 0;
  const server = await startLoopback((_req, res) => {
    calls++;
    if (calls <= 2) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('busy');
      return;
    }
    res.writeHead(200, SSE_HEADERS);
    res.end(fakeStream(['ok']));
  });
  const clock = new VirtualClock();
  const provider = fakeProvider(server.url, {
    clock,
    random: () => 0,
    onRetry: () => {
      throw new Error('a broken retry logger');
    },
  });
  const first = record(provider);
  const second = record(provider);
  // Both 503s arrive before the host pumps, so one perform() settles both.
  for (let i = 0; i < 2000 && calls < 2; i++) await ioTurn();
  for (let i = 0; i < 50; i++) await ioTurn();
  t.doesNotThrow(() => provider.perform(), 'perform() never throws');
  provider.infoRead();
  // Drive the engine as a host would: pump, advance to the next deadline, repeat.
  for (let round = 0; round < 20 && provider.multi.running > 0; round++) {
    try {
      provider.perform();
    } catch {
      // already reported above
    }
    provider.infoRead();
    const next = provider.timeout();
    if (next > 0) clock.advance(next);
    for (let i = 0; i < 20; i++) await ioTurn();
  }
  t.equal(provider.multi.running, 0, `every transfer finished (running: ${provider.multi.running}, timeout(): ${provider.timeout()})`);
  t.equal(first.completions.length + second.completions.length, 2, 'both requests completed');
  provider.cancelAll();
  await provider.cleanup();
  await server.close();
});

t.test('cancelling from onRetry leaves no timer armed', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('busy');
  });
  const clock = new VirtualClock();
  let provider: ReturnType<typeof fakeProvider> | undefined;
  provider = fakeProvider(server.url, {
    clock,
    onRetry: (info: RetryInfo) => {
      provider?.cancel(info.handle); // policy: do not retry this one after all
    },
  });
  const run = record(provider);
  await pumpUntil(provider, () => run.completions.length > 0);
  t.equal(run.completions[0]?.isErr() ? run.completions[0].error.category : 'ok', 'cancelled');
  t.equal(provider.multi.running, 0);
  t.equal(clock.pending, 0, 'no engine timer outlives its transfer');
  await provider.cleanup();
  await server.close();
});
