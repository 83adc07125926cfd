import { providerError, type ProviderError } from '../../errors/category.js';
import { hintFor } from '../../errors/hints.js';
import type { HeaderRecord } from '../headers.js';
import type { Transfer } from '../transfer.js';
import { Bucket, costOf, type Hold } from './bucket.js';
import { CacheGate } from './cache-gate.js';
import { InProcessLeaseSource, type LeaseSource } from './lease.js';
import { DIMENSIONS, parseRateHeaders, type Dimension } from './rate-headers.js';
import type { BucketSnapshot, GovernorOptions, ThrottleInfo, WindowSnapshot } from './types.js';

/** How often a bucket refused by a shared lease source looks again (the source refills between pumps). */
const LEASE_RETRY_MS = 100;

/** What the governor needs of the engine; it has no timer of its own. */
export interface GovernorHost {
  now(): number;
  /** Arms the transfer's `rate` deadline (on the engine's one heap), replacing any armed one. */
  arm(transfer: Transfer, ms: number): void;
  disarm(transfer: Transfer): void;
  /** A held new transfer may go: on to admission (maxInFlight). */
  admit(transfer: Transfer): void;
  /** A held retry may go: its next attempt starts (it holds its admission slot already). */
  start(transfer: Transfer): void;
  /** Ends a transfer the governor will not send (its completion follows on the next pump). */
  fail(transfer: Transfer, error: ProviderError): void;
  /** The longest server-requested wait the engine honours; a bucket paused for longer fails fast instead of holding. */
  readonly maxWaitMs: number;
  reportCallbackError(error: unknown): void;
}

/**
 * The rate governor: transfers that carry a RateTicket reserve capacity of their bucket
 * before dispatch and wait in the bucket's FIFO when it has none; answers teach the bucket
 * the account's limits. Work per request is O(1) (a map lookup and four windows); nothing
 * runs per body chunk.
 */
/**
 * The first window of a bucket that has seen no limit headers. Not 1: a non-streaming
 * request's headers come only with its whole answer, so a window of one would hold every
 * other request of the bucket behind the first answer, however long that takes.
 */
const DEFAULT_SLOW_START = 4;

export class Governor {
  readonly #host: GovernorHost;
  readonly #options: GovernorOptions;
  readonly #lease: LeaseSource;
  readonly #buckets = new Map<string, Bucket>();
  readonly #cache: CacheGate | undefined;
  draining = false;

  constructor(options: GovernorOptions, host: GovernorHost) {
    this.#options = options;
    this.#host = host;
    this.#lease = options.leaseSource ?? new InProcessLeaseSource();
    this.#cache = options.cacheGate === true ? new CacheGate() : undefined;
  }

