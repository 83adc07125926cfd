import type { Dispatcher } from 'undici';
import type { BreakerOptions } from './breaker.js';
import type { Clock } from './clock.js';
import type { GovernorOptions } from './governor/types.js';
import type { RetryPolicy } from './retry-policy.js';
import type { Transfer } from './transfer.js';
import type { RetryInfo, Timeouts, TransferOutcome } from './types.js';

/** What HttpMulti resolves from its options and hands to the Engine. */
export interface EngineSettings {
  readonly dispatcher: Dispatcher | undefined;
  readonly clock: Clock;
  readonly maxInFlight: number;
  readonly highWaterMark: number;
  readonly timeouts: Timeouts;
  readonly maxRetries: number;
  readonly retryPolicy: RetryPolicy;
  readonly random: () => number;
  readonly maxErrorBodyBytes: number;
  /** Bytes all transfers may hold at once (see MemoryBudget). */
  readonly memoryBudget: number;
  readonly onRetry: ((info: RetryInfo) => void) | undefined;
  /** Work became ready after the last pump began: the host should pump again. */
  readonly signal: () => void;
  readonly reportCallbackError: (error: unknown) => void;
  /** Undefined: no rate governor. */
  readonly governor: GovernorOptions | undefined;
  readonly breaker: BreakerOptions | undefined;
}

export interface Message {
  readonly transfer: Transfer;
  readonly outcome: TransferOutcome;
}
