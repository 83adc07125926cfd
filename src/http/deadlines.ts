import type { Clock, TimerId } from './clock.js';
import { DeadlineHeap } from './deadline-heap.js';
import type { ArmedTimer, TimerKind, Transfer } from './transfer.js';

/**
 * Every armed deadline of every transfer, in one heap, and one clock timer that wakes the
 * engine at the earliest. A transfer holds at most one timer per kind; disarming only
 * forgets it (the heap drops stale entries lazily).
 */
export class Deadlines {
  readonly #clock: Clock;
  readonly #onDue: (transfer: Transfer, kind: TimerKind) => void;
  readonly #heap = new DeadlineHeap<ArmedTimer>((timer) => timer.transfer.timers[timer.kind] === timer);
  #armed = 0;
  #wake: { readonly id: TimerId; readonly at: number } | undefined;

  constructor(clock: Clock, onDue: (transfer: Transfer, kind: TimerKind) => void) {
    this.#clock = clock;
    this.#onDue = onDue;
  }

  /** Arms `kind` for `ms` from now, replacing any armed one; a non-positive limit means none (a retry or a rate wake-up fires even at 0). */
  arm(transfer: Transfer, kind: TimerKind, ms: number): void {
    this.disarm(transfer, kind);
    if (kind !== 'retry' && kind !== 'rate' && !(ms > 0)) return;
    const timer: ArmedTimer = { at: this.#clock.now() + ms, kind, transfer };
    transfer.timers[kind] = timer;
    this.#armed++;
    this.#heap.push(timer);
    this.#scheduleWake(timer.at);
  }

  disarm(transfer: Transfer, kind: TimerKind): void {
    if (transfer.timers[kind] === undefined) return;
    transfer.timers[kind] = undefined;
    this.#armed--;
    this.#heap.compact(this.#armed);
  }

  now(): number {
    return this.#clock.now();
  }

  /** The earliest armed deadline, or undefined. */
  next(): number | undefined {
    return this.#heap.peek()?.at;
  }

  /** Nothing left to time: no wake-up may keep the process (or a virtual clock) busy. */
  clear(): void {
    this.#cancelWake();
    this.#heap.clear();
    this.#armed = 0;
  }

  /**
   * Fires every deadline that has passed, from the clock's wake-up or from perform() when
   * the host was too busy for the clock callback to run (as curl's perform does), then
   * sets the wake-up for the next one.
   */
  fireOverdue(): void {
    const now = this.#clock.now();
    for (let timer = this.#heap.popDue(now); timer !== undefined; timer = this.#heap.popDue(now)) {
      this.disarm(timer.transfer, timer.kind);
      this.#onDue(timer.transfer, timer.kind);
    }
    const next = this.#heap.peek();
    if (next !== undefined) this.#scheduleWake(next.at);
    else this.#cancelWake();
  }

  #scheduleWake(at: number): void {
    if (this.#wake !== undefined && this.#wake.at <= at) return;
    if (this.#wake !== undefined) this.#clock.clearTimer(this.#wake.id);
    const id = this.#clock.setTimer(Math.max(0, at - this.#clock.now()), this.#onWake);
    this.#wake = { id, at };
  }

  readonly #onWake = (): void => {
    this.#wake = undefined;
    this.fireOverdue();
  };

  #cancelWake(): void {
    if (this.#wake === undefined) return;
    this.#clock.clearTimer(this.#wake.id);
    this.#wake = undefined;
  }
}
