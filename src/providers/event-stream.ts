import { err, type Result } from 'neverthrow';
import type { ProviderError } from '../errors/category.js';
import type { ChatResponse, StreamEvent } from './types.js';

/** What `provider.stream()` returns: the events in order, then the completion. */
export interface ChatStream extends AsyncIterable<StreamEvent> {
  /**
   * The request's completion, as `startStream`'s onComplete would get it. Never rejects;
   * settles even when nobody iterates once the request ends (`break` ends it: `cancelled`).
   */
  readonly result: Promise<Result<ChatResponse, ProviderError>>;
  /** Stops the request; iteration ends after what was already buffered is skipped. */
  cancel(): void;
}

export interface StreamOptions {
  readonly signal?: AbortSignal;
  /**
   * Events buffered for a consumer that does not pull before the transfer is held: its
   * bytes then queue in the engine, whose own high-water mark pauses the socket. Default 64.
   */
  readonly highWaterMark?: number;
}

export interface CompleteOptions {
  readonly signal?: AbortSignal;
}

/**
 * `complete()` for any provider: start the request with the pump held, resolve with its
 * completion (or the start call's error), release the pump either way. Never rejects.
 */
export function completeVia(
  start: (onComplete: (result: Result<ChatResponse, ProviderError>) => void) => Result<unknown, ProviderError>,
  acquirePump: () => () => void,
): Promise<Result<ChatResponse, ProviderError>> {
  return new Promise((resolve) => {
    const release = acquirePump();
    const started = start((result) => {
      release();
      resolve(result);
    });
    if (started.isErr()) {
      release();
      resolve(err(started.error));
    }
  });
}

/** The request with the call's signal on it, when the call has one. */
export function withSignal<T extends { readonly signal?: AbortSignal }>(request: T, signal: AbortSignal | undefined): T {
  return signal === undefined ? request : { ...request, signal };
}

type Waiter = (result: IteratorResult<StreamEvent>) => void;

const DONE: IteratorResult<StreamEvent> = { done: true, value: undefined };

/**
 * The buffer between the engine (which pushes events inside perform()) and an async
 * consumer (which pulls). It is the stream's transfer sink's `held` source: full means held.
 */
export class EventQueue implements ChatStream, AsyncIterator<StreamEvent> {
  readonly result: Promise<Result<ChatResponse, ProviderError>>;
  readonly #highWaterMark: number;
  #events: StreamEvent[] = [];
  #head = 0;
  #waiter: Waiter | undefined;
  /** No more events will be pushed: the terminal one was, or the request completed. */
  #ended = false;
  #terminalSeen = false;
  #completed = false;
  #holding = false;
  #settle!: (result: Result<ChatResponse, ProviderError>) => void;
  /** Set once the request is registered. */
  resume: () => void = () => undefined;
  stop: () => void = () => undefined;

  constructor(highWaterMark = 64) {
    this.#highWaterMark = Math.max(1, Math.floor(highWaterMark));
    this.result = new Promise((resolve) => {
      this.#settle = resolve;
    });
  }

  get buffered(): number {
    return this.#events.length - this.#head;
  }

  /** Read by the engine before each batch of bytes: a full buffer leaves them queued. */
  get held(): boolean {
    const full = !this.#ended && this.buffered >= this.#highWaterMark;
    if (full) this.#holding = true;
    return full;
  }

  push = (event: StreamEvent): void => {
    if (this.#ended) return;
    if (event.type === 'done' || event.type === 'error') {
      this.#terminalSeen = true;
      this.#ended = true;
    }
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter({ done: false, value: event });
      return;
    }
    this.#events.push(event);
  };

  complete = (result: Result<ChatResponse, ProviderError>): void => {
    if (this.#completed) return;
    this.#completed = true;
    // A request that ended without a terminal event (aborted, cancelled) still tells the loop why.
    if (!this.#terminalSeen && result.isErr()) this.push({ type: 'error', category: result.error.category, message: result.error.message });
    this.#ended = true;
    this.#settle(result);
    if (this.buffered === 0) this.#wake();
  };

  /** The start call failed: no events, the error is the result. */
  failed(error: ProviderError): void {
    this.complete(err(error));
  }

  cancel(): void {
    if (!this.#completed) this.stop();
    this.#events = [];
    this.#head = 0;
    this.#ended = true;
    this.#wake();
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    return this;
  }

  next(): Promise<IteratorResult<StreamEvent>> {
    if (this.buffered > 0) {
      const value = this.#events[this.#head++] as StreamEvent;
      if (this.#head === this.#events.length) {
        this.#events = [];
        this.#head = 0;
      }
      if (this.#holding && this.buffered < this.#highWaterMark) {
        this.#holding = false;
        this.resume();
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.#ended) return Promise.resolve(DONE);
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /** `break` (or a throw) out of `for await`: the request is cancelled. */
  return(): Promise<IteratorResult<StreamEvent>> {
    this.cancel();
    return Promise.resolve(DONE);
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.(DONE);
  }
}
