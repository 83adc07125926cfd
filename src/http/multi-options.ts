// HttpMulti's options and default deadlines, apart from the class so the contract reads in one place.
import type { Dispatcher } from 'undici';
import type { BreakerOptions } from './breaker.js';
import type { Clock } from './clock.js';
import type { GovernorOptions } from './governor/types.js';
import type { RetryPolicy } from './retry-policy.js';
import type { RetryInfo, Timeouts } from './types.js';

export const DEFAULT_TIMEOUTS: Timeouts = {
  connectMs: 10_000,
  headersMs: 600_000,
  idleMs: 300_000,
  totalMs: 0,
};

export interface HttpMultiOptions {
  /** Where requests go: an undici Agent by default, a VCR dispatcher in tests. */
  readonly dispatcher?: Dispatcher;
  /** Timers run on this clock; tests pass a VirtualClock. */
  readonly clock?: Clock;
  /** Transfers on the wire at once; later ones wait in FIFO order. */
  readonly maxInFlight?: number;
  /** Bytes queued on one transfer (not yet pumped) before its socket is paused. */
  readonly highWaterMark?: number;
  readonly timeouts?: Partial<Timeouts>;
  /** Retries after the first attempt (default 2). */
  readonly maxRetries?: number;
  readonly retryPolicy?: Partial<RetryPolicy>;
  /** Called (outside any pump) when work becomes ready, so an external loop can schedule one. */
  readonly notify?: () => void;
  /** Observes each retry before its backoff starts. */
  readonly onRetry?: (info: RetryInfo) => void;
  /**
   * Receives exceptions thrown by user callbacks (completion handlers, `notify`, throttle
   * hooks). Default: one process warning per engine, with the first stack; later throws are
   * counted in `callbackErrors` but not printed, so a buggy callback under load cannot flood
   * the host's stderr (or fill a pipe nobody drains and keep the process alive).
   */
  readonly onCallbackError?: (error: unknown) => void;
  /** Random source for backoff jitter; tests make it deterministic. */
  readonly random?: () => number;
  /** Most bytes of a non-2xx body kept for the error message. */
  readonly maxErrorBodyBytes?: number;
  /**
   * Bytes all transfers may hold at once (queued chunks, error bodies, buffered bodies, SSE
   * partial lines and events), default 256 MiB. Past it sockets pause and the largest
   * holders fail with a `protocol` error. See README "Memory".
   */
  readonly memoryBudget?: number;
  /** The rate governor (on by default; `false` or `{ enabled: false }` turns it off). See README "Rate governor". */
  readonly governor?: GovernorOptions | false;
  /** The circuit breaker per (provider, model) (on by default; `false` turns it off). */
  readonly breaker?: BreakerOptions | false;
}
