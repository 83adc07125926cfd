/**
 * The CLI is its own host event loop: it pumps the engine with perform() and infoRead(),
 * and between pumps sleeps until the engine's `notify` hook (or a key press) wakes it, the
 * engine's next deadline (`timeout()`) or a host timer (spinner frame, board redraw) is due.
 * It never calls the engine's run().
 */

/** The part of a Provider the loop drives. */
export interface Pumpable {
  perform(): number;
  infoRead(): number;
  /** Ms until the engine needs a pump; 0 = now; -1 = no timer. */
  timeout(): number;
}

export interface PumpHooks {
  /** Checked after every pump; true ends the loop. */
  done(): boolean;
  /** After every pump, before `done`: redraw what changed. */
  afterPump?(): void;
  /** Ms until a host timer is due (-1: none); the loop wakes for it and calls `onTimer`. */
  nextTimer?(): number;
  onTimer?(): void;
}

/** The longest the loop sleeps without a reason, a guard against a lost wake-up. */
export const MAX_SLEEP_MS = 1000;

export class HostLoop {
  #pending = false;
  #wakeSleeper: (() => void) | undefined;

  /** Wakes the loop: the engine's `notify` hook, key handlers and signal handlers call it. */
  readonly wake = (): void => {
    this.#pending = true;
    const wake = this.#wakeSleeper;
    this.#wakeSleeper = undefined;
    wake?.();
  };

  /** Resolves on the next wake (or one that came since the last sleep), or after `ms`. */
  sleep(ms: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#wakeSleeper = undefined;
        resolve();
      }, Math.max(0, ms));
      this.#wakeSleeper = () => {
        clearTimeout(timer);
        this.#pending = false;
        resolve();
      };
    });
  }

  /** Pumps `engine` until `hooks.done()`. */
  async pump(engine: Pumpable, hooks: PumpHooks): Promise<void> {
    for (;;) {
      engine.perform();
      engine.infoRead();
      hooks.afterPump?.();
      if (hooks.done()) return;
      const engineMs = engine.timeout();
      if (engineMs === 0) continue;
      const hostMs = hooks.nextTimer?.() ?? -1;
      await this.sleep(shortest(engineMs, hostMs, MAX_SLEEP_MS));
      if (hostMs >= 0) hooks.onTimer?.();
    }
  }
}

/** The smallest of the non-negative delays. */
export function shortest(...delays: number[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (const delay of delays) if (delay >= 0 && delay < best) best = delay;
  return best === Number.POSITIVE_INFINITY ? 0 : best;
}
