import type { ProviderError } from '../errors/category.js';
import type { RateTicket } from './governor/types.js';
import type { HeaderRecord } from './headers.js';

export type { HeaderRecord };

/** Deadlines of one transfer, per phase. */
export interface Timeouts {
  /** From dispatch until a socket is connected and the request is being written. */
  readonly connectMs: number;
  /** From the request being written until the response status and headers arrive. */
  readonly headersMs: number;
  /** Longest silence between two body chunks. */
  readonly idleMs: number;
  /** The whole exchange, retries included. 0 = no limit. */
  readonly totalMs: number;
}

/** One HTTP exchange as the engine sends it. */
export interface TransferRequest {
  readonly method: 'GET' | 'POST';
  /** Absolute URL. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** How a transfer ended, as its sink learns it. */
export type TransferOutcome =
  | { readonly kind: 'ok'; readonly status: number; readonly headers: HeaderRecord }
  | { readonly kind: 'failed'; readonly error: ProviderError }
  | { readonly kind: 'cancelled' };

/**
 * The engine's view of whoever consumes a transfer (the curl write callback plus the
 * completion handler). The engine calls `onResponse`, `onData` and `finish` only inside
 * `perform()`, and `complete` only inside `infoRead()`.
 */
export interface TransferSink {
  /** A 2xx status and its headers. Return an error to fail the transfer (HTML where SSE was due). */
  onResponse(status: number, headers: HeaderRecord): ProviderError | undefined;
  /** The next body chunk of a 2xx response, exactly as received. Return an error to fail the transfer. */
  onData(chunk: Uint8Array): ProviderError | undefined;
  /** True once anything reached user code; from then on the engine never retries. */
  readonly delivered: boolean;
  /**
   * Optional. True once the body held the stream's terminal event (`[DONE]`,
   * `response.completed`, ...). Read after each onData: the transfer then completes at once
   * and its socket is released, without waiting for a server that never closes.
   */
  readonly ended?: boolean;
  /**
   * Optional. True while the consumer is not taking more (an async iterator nobody pulls):
   * perform() leaves the bytes queued, so the socket pauses at the high-water mark. Call
   * HttpMulti.resume(handle) when it takes again.
   */
  readonly held?: boolean;
  /** The transfer was cancelled, possibly from inside one of its own callbacks: emit nothing more. */
  onCancel(): void;
  /** Forget all state of a failed attempt before the engine retries. */
  reset(): void;
  /** Maps a non-2xx response to an error; its `retryable` and `retryAfterMs` drive the retry. */
  describeHttpError(status: number, headers: HeaderRecord, body: string, nowMs: number): ProviderError;
  /** The transfer is over (not called for cancelled ones): emit final events, keep the result. */
  finish(outcome: TransferOutcome): void;
  /** Hand the result to the user's completion callback. */
  complete(outcome: TransferOutcome): void;
  /**
   * Optional. Bytes the sink keeps for this transfer now (a buffered body, an SSE partial
   * line and event), read after each pump for the engine's memory budget: over it, the
   * largest holders fail. A sink without it is counted for its queued chunks only.
   */
  heldBytes?(): number;
  /** Optional. The tokens the provider reported, read after finish, so the rate governor can reconcile. */
  usage?(): { readonly input: number; readonly output: number } | undefined;
}

export interface TransferOptions {
  readonly timeouts?: Partial<Timeouts>;
  readonly maxRetries?: number;
  /** Observes this transfer's retries (the engine-wide hook sees them too). */
  readonly onRetry?: (info: RetryInfo) => void;
  /** Bucket and cost for the rate governor (providers fill it in); without it the governor leaves the transfer alone. */
  readonly rate?: RateTicket;
}

/** Opaque handle of a started request; pass it to `cancel`. */
export interface RequestHandle {
  readonly id: number;
}

/** What the host sees of each retry, for its logs. */
export interface RetryInfo {
  readonly handle: RequestHandle;
  readonly url: string;
  /** The attempt about to start (2 = first retry). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: ProviderError;
}
