import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { fakeStream } from '../helpers/fake-adapter.js';
import { fakeProvider, ioTurn, record } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';
import { BlackHoleDispatcher } from '../helpers/stub-dispatcher.js';

/**
 * DESIGN 4: "Every started request gets exactly one completion: success, error or
 * cancelled." close() (Provider.cleanup()) cancels everything and then clears #messages,
 * so neither the `cancelled` completions it just queued nor completions that had already
 * finished (a whole successful answer waiting for infoRead) are ever delivered. A host
 * that wraps each request in a promise settled by onComplete and shuts down with
 * `await cleanup(); await Promise.all(pending)` hangs.
 */
t.test('cleanup() with requests in flight: each still gets its one completion', async (t) => {
  const provider = fakeProvider('http://127.0.0.1:9', { dispatcher: new BlackHoleDispatcher(), clock: new VirtualClock() });
  const runs = [record(provider), record(provider)];
  await provider.cleanup();
  provider.infoRead();
  t.same(
    runs.map((run) => run.completions.map((result) => (result.isErr() ? result.error.category : 'ok'))),
    [['cancelled'], ['cancelled']],
    'one cancelled completion each',
  );
});

t.test('cleanup() does not discard an answer that already completed', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    res.end(fakeStream(['done already']));
  });
  const provider = fakeProvider(server.url, { clock: new VirtualClock() });
  const run = record(provider);
  for (let i = 0; i < 2000 && provider.multi.pendingCompletions === 0; i++) {
    await ioTurn();
    provider.perform();
  }
  t.equal(provider.multi.pendingCompletions, 1, 'the answer is complete, waiting for infoRead()');
  await provider.cleanup();
  provider.infoRead();
  t.equal(run.completions.length, 1, 'its completion is still delivered');
  t.ok(run.completions[0]?.isOk());
  await server.close();
});
