import type { Clock, TimerId } from './clock.js';

interface PendingTimer {
  readonly id: TimerId;
  readonly at: number;
  readonly fire: () => void;
}

/**
 * Replay time for a process that has no test driving a VirtualClock (the CLI's `--replay`):
 * a clock that runs `speed` times as fast as the wall, or, with `instant`, jumps to the next
 * deadline whenever the event loop comes round. Engine and cassette share it, so the
 * recorded pacing, the engine's retry backoff and its timeouts all scale together: a
 * replayed 429 with `retry-after: 1` costs no real second at `instant`.
 *
 * Instant timers fire one per event-loop turn, in deadline order (ties in the order they
 * were set), from the timers phase: the I/O, immediates and promises that the previous one
 * set in motion (a pump, a replayed chunk) run first, as they would have in real time.
 */
export class ScaledClock implements Clock {
  readonly #speed: number | 'instant';
  readonly #wall: () => number;
  readonly #originWall: number;
  #virtual: number;
  #nextId = 1;
  readonly #real = new Map<TimerId, NodeJS.Timeout>();
  #instant: PendingTimer[] = [];
  #drain: NodeJS.Timeout | undefined;

  constructor(speed: number | 'instant', wall: () => number = () => performance.timeOrigin + performance.now()) {
    if (speed !== 'instant' && !(Number.isFinite(speed) && speed > 0)) {
      throw new RangeError(`ScaledClock speed must be a positive number or 'instant', not ${String(speed)}`);
    }
    this.#speed = speed;
    this.#wall = wall;
    this.#originWall = wall();
    this.#virtual = this.#originWall;
  }

  now(): number {
    if (this.#speed === 'instant') return this.#virtual;
    return this.#originWall + (this.#wall() - this.#originWall) * this.#speed;
  }

  setTimer(ms: number, fire: () => void): TimerId {
    const id = this.#nextId++;
    const delay = Math.max(0, ms);
    if (this.#speed === 'instant') {
      this.#instant.push({ id, at: this.#virtual + delay, fire });
      this.#schedule();
      return id;
    }
    const handle = setTimeout(() => {
      this.#real.delete(id);
      fire();
    }, delay / this.#speed);
    this.#real.set(id, handle);
    return id;
  }

  clearTimer(id: TimerId): void {
    const handle = this.#real.get(id);
    if (handle !== undefined) {
      clearTimeout(handle);
      this.#real.delete(id);
      return;
    }
    this.#instant = this.#instant.filter((timer) => timer.id !== id);
    if (this.#instant.length === 0 && this.#drain !== undefined) {
      clearTimeout(this.#drain);
      this.#drain = undefined;
    }
  }

  #schedule(): void {
    if (this.#drain === undefined && this.#instant.length > 0) this.#drain = setTimeout(this.#fireNext, 0);
  }

  readonly #fireNext = (): void => {
    this.#drain = undefined;
    let next: PendingTimer | undefined;
    for (const timer of this.#instant) if (next === undefined || timer.at < next.at) next = timer;
    if (next === undefined) return;
    const due = next;
    this.#instant = this.#instant.filter((timer) => timer !== due);
    this.#virtual = Math.max(this.#virtual, due.at);
    this.#schedule();
    due.fire();
  };
}
