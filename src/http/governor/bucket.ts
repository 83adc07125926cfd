import type { Transfer } from '../transfer.js';
import { DIMENSIONS, type Dimension, type RateHints } from './rate-headers.js';
import type { RateLimitConfig, RateTicket, ThrottleReason } from './types.js';
import { RateWindow } from './window.js';

/** Why a bucket cannot send its next request now, and until when (Infinity: until an answer). */
export interface Hold {
  readonly reason: ThrottleReason;
  readonly until: number;
  readonly dimension?: Dimension;
}

/** A request's claim on its bucket while an attempt is out: what it took and when. */
export interface Reservation {
  readonly bucket: Bucket;
  readonly ticket: RateTicket;
  /** Each window's `dispatched` right after this reservation, per DIMENSIONS index. */
  readonly marks: number[];
  readonly epochs: number[];
  /** An attempt holds this reservation (cleared when it is reconciled or released). */
  active: boolean;
  /** Waiting in the bucket's queue. */
  queued: boolean;
}

export function costOf(ticket: RateTicket, dimension: Dimension): number {
  switch (dimension) {
    case 'requests':
      return 1;
    case 'tokens':
      return ticket.inputTokens + ticket.outputTokens;
    case 'input':
      return ticket.inputTokens;
    case 'output':
      return ticket.outputTokens;
  }
}

/**
 * One (provider, origin, key, model) account window set, its queue of held transfers and its
 * concurrency cap: slow start until limit headers are seen, multiplicative decrease on an
 * unexplained 429 and additive increase per success.
 */
export class Bucket {
  readonly key: string;
  readonly provider: string;
  readonly origin: string;
  readonly model: string;
  readonly keyId: string;
  readonly windows: Record<Dimension, RateWindow>;
  /** Any limit header seen: slow start is over. */
  learned = false;
  concurrency: number;
  /** AIMD is steering the cap (a 429 came without any hint). */
  aimd = false;
  inFlight = 0;
  pausedUntil = 0;
  queue: Transfer[] = [];
  head = 0;
  /** The queued transfer whose `rate` deadline wakes this bucket. */
  waker: Transfer | undefined;
  /** The last hold reported, so the hook hears each decision once. */
  lastHold: Hold | undefined;

  constructor(key: string, ticket: RateTicket, origin: string, config: RateLimitConfig | undefined, slowStart: number) {
    this.key = key;
    this.provider = ticket.provider;
    this.origin = origin;
    this.model = ticket.model;
    this.keyId = ticket.keyId;
    this.windows = {
      requests: new RateWindow(config?.rpm),
      tokens: new RateWindow(config?.tpm),
      input: new RateWindow(config?.inputTpm),
      output: new RateWindow(config?.outputTpm),
    };
    this.concurrency = Math.max(1, slowStart);
  }

  get queued(): number {
    return this.queue.length - this.head;
  }

  peek(): Transfer | undefined {
    return this.queue[this.head];
  }

  shift(): void {
    this.queue[this.head++] = undefined as unknown as Transfer;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** Retries go first: they were admitted before anything still queued. */
  unshift(transfer: Transfer): void {
    if (this.head > 0) this.queue[--this.head] = transfer;
    else this.queue.unshift(transfer);
  }

  remove(transfer: Transfer): void {
    const index = this.queue.indexOf(transfer, this.head);
    if (index >= 0) this.queue.splice(index, 1);
  }

  /** Undefined when `ticket` may go now. */
  hold(ticket: RateTicket, now: number): Hold | undefined {
    if (this.pausedUntil > now) return { reason: 'paused', until: this.pausedUntil };
    if (this.inFlight >= this.concurrency) return { reason: this.learned ? 'concurrency' : 'slow_start', until: Number.POSITIVE_INFINITY };
    for (const dimension of DIMENSIONS) {
      const until = this.windows[dimension].waitFor(costOf(ticket, dimension), now);
      if (until !== 0) return { reason: 'window', until, dimension };
    }
    return undefined;
  }

  reserve(ticket: RateTicket, now: number): Reservation {
    const marks: number[] = [];
    const epochs: number[] = [];
    for (const dimension of DIMENSIONS) {
      const window = this.windows[dimension];
      window.take(costOf(ticket, dimension), now);
      marks.push(window.dispatched);
      epochs.push(window.epoch);
    }
    this.inFlight++;
    return { bucket: this, ticket, marks, epochs, active: true, queued: false };
  }

  /** Learns from a response's headers (any status). */
  observe(reservation: Reservation, hints: RateHints | undefined, now: number): void {
    if (hints === undefined) {
      // No limit headers: the window doubles per answer (the answered stream still holds its
      // slot). A server that advertises limits ends slow start at its first answer; one that
      // never does (a local model) should cost only a few round trips.
      if (!this.learned && !this.aimd) this.concurrency = Math.max(this.concurrency + 2, this.concurrency * 2);
      return;
    }
    if (!this.learned) {
      this.learned = true;
      if (!this.aimd) this.concurrency = Number.POSITIVE_INFINITY;
    }
    DIMENSIONS.forEach((dimension, i) => {
      const hint = hints[dimension];
      if (hint !== undefined) this.windows[dimension].observe(hint, reservation.marks[i] ?? 0, now);
    });
  }

  /** A 429: with a retry time the whole bucket pauses until then; without any hint the cap halves. */
  throttled(retryAfterMs: number | undefined, hinted: boolean, now: number): void {
    if (retryAfterMs !== undefined) {
      this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
      this.windows.requests.exhaust(this.pausedUntil);
      return;
    }
    if (hinted) return;
    this.aimd = true;
    this.concurrency = Math.max(1, Math.floor(Math.min(this.concurrency, this.inFlight) / 2));
  }

  /** An attempt ended: its slot is free; a success grows an AIMD cap by one. */
  settle(reservation: Reservation, succeeded: boolean, used: { readonly input: number; readonly output: number } | undefined): void {
    if (!reservation.active) return;
    reservation.active = false;
    this.inFlight--;
    if (succeeded && this.aimd && ++this.concurrency >= 1024) {
      this.aimd = false;
      this.concurrency = this.learned ? Number.POSITIVE_INFINITY : this.concurrency;
    }
    const { ticket } = reservation;
    // A failed attempt generated nothing; a finished one gives back what it did not use.
    const output = succeeded ? (used?.output ?? ticket.outputTokens) : 0;
    const input = succeeded ? (used?.input ?? ticket.inputTokens) : ticket.inputTokens;
    const unusedOutput = ticket.outputTokens - output;
    const unusedInput = ticket.inputTokens - input;
    this.windows.output.refund(unusedOutput, reservation.epochs[3] ?? -1);
    this.windows.input.refund(unusedInput, reservation.epochs[2] ?? -1);
    this.windows.tokens.refund(unusedOutput + unusedInput, reservation.epochs[1] ?? -1);
  }
}
