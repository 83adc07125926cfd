import type { Clock, TimerId } from '../../src/http/clock.js';

/**
 * Time that moves on its own, like RealClock, with timer callbacks on a macrotask, like
 * RealClock: it lets a test reproduce a host that was busy past a deadline.
 */
export class WallLikeClock implements Clock {
  #now = 0;
  #timers = new Map<TimerId, { at: number; fire: () => void }>();
  #next = 1;
  now(): number {
    return this.#now;
  }
  setTimer(ms: number, fire: () => void): TimerId {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fire });
    return id;
  }
  clearTimer(id: TimerId): void {
    this.#timers.delete(id);
  }
  /** Time passes; due callbacks run on the next macrotask, as on a RealClock. */
  busyFor(ms: number): void {
    this.#now += ms;
    setImmediate(() => {
      for (const [id, timer] of [...this.#timers]) {
        if (timer.at <= this.#now && this.#timers.delete(id)) timer.fire();
      }
    });
  }
}
