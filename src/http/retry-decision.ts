import type { ProviderError } from '../errors/category.js';
import { retryDelay, type RetryPolicy } from './retry-policy.js';

export interface RetryQuestion {
  readonly error: ProviderError;
  /** Attempts made so far (1 after the first). */
  readonly attempts: number;
  readonly maxRetries: number;
  /** Something already reached user code: a retry would show it twice. */
  readonly delivered: boolean;
  readonly now: number;
  /** When the total deadline falls, or undefined without one. */
  readonly totalAt: number | undefined;
}

/**
 * The backoff before the next attempt, or undefined when the transfer must fail with this
 * error: not retryable, output already delivered, retries used up, the server asked for
 * too long a wait, or the wait would end past the total deadline.
 */
export function decideRetry(question: RetryQuestion, policy: RetryPolicy, random: () => number): number | undefined {
  const { error, attempts, maxRetries, delivered, now, totalAt } = question;
  if (!error.retryable || delivered || attempts > maxRetries) return undefined;
  const delay = retryDelay(error, attempts + 1, policy, random);
  if (delay === undefined || (totalAt !== undefined && now + delay >= totalAt)) return undefined;
  return delay;
}
