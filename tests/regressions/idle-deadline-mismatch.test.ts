import t from 'tap';
import { WallLikeClock } from '../helpers/wall-like-clock.js';
import { fakeProvider, ioTurn, record } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';

/**
 * timeout() and perform() disagree about the idle deadline after a pause. While paused,
 * #onTimeout re-arms the idle timer for a full idleMs from the moment it fired; timeout()
 * however computes the idle deadline as lastActivity + idleMs (skipping it only while
 * paused). Once perform() resumes the socket and no new byte arrives, timeout() reports a
 * deadline in the past (0: "pump now"), but perform()'s overdue scan (#fireOverdue) looks at
 * the armed timer's `at`, still in the future, and does nothing. The README host loop
 * `await wait(timeout())` spins on microtasks until the clock reaches the re-armed timer:
 * up to idleMs (300 s by default) of 100% CPU; with a clock that does not move while the
 * host spins (any injected clock), forever.
 */


t.test('after a paused stream resumes, timeout() 0 means perform() makes progress', async (t) => {
  let sent = false;
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    // More than the high-water mark in one go, then the model "thinks" (the server holds).
    res.write(`data: ${JSON.stringify({ text: 'x'.repeat(4000) })}\n\n`, () => {
      sent = true;
    });
  });
  const clock = new WallLikeClock();
  const provider = fakeProvider(server.url, { clock, highWaterMark: 1024, timeouts: { idleMs: 1_000, totalMs: 0 } });
  const run = record(provider);
  for (let i = 0; i < 2000 && !sent; i++) await ioTurn();
  for (let i = 0; i < 50; i++) await ioTurn();
  // The host is busy (does not pump) for a while: the idle timer fires while the socket is paused.
  clock.busyFor(1_000);
  await ioTurn();
  clock.busyFor(500);
  await ioTurn();
  // README host loop, guarded: it must either make progress or sleep (timeout() > 0).
  let turns = 0;
  let slept = false;
  while ((provider.perform() > 0 || provider.multi.pendingCompletions > 0) && turns < 10_000) {
    turns++;
    provider.infoRead();
    const ms = provider.timeout();
    if (ms !== 0) {
      slept = true; // the loop would now yield to the event loop
      break;
    }
    await provider.wait(ms);
  }
  t.ok(run.events.length > 0, 'the queued data was delivered');
  t.ok(slept || run.completions.length === 1, `the host loop neither spins nor stalls (turns: ${turns}, timeout(): ${provider.timeout()})`);
  provider.cancelAll();
  provider.infoRead();
  await provider.cleanup();
  await server.close();
});
