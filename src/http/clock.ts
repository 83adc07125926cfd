/**
 * Every timer llmux uses goes through a Clock, so tests and replays run timeouts and
 * backoffs on virtual time with no real waiting.
 */
export interface Clock {
  now(): number;
  setTimer(ms: number, fire: () => void): TimerId;
  clearTimer(id: TimerId): void;
}

export type TimerId = number;

/**
 * Wall-clock time. Timers stay ref'd: a transfer waiting out a retry backoff must keep
 * run() alive. The engine clears every timer when its transfers end or on close().
 */
export class RealClock implements Clock {
  readonly #timers = new Map<TimerId, NodeJS.Timeout>();
  #nextId = 1;

  now(): number {
    return performance.timeOrigin + performance.now();
  }

  setTimer(ms: number, fire: () => void): TimerId {
    const id = this.#nextId++;
    const handle = setTimeout(() => {
      this.#timers.delete(id);
      fire();
    }, Math.max(0, ms));
    this.#timers.set(id, handle);
    return id;
  }

  clearTimer(id: TimerId): void {
    const handle = this.#timers.get(id);
    if (handle !== undefined) {
      clearTimeout(handle);
      this.#timers.delete(id);
    }
  }
}

interface VirtualTimer {
  readonly id: TimerId;
  readonly at: number;
  readonly fire: () => void;
}

/**
 * Time that moves only when told. `advance(ms)` fires due timers in deadline order,
 * moving `now()` to each deadline as it goes, as real time would.
 */
export class VirtualClock implements Clock {
  #now: number;
  #timers: VirtualTimer[] = [];
  #nextId = 1;

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, fire: () => void): TimerId {
    const id = this.#nextId++;
    this.#timers.push({ id, at: this.#now + Math.max(0, ms), fire });
    return id;
  }

  clearTimer(id: TimerId): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== id);
  }

  /** Number of timers not yet fired. */
  get pending(): number {
    return this.#timers.length;
  }

  /** The deadline of the next timer, or undefined. */
  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const timer of this.#timers) if (next === undefined || timer.at < next) next = timer.at;
    return next;
  }

  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const due = this.#earliestDue(target);
      if (due === undefined) break;
      this.#timers = this.#timers.filter((timer) => timer !== due);
      this.#now = Math.max(this.#now, due.at);
      due.fire();
    }
    this.#now = target;
  }

  #earliestDue(limit: number): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const timer of this.#timers) {
      if (timer.at <= limit && (best === undefined || timer.at < best.at || (timer.at === best.at && timer.id < best.id))) {
        best = timer;
      }
    }
    return best;
  }
}
