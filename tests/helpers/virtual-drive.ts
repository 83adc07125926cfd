import type { VirtualClock } from '../../src/http/clock.js';
import type { HttpMulti } from '../../src/http/multi.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Pumps `multi` until `done()`, letting in-process answers land and moving the virtual clock
 * to the engine's next deadline whenever nothing else is ready. Throws when the engine has
 * neither work nor a deadline left while not done (a hang).
 */
export async function driveVirtual(multi: HttpMulti, clock: VirtualClock, done: () => boolean): Promise<void> {
  for (let round = 0; round < 1_000_000; round++) {
    multi.perform();
    multi.infoRead();
    if (done()) return;
    await tick();
    if (multi.timeout() === 0) continue;
    const wait = multi.timeout();
    if (wait < 0) {
      if (done()) return;
      throw new Error(`stuck: ${multi.running} transfers running and no deadline`);
    }
    clock.advance(wait);
  }
  throw new Error('driveVirtual: too many rounds');
}