  /** A new transfer: true when it may go on to admission now, false when its bucket holds it. */
  admit(transfer: Transfer): boolean {
    const ticket = transfer.ticket;
    if (ticket === undefined) return true;
    if (this.#cache !== undefined && !this.#cache.admit(transfer, this.#host.now())) return false;
    const key = `${ticket.provider}\u0000${transfer.origin}\u0000${ticket.keyId}\u0000${ticket.model}`;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = new Bucket(key, ticket, transfer.origin, this.#options.rateLimits?.[ticket.model], this.#options.slowStart ?? DEFAULT_SLOW_START);
      this.#buckets.set(key, bucket);
    }
    transfer.bucket = bucket;
    if (this.#refuse(bucket, transfer)) return false;
    if (bucket.queued === 0 && this.#tryReserve(bucket, transfer) === undefined) return true;
    bucket.queue.push(transfer);
    transfer.rateQueued = true;
    this.#drain(bucket);
    return false;
  }

  /** A retry's backoff ended: true when its attempt may start now; otherwise it waits first in line. */
  retry(transfer: Transfer): boolean {
    const bucket = transfer.bucket;
    if (bucket === undefined) return true;
    if (this.#refuse(bucket, transfer)) return false;
    if (bucket.queued === 0 && this.#tryReserve(bucket, transfer) === undefined) return true;
    bucket.unshift(transfer);
    transfer.rateQueued = true;
    this.#drain(bucket);
    return false;
  }

  /** The bucket's `rate` deadline fired on its first queued transfer. */
  wake(transfer: Transfer): void {
    const bucket = transfer.bucket;
    if (bucket === undefined) return;
    if (bucket.waker === transfer) bucket.waker = undefined;
    this.#drain(bucket);
  }

  /** An attempt's response headers arrived (any status). */
  responded(transfer: Transfer, headers: HeaderRecord, ok = true): void {
    const { bucket, reservation } = transfer;
    if (bucket === undefined || reservation === undefined || !reservation.active) return;
    const now = this.#host.now();
    const hints = parseRateHeaders(headers, now);
    bucket.observe(reservation, hints, now);
    if (hints !== undefined) {
      for (const dimension of DIMENSIONS) {
        const hint = hints[dimension];
        if (hint?.limit !== undefined) this.#lease.learn(bucket.key, dimension, hint.limit, hint.resetMs);
      }
    }
    if (!ok) return;
    if (this.#cache !== undefined) this.#letGo(this.#cache.release(transfer, true, now));
    // A 2xx may have opened the window (slow start grows, a new window's count): the queue moves now, not at completion.
    if (bucket.queued > 0) this.#drain(bucket);
  }

  /** A non-2xx answer: learn from its headers; a 429 pauses the bucket (or shrinks it when nothing says for how long). */
  respondedWithError(transfer: Transfer, error: ProviderError, headers: HeaderRecord): void {
    const bucket = transfer.bucket;
    if (bucket === undefined) return;
    this.responded(transfer, headers, false);
    if (error.category !== 'rate_limit') return;
    const now = this.#host.now();
    bucket.throttled(error.retryAfterMs, parseRateHeaders(headers, now) !== undefined, now);
    // Paused past what the engine waits: the 429'd request itself fails with its error (see
    // decideRetry), and every request queued behind it would wait as long, so they fail too.
    if (bucket.pausedUntil - now > this.#host.maxWaitMs) {
      const queued = bucket.queue.slice(bucket.head);
      for (const held of queued) if (held.phase !== 'done') this.#refuse(bucket, held);
    }
  }

  /**
   * Fails `transfer` when its bucket is paused longer than the engine would wait (a 429 said
   * so); true when it did. Shorter pauses hold the transfer in the queue instead.
   */
  #refuse(bucket: Bucket, transfer: Transfer): boolean {
    const now = this.#host.now();
    const waitMs = bucket.pausedUntil - now;
    if (waitMs <= this.#host.maxWaitMs) return false;
    const seconds = Math.ceil(waitMs / 1000);
    this.#host.fail(
      transfer,
      providerError('rate_limit', {
        message:
          `not sent: the account said to wait ${seconds} s (a 429's retry time for ${bucket.provider} ${bucket.model}), ` +
          `longer than the ${Math.round(this.#host.maxWaitMs / 1000)} s the engine waits (retryPolicy.maxRetryAfterMs)`,
        retryAfterMs: waitMs,
        hint: hintFor('rate_limit'),
      }),
    );
    return true;
  }

  /** An attempt ended (retry follows, or the transfer is done): reconcile its reservation, let the queue move. */
  attemptEnded(transfer: Transfer, succeeded: boolean, used: { readonly input: number; readonly output: number } | undefined): void {
    const { bucket, reservation } = transfer;
    if (bucket === undefined) return;
    if (reservation !== undefined) bucket.settle(reservation, succeeded, used);
    transfer.reservation = undefined;
    if (this.#cache !== undefined && transfer.phase === 'done') {
      this.#cache.remove(transfer);
      this.#letGo(this.#cache.release(transfer, false, this.#host.now()));
    }
    if (transfer.rateQueued && transfer.phase === 'done') {
      transfer.rateQueued = false;
      bucket.remove(transfer);
      if (bucket.waker === transfer) {
        bucket.waker = undefined;
        this.#host.disarm(transfer);
      }
    }
    this.#drain(bucket);
  }

  /** Transfers the cache gate held go on through their buckets. */
  #letGo(released: readonly Transfer[]): void {
    for (const transfer of released) if (transfer.phase === 'queued' && this.admit(transfer)) this.#host.admit(transfer);
  }

  limits(): BucketSnapshot[] {
    const now = this.#host.now();
    const out: BucketSnapshot[] = [];
    for (const bucket of this.#buckets.values()) {
      const windows = {} as Record<Dimension, WindowSnapshot>;
      for (const dimension of DIMENSIONS) {
        const window = bucket.windows[dimension];
        window.roll(now);
        windows[dimension] = {
          limit: window.effectiveLimit ?? null,
          remaining: window.remaining ?? null,
          resetInMs: window.resetAt === undefined ? null : Math.max(0, window.resetAt - now),
        };
      }
      out.push({
        provider: bucket.provider,
        origin: bucket.origin,
        model: bucket.model,
        keyId: bucket.keyId,
        windows,
        queued: bucket.queued,
        inFlight: bucket.inFlight,
        concurrency: Number.isFinite(bucket.concurrency) ? bucket.concurrency : null,
        pausedForMs: Math.max(0, bucket.pausedUntil - now),
      });
    }
    return out;
  }

  /** Reserves for `transfer` if its bucket lets it go now; otherwise says why not. */
  #tryReserve(bucket: Bucket, transfer: Transfer): Hold | undefined {
    const ticket = transfer.ticket;
    if (ticket === undefined) return undefined;
    const now = this.#host.now();
    let hold = bucket.hold(ticket, now);
    // Waiting for an answer with nothing on the wire would wait for ever: send, the provider judges.
    if (hold !== undefined && hold.until === Number.POSITIVE_INFINITY && bucket.inFlight === 0) hold = undefined;
    if (hold !== undefined) return hold;
    const refused = this.#takeLeases(bucket, ticket);
    if (refused !== undefined) return { reason: 'lease', until: now + LEASE_RETRY_MS, dimension: refused };
    transfer.reservation = bucket.reserve(ticket, now);
    return undefined;
  }

  #takeLeases(bucket: Bucket, ticket: NonNullable<Transfer['ticket']>): Dimension | undefined {
    for (let i = 0; i < DIMENSIONS.length; i++) {
      const dimension = DIMENSIONS[i] as Dimension;
      const cost = costOf(ticket, dimension);
      if (cost <= 0 || this.#lease.take(bucket.key, dimension, cost)) continue;
      for (let j = 0; j < i; j++) {
        const taken = DIMENSIONS[j] as Dimension;
        const back = costOf(ticket, taken);
        if (back > 0) this.#lease.give(bucket.key, taken, back);
      }
      return dimension;
    }
    return undefined;
  }

  #drain(bucket: Bucket): void {
    if (this.draining) return;
    for (let transfer = bucket.peek(); transfer !== undefined; transfer = bucket.peek()) {
      // Its whole budget is spent (its total deadline due in this same wake-up): that deadline ends it, and it leaves the queue then.
      const total = transfer.timers.total;
      if (total !== undefined && total.at <= this.#host.now()) return;
      const hold = this.#tryReserve(bucket, transfer);
      if (hold !== undefined) return this.#wait(bucket, transfer, hold);
      bucket.shift();
      transfer.rateQueued = false;
      if (bucket.waker === transfer) {
        bucket.waker = undefined;
        this.#host.disarm(transfer);
      }
      if (transfer.phase === 'queued') this.#host.admit(transfer);
      else this.#host.start(transfer);
    }
    bucket.lastHold = undefined;
  }

  #wait(bucket: Bucket, head: Transfer, hold: Hold): void {
    const now = this.#host.now();
    if (bucket.waker !== undefined && bucket.waker !== head) this.#host.disarm(bucket.waker);
    bucket.waker = undefined;
    if (Number.isFinite(hold.until)) {
      bucket.waker = head;
      this.#host.arm(head, Math.max(0, hold.until - now));
    }
    const last = bucket.lastHold;
    if (last !== undefined && last.reason === hold.reason && last.until === hold.until) return;
    bucket.lastHold = hold;
    const hook = this.#options.onThrottle;
    if (hook === undefined) return;
    const info: ThrottleInfo = {
      provider: bucket.provider,
      model: bucket.model,
      origin: bucket.origin,
      reason: hold.reason,
      ...(hold.dimension === undefined ? {} : { dimension: hold.dimension }),
      resumeInMs: Number.isFinite(hold.until) ? Math.max(0, hold.until - now) : undefined,
      queued: bucket.queued,
    };
    try {
      hook(info);
    } catch (error) {
      this.#host.reportCallbackError(error);
    }
  }
}
