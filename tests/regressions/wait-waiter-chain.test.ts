import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { fakeProvider, record } from '../helpers/harness.js';
import { BlackHoleDispatcher } from '../helpers/stub-dispatcher.js';

/**
 * wait() links each new waiter to the previous one (`previous`) and unlinks a waiter only
 * when it is the head at the moment it resolves. A host that races wait(ms) against its
 * own input (the wait it abandoned resolves on its timer later, after the next wait was
 * made) never unlinks anything: every wait it ever made stays reachable from the head,
 * and the next wake-up walks the whole chain recursively. Memory grows with every turn of
 * the host loop; since a waiter that resolves calls its `previous` even when it is not the
 * head, every timer walks the whole chain recursively (quadratic time), and in the end a
 * clock timer (on a RealClock: a setTimeout callback, so an uncaught exception), a cancel()
 * or an undici callback throws RangeError: Maximum call stack size exceeded.
 */
t.test('overlapping waits that each resolve on their own timer do not accumulate', async (t) => {
  const clock = new VirtualClock();
  const provider = fakeProvider('http://127.0.0.1:9', {
    clock,
    dispatcher: new BlackHoleDispatcher(),
    timeouts: { connectMs: 0, headersMs: 0, idleMs: 0, totalMs: 0 },
  });
  const run = record(provider);
  // Each turn: wait up to 10 ms, but the host's other event source wins after 5 ms.
  // Each wake-up also walks the chain, so the loop itself is quadratic, and a clock timer
  // (a setTimeout callback on a RealClock: an uncaught exception) overflows the stack.
  const started = performance.now();
  t.doesNotThrow(() => {
    for (let turn = 0; turn < 12_000; turn++) {
      void provider.wait(10);
      clock.advance(5);
    }
    clock.advance(100); // every wait has long resolved by now
  }, 'the waits and the clock never throw');
  t.ok(performance.now() - started < 1_000, `12k host-loop turns take ${Math.round(performance.now() - started)} ms`);
  t.doesNotThrow(() => provider.cancel(run.handle), 'cancel() does not throw');
  provider.infoRead();
  t.equal(run.completions.length, 1);
  await provider.cleanup();
});
