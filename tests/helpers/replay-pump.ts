import type { VirtualClock } from '../../src/http/clock.js';
import type { HttpMulti } from '../../src/http/multi.js';

/**
 * Pumps an engine on a VirtualClock until `done`: virtual time moves (to the next deadline)
 * only once the engine has had no work for `quiet` real turns, so a replayed body still on
 * its way is never overtaken by an idle timeout or a retry timer.
 */
export async function pumpVirtual(multi: HttpMulti, clock: VirtualClock, done: () => boolean, quiet = 20, maxTurns = 1_000_000): Promise<void> {
  for (let turn = 0; !done(); turn++) {
    if (turn > maxTurns) throw new Error('the replay did not finish');
    multi.perform();
    multi.infoRead();
    if (done()) return;
    const woke = await wokeWithin(multi, quiet);
    const next = clock.nextDeadline();
    if (!woke && next !== undefined) clock.advance(Math.max(0, next - clock.now()));
  }
}

/**
 * Whether the engine woke within `turns` event-loop turns. The count stops as soon as it
 * wakes: a count left running would go on scheduling turns beside every later wait, which
 * cost a replay of many small chunks most of its time.
 */
async function wokeWithin(multi: HttpMulti, turns: number): Promise<boolean> {
  let woke = false;
  void multi.wait(-1).then(() => {
    woke = true;
  });
  for (let i = 0; i < turns && !woke; i++) await new Promise((resolve) => setImmediate(resolve));
  return woke;
}
