import { Admission } from './admission.js';
import type { Deadlines } from './deadlines.js';
import type { Governor } from './governor/governor.js';
import type { MemoryBudget } from './memory-budget.js';
import { onTheWire, PHASE_DEADLINE, type Phase, type TimerKind, type Transfer } from './transfer.js';

export interface PhaseHooks {
  /** A transfer got its slot: put its next attempt on the wire. */
  start(transfer: Transfer): void;
  /** A queued transfer's total deadline passed before a slot freed: end it. */
  expire(transfer: Transfer): void;
}

/**
 * The transfer state machine. A transfer's phase changes only through enter(), after
 * curl's multistate(); the table of phases and their deadlines is PHASE_DEADLINE.
 */
export class Phases {
  /** Transfers not yet done, by id. */
  readonly transfers = new Map<number, Transfer>();
  readonly deadlines: Deadlines;
  readonly #admission: Admission<Transfer>;
  readonly #hooks: PhaseHooks;
  readonly #now: () => number;
  /** The rate governor, which may hold a new transfer back before admission (see governor/). */
  governor: Governor | undefined;

  readonly #memory: MemoryBudget;

  constructor(maxInFlight: number, deadlines: Deadlines, hooks: PhaseHooks, now: () => number, memory: MemoryBudget) {
    this.#admission = new Admission(maxInFlight);
    this.#memory = memory;
    this.deadlines = deadlines;
    this.#hooks = hooks;
    this.#now = now;
  }

  set draining(value: boolean) {
    this.#admission.draining = value;
    if (this.governor !== undefined) this.governor.draining = value;
  }

  /** A new transfer (phase `queued`): registered, its total deadline armed, started if a slot is free. */
  admit(transfer: Transfer): void {
    this.transfers.set(transfer.id, transfer);
    this.deadlines.arm(transfer, 'total', transfer.timeouts.totalMs);
    if (this.governor === undefined || this.governor.admit(transfer)) this.toAdmission(transfer);
  }

  /** A queued transfer the governor let go (or that it never held) waits for a slot. */
  toAdmission(transfer: Transfer): void {
    if (this.#admission.hasRoom()) this.#hooks.start(transfer);
    else this.#admission.enqueue(transfer);
  }

  /**
   * The one place a transfer changes phase. Exit actions: disarm the old phase's deadline;
   * let go of the attempt (and, in the memory budget's books, of its bytes) when leaving the wire. Enter actions: arm the new phase's
   * deadline; leaving `queued` takes an admission slot; reaching `done` disarms the total
   * deadline, forgets the transfer and gives its slot to the next queued one (or, for a
   * transfer that never had a slot, just leaves the queue). `done` is final.
   */
  enter(transfer: Transfer, next: Phase, reason = '', delayMs = 0): void {
    const previous = transfer.phase;
    if (previous === next || previous === 'done') return;
    const oldDeadline = PHASE_DEADLINE[previous];
    if (oldDeadline !== undefined) this.deadlines.disarm(transfer, oldDeadline);
    if (onTheWire(previous) && !onTheWire(next)) {
      transfer.attempt?.detach(reason);
      // Off the wire a transfer holds nothing: its chunks go, its sink is reset or finished.
      this.#memory.release(transfer);
    }
    transfer.phase = next;
    if (previous === 'queued' && next !== 'done') this.#admission.take();
    const newDeadline = PHASE_DEADLINE[next];
    if (newDeadline !== undefined) this.deadlines.arm(transfer, newDeadline, newDeadline === 'retry' ? delayMs : limit(transfer, newDeadline));
    if (next !== 'done') return;
    this.deadlines.disarm(transfer, 'total');
    this.deadlines.disarm(transfer, 'rate');
    if (transfer.attempt !== undefined) transfer.attempt.chunks = [];
    this.transfers.delete(transfer.id);
    if (this.transfers.size === 0) this.deadlines.clear();
    if (previous === 'queued') return this.#admission.remove(transfer);
    this.#admission.release();
    for (let queued = this.#admission.next(); queued !== undefined; queued = this.#admission.next()) {
      // One whose whole budget is already spent (its deadline due in this same wake-up) expires instead.
      const total = queued.timers.total;
      if (total !== undefined && total.at <= this.#now()) this.#hooks.expire(queued);
      else this.#hooks.start(queued);
    }
  }
}

function limit(transfer: Transfer, kind: Exclude<TimerKind, 'retry' | 'rate'>): number {
  const { timeouts } = transfer;
  switch (kind) {
    case 'connect':
      return timeouts.connectMs;
    case 'headers':
      return timeouts.headersMs;
    case 'idle':
      return timeouts.idleMs;
    case 'total':
      return timeouts.totalMs;
  }
}
