import type { Dimension } from './rate-headers.js';

/**
 * Where a bucket's capacity comes from. The governor asks synchronously, inside the pump;
 * a shared source (Redis, see examples/) answers from leases it fetched between pumps and
 * refills them asynchronously, so several processes split one account's limits.
 */
export interface LeaseSource {
  /** Takes `amount` units of `dimension` for bucket `key`; false when none are left now. */
  take(key: string, dimension: Dimension, amount: number): boolean;
  /** Gives back units taken but not used (another dimension refused, or a refund). */
  give(key: string, dimension: Dimension, amount: number): void;
  /** What the headers said, so a shared source can size the account's budget and window. */
  learn(key: string, dimension: Dimension, limit: number, resetInMs: number | undefined): void;
}

/** One process: the bucket's own windows are the whole truth, so every take succeeds. */
export class InProcessLeaseSource implements LeaseSource {
  take(): boolean {
    return true;
  }

  give(): void {
    // Nothing is shared, nothing to give back.
  }

  learn(): void {
    // The bucket's own windows hold what was learned.
  }
}
