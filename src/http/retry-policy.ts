import type { ProviderError } from '../errors/category.js';

export interface RetryPolicy {
  /** Delay before the first retry; doubles each time. */
  readonly baseDelayMs: number;
  /** Upper bound of our own backoff. */
  readonly maxDelayMs: number;
  /** The longest server-requested wait we honour; a longer one ends the request with its error. */
  readonly maxRetryAfterMs: number;
  /** Fraction of the delay taken off at random, so many clients do not retry in step. */
  readonly jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  jitter: 0.25,
};

/**
 * The wait before attempt `nextAttempt` (2 = the first retry), or undefined when we should
 * not retry at all because the server asked for longer than we honour.
 */
export function retryDelay(
  error: ProviderError,
  nextAttempt: number,
  policy: RetryPolicy,
  random: () => number,
): number | undefined {
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : undefined;
  }
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, nextAttempt - 2));
  return Math.round(exponential * (1 - policy.jitter * random()));
}
