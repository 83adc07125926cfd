import t from 'tap';
import { WallLikeClock } from '../helpers/wall-like-clock.js';
import { fakeProvider, record } from '../helpers/harness.js';
import { BlackHoleDispatcher } from '../helpers/stub-dispatcher.js';

/**
 * Engine deadlines are serviced only by the clock's timer callback (a macrotask on a real
 * clock). Once a deadline has passed but its callback has not run yet, timeout() says 0,
 * perform() does nothing about the deadline, and wait(0) resolves at once: the README's
 * host loop `while (perform() > 0 || ...) { infoRead(); await wait(timeout()); }` then
 * spins on microtasks forever and the timer callback can never run. A host that was busy
 * for longer than the time left to a deadline (or whose own sleep timer fired in the same
 * timers phase, just before the engine's) livelocks at 100% CPU.
 */

/** Time that moves on its own, like RealClock; timer callbacks run on a macrotask, like RealClock. */

async function readmeLoop(provider: ReturnType<typeof fakeProvider>, cap: number): Promise<number> {
  let turns = 0;
  while ((provider.perform() > 0 || provider.multi.pendingCompletions > 0) && turns < cap) {
    turns++;
    provider.infoRead();
    await provider.wait(provider.timeout());
  }
  provider.infoRead();
  return turns;
}

t.test('an overdue total timeout is delivered by the README host loop (injected clock)', async (t) => {
  const clock = new WallLikeClock();
  const provider = fakeProvider('http://127.0.0.1:9', { clock, dispatcher: new BlackHoleDispatcher(), timeouts: { totalMs: 100 } });
  const run = record(provider);
  clock.busyFor(150); // the host did 150 ms of its own work after starting the request
  const turns = await readmeLoop(provider, 100_000);
  t.equal(run.completions.length, 1, `the request completes (loop turns: ${turns}, timeout() now ${provider.timeout()})`);
  await provider.cleanup();
});

t.test('the same on the default RealClock', async (t) => {
  const provider = fakeProvider('http://127.0.0.1:9', { dispatcher: new BlackHoleDispatcher(), timeouts: { totalMs: 5 } });
  const run = record(provider);
  // Host work that outlasts the deadline (a render, a parse): a few ms of CPU.
  const until = performance.now() + 15;
  while (performance.now() < until) {
    /* busy */
  }
  const turns = await readmeLoop(provider, 100_000);
  t.equal(run.completions.length, 1, `the request completes (loop turns: ${turns})`);
  await provider.cleanup();
});
