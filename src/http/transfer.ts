import type { Dispatcher } from 'undici';
import type { ProviderError, TimeoutPhase } from '../errors/category.js';
import type { HeaderRecord, RequestHandle, RetryInfo, Timeouts, TransferRequest, TransferSink } from './types.js';

export type TransferState = 'queued' | 'running' | 'backoff' | 'done';

/** One timer per timeout phase, plus the retry backoff. */
export type TimerKind = TimeoutPhase | 'retry';

export interface ArmedTimer {
  /** When it fires, on the engine clock. */
  readonly at: number;
  readonly kind: TimerKind;
  readonly transfer: Transfer;
  readonly fire: () => void;
}

/** A non-2xx response being collected so the provider can read its error body. */
export interface ErrorResponse {
  readonly status: number;
  readonly headers: HeaderRecord;
  readonly body: Buffer[];
  bytes: number;
}

/**
 * One request's life in the engine, across its attempts. Plain mutable state; HttpMulti
 * owns every transition so the rules live in one place.
 */
export class Transfer implements RequestHandle {
  readonly id: number;
  readonly request: TransferRequest;
  readonly sink: TransferSink;
  readonly timeouts: Timeouts;
  readonly maxRetries: number;
  readonly origin: string;
  readonly path: string;

  state: TransferState = 'queued';
  attempt = 0;
  controller: Dispatcher.DispatchController | undefined;
  /** Set when undici called onRequestStart for the current attempt. */
  connected = false;

  /** A 2xx response not yet handed to the sink. */
  response: { readonly status: number; readonly headers: HeaderRecord } | undefined;
  responseDelivered = false;
  errorResponse: ErrorResponse | undefined;
  /** Body chunks waiting for perform(). */
  chunks: Buffer[] = [];
  queuedBytes = 0;
  paused = false;
  /** How the current attempt ended, waiting for perform() to act on it. */
  ended: 'ok' | ProviderError | undefined;

  inReady = false;
  lastActivity = 0;
  /** Fixed fields (never deleted) keep this object's shape stable on the hot path. */
  readonly timers: Record<TimerKind, ArmedTimer | undefined> = {
    connect: undefined,
    headers: undefined,
    idle: undefined,
    total: undefined,
    retry: undefined,
  };

  readonly onRetry: ((info: RetryInfo) => void) | undefined;

  constructor(
    id: number,
    request: TransferRequest,
    sink: TransferSink,
    timeouts: Timeouts,
    maxRetries: number,
    url: URL,
    onRetry: ((info: RetryInfo) => void) | undefined,
  ) {
    this.onRetry = onRetry;
    this.id = id;
    this.request = request;
    this.sink = sink;
    this.timeouts = timeouts;
    this.maxRetries = maxRetries;
    this.origin = url.origin;
    this.path = `${url.pathname}${url.search}`;
  }

  /** Clears what one attempt left behind, before the next one starts. */
  resetAttempt(): void {
    this.controller = undefined;
    this.connected = false;
    this.response = undefined;
    this.responseDelivered = false;
    this.errorResponse = undefined;
    this.chunks = [];
    this.queuedBytes = 0;
    this.paused = false;
    this.ended = undefined;
  }
}

