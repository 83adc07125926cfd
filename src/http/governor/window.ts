import type { WindowHint } from './rate-headers.js';

/** Observations whose reset differs by less than this describe the same window. */
const SAME_WINDOW_MS = 250;

/** A configured limit with no headers to say when it resets counts per minute. */
const CONFIGURED_WINDOW_MS = 60_000;

/**
 * One rate window of a bucket (requests, or tokens): what the provider last said it allows,
 * what is left of it after our own reservations, and when it is full again. `dispatched`
 * counts every unit ever reserved, so an observation can subtract what was sent after the
 * request it answers (the server had not counted those yet).
 */
export class RateWindow {
  /** Learned from headers. */
  limit: number | undefined;
  /** Configured (`rateLimits`): an upper bound on top of what is learned. */
  readonly cap: number | undefined;
  remaining: number | undefined;
  resetAt: number | undefined;
  dispatched = 0;
  /** Bumped when the window rolls over, so a late refund cannot go into the next window. */
  epoch = 0;

  constructor(cap: number | undefined) {
    this.cap = cap;
  }

  get effectiveLimit(): number | undefined {
    if (this.limit === undefined) return this.cap;
    return this.cap === undefined ? this.limit : Math.min(this.limit, this.cap);
  }

  /** A window whose reset passed is full again (its next reset is learned from the next answer). */
  roll(now: number): void {
    if (this.resetAt === undefined || now < this.resetAt) return;
    this.remaining = this.effectiveLimit;
    this.resetAt = undefined;
    this.epoch++;
  }

  /** 0 when `cost` fits now; otherwise when it may (Infinity: once an answer says more). */
  waitFor(cost: number, now: number): number {
    this.roll(now);
    const remaining = this.remaining;
    if (remaining === undefined || cost <= remaining) return 0;
    // A request larger than the whole window can never fit: send it on a full window, let the provider judge.
    const limit = this.effectiveLimit;
    if (limit !== undefined && cost > limit && remaining >= limit) return 0;
    return this.resetAt ?? Number.POSITIVE_INFINITY;
  }

  take(cost: number, now: number): void {
    this.dispatched += cost;
    if (this.limit === undefined && this.cap !== undefined) {
      // Only configured, never advertised: count it in minute windows from the first request.
      this.remaining ??= this.cap;
      this.resetAt ??= now + CONFIGURED_WINDOW_MS;
    }
    if (this.remaining !== undefined) this.remaining -= cost;
  }

  /** Gives back an unused part of a reservation made in this same window. */
  refund(amount: number, epoch: number): void {
    if (amount <= 0 || epoch !== this.epoch || this.remaining === undefined) return;
    const limit = this.effectiveLimit;
    this.remaining = limit === undefined ? this.remaining + amount : Math.min(limit, this.remaining + amount);
  }

  /** Nothing is left until `until` (a 429 told us so). */
  exhaust(until: number): void {
    this.remaining = 0;
    this.resetAt = Math.max(this.resetAt ?? 0, until);
  }

  /**
   * Learns from an answer to a request reserved when `dispatched` was `mark`. A newer window
   * replaces what we had; within the same window we keep the lower count (answers arrive out
   * of order); an answer from a window already over is ignored.
   */
  observe(hint: WindowHint, mark: number, now: number): void {
    if (hint.limit !== undefined) this.limit = hint.limit;
    if (hint.remaining === undefined) return;
    const observedReset = hint.resetMs === undefined ? undefined : now + hint.resetMs;
    if (observedReset !== undefined && (observedReset <= now || (this.resetAt !== undefined && observedReset < this.resetAt - SAME_WINDOW_MS))) return;
    const estimate = Math.max(0, hint.remaining - (this.dispatched - mark));
    const cap = this.effectiveLimit;
    const bounded = cap === undefined ? estimate : Math.min(cap, estimate);
    const newer = observedReset !== undefined && (this.resetAt === undefined || observedReset > this.resetAt + SAME_WINDOW_MS);
    this.remaining = newer || this.remaining === undefined ? bounded : Math.min(this.remaining, bounded);
    if (newer) this.resetAt = observedReset;
  }
}
