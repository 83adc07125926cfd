import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../errors/category.js';
import { HttpMulti, type HttpMultiOptions } from '../http/multi.js';
import type { RequestHandle, RetryInfo, TransferSink } from '../http/types.js';
import type { SseLimits } from '../sse/decoder.js';
import type { PreparedRequest, ProviderAdapter, RequestMode } from './adapter.js';
import { abortedBeforeStart, onAbort } from './abort.js';
import { completeVia, EventQueue, withSignal, type ChatStream, type CompleteOptions, type StreamOptions } from './event-stream.js';
import { finishedLine, retryLine, usageLine } from './log-lines.js';
import { rateTicket } from './rate-ticket.js';
import { acquirePump } from './pump-lease.js';
import { RequestSession } from './request-session.js';
import { StreamSession, type CompletionHandler, type StreamEventHandler } from './stream-session.js';
import { priceUsage } from './pricing/table.js';
import type { ChatRequest, ChatResponse, Usage } from './types.js';

export type { ChatStream, CompleteOptions, CompletionHandler, StreamEventHandler, StreamOptions };

/**
 * The provider vtable. Start calls return at once with a handle or an immediate error;
 * user callbacks run only inside perform() (events) and infoRead() (completions).
 */
export interface Provider {
  readonly name: string;
  /** The engine this provider registers transfers with; several providers may share one. */
  readonly multi: HttpMulti;
  startStream(request: ChatRequest, onEvent: StreamEventHandler, onComplete: CompletionHandler): Result<RequestHandle, ProviderError>;
  startRequest(request: ChatRequest, onComplete: CompletionHandler): Result<RequestHandle, ProviderError>;
  /**
   * One request as a promise, on this provider's engine: resolves with the completion,
   * never rejects. Pumps the engine itself while it runs (a host that pumps too is fine).
   */
  complete(request: ChatRequest, options?: CompleteOptions): Promise<Result<ChatResponse, ProviderError>>;
  /**
   * One stream as an async iterator of its events (the last is `done` or `error`), with
   * `.result` for the completion. `break` cancels it; a consumer that stops pulling holds
   * the transfer, so its socket pauses. Pumps the engine itself while it runs.
   */
  stream(request: ChatRequest, options?: StreamOptions): ChatStream;
  perform(): number;
  infoRead(): number;
  timeout(): number;
  wait(ms: number): Promise<void>;
  /** Completions waiting for infoRead(): a host loop runs while perform() > 0 or this > 0. */
  readonly pendingCompletions: number;
  /** Pumps until every transfer of the engine has completed. */
  run(): Promise<void>;
  /** Pumps whenever work is ready (for hosts without a loop); returns the function that stops it. */
  autoPump(): () => void;
  cancel(handle: RequestHandle): boolean;
  cancelAll(): number;
  /** Closes the engine if this provider created it; a shared engine is left to its owner. */
  cleanup(): Promise<void>;
}

/** Builds a request's sink; `settle` wraps its completion handler (logging, releasing the abort listener). */
type SinkFactory = (prepared: PreparedRequest, settle: (onComplete: CompletionHandler) => CompletionHandler) => TransferSink;

export interface ProviderOptions {
  /** Share one engine between providers; otherwise the provider creates its own from `engine`. */
  readonly multi?: HttpMulti;
  readonly engine?: HttpMultiOptions;
  /** One line per finished request, retry and error. Silent by default. */
  readonly logger?: (line: string) => void;
  readonly sseLimits?: SseLimits;
  /**
   * Prices each logged usage (US dollars, null when the model is unknown). Defaults to the
   * bundled price table; the log line says `cost unknown` rather than a made-up 0.
   */
  readonly price?: (provider: string, model: string, usage: Usage | null, options: { readonly batch: boolean }) => number | null;
}

/** Wraps a provider adapter (pure serializers and parsers) into the engine-backed vtable. */
export class EngineProvider implements Provider {
  readonly name: string;
  readonly multi: HttpMulti;
  readonly #adapter: ProviderAdapter;
  readonly #ownsMulti: boolean;
  readonly #logger: ((line: string) => void) | undefined;
  readonly #sseLimits: SseLimits | undefined;
  readonly #price: NonNullable<ProviderOptions['price']>;

  constructor(adapter: ProviderAdapter, options: ProviderOptions = {}) {
    this.name = adapter.name;
    this.#adapter = adapter;
    this.#ownsMulti = options.multi === undefined;
    this.#price = options.price ?? priceUsage;
    this.multi = options.multi ?? new HttpMulti(options.engine);
    this.#logger = options.logger;
    this.#sseLimits = options.sseLimits;
  }

  startStream(request: ChatRequest, onEvent: StreamEventHandler, onComplete: CompletionHandler): Result<RequestHandle, ProviderError> {
    return this.#start(request, 'stream', (prepared, settle) =>
      new StreamSession(this.#adapter, prepared, this.#reported(onEvent), settle(onComplete), this.#sseLimits),
    );
  }

  startRequest(request: ChatRequest, onComplete: CompletionHandler): Result<RequestHandle, ProviderError> {
    return this.#start(request, 'request', (prepared, settle) => new RequestSession(this.#adapter, prepared, settle(onComplete)));
  }

  complete(request: ChatRequest, options: CompleteOptions = {}): Promise<Result<ChatResponse, ProviderError>> {
    return completeVia((onComplete) => this.startRequest(withSignal(request, options.signal), onComplete), () => acquirePump(this.multi));
  }

  stream(request: ChatRequest, options: StreamOptions = {}): ChatStream {
    const queue = new EventQueue(options.highWaterMark);
    const release = acquirePump(this.multi);
    const started = this.#start(withSignal(request, options.signal), 'stream', (prepared, settle) => {
      const onComplete = settle((result) => {
        release();
        queue.complete(result);
      });
      return new StreamSession(this.#adapter, prepared, queue.push, onComplete, this.#sseLimits, queue);
    });
    if (started.isErr()) {
      release();
      queue.failed(started.error);
      return queue;
    }
    const handle = started.value;
    queue.resume = () => this.multi.resume(handle);
    queue.stop = () => this.multi.cancel(handle);
    return queue;
  }

  perform(): number {
    return this.multi.perform();
  }

  infoRead(): number {
    return this.multi.infoRead();
  }

  timeout(): number {
    return this.multi.timeout();
  }

  wait(ms: number): Promise<void> {
    return this.multi.wait(ms);
  }

  get pendingCompletions(): number {
    return this.multi.pendingCompletions;
  }

  run(): Promise<void> {
    return this.multi.run();
  }

  autoPump(): () => void {
    return this.multi.autoPump();
  }

  cancel(handle: RequestHandle): boolean {
    return this.multi.cancel(handle);
  }

  cancelAll(): number {
    return this.multi.cancelAll();
  }

  async cleanup(): Promise<void> {
    if (this.#ownsMulti) await this.multi.close();
  }

  #start(
    request: ChatRequest,
    mode: RequestMode,
    createSink: SinkFactory,
  ): Result<RequestHandle, ProviderError> {
    try {
      return this.#register(request, mode, createSink);
    } catch (error) {
      // Only reachable through a request object that defies its type (plain JS callers).
      return err(invalidRequest(error));
    }
  }

  #register(
    request: ChatRequest,
    mode: RequestMode,
    createSink: SinkFactory,
  ): Result<RequestHandle, ProviderError> {
    const signal = request.signal;
    if (signal?.aborted === true) return err(abortedBeforeStart(signal));
    const prepared = this.#adapter.prepare(request, mode);
    if (prepared.isErr()) return err(prepared.error);
    let handle: RequestHandle | undefined;
    // Aborting is cancel(); the listener goes with the completion so a long-lived signal keeps nothing.
    const forget = onAbort(signal, () => {
      if (handle !== undefined) this.multi.cancel(handle);
    });
    const settle = (onComplete: CompletionHandler): CompletionHandler =>
      this.#logged(prepared.value, (result) => {
        forget();
        onComplete(result);
      });
    const added = this.multi.add(prepared.value.http, createSink(prepared.value, settle), {
      timeouts: request.timeouts,
      maxRetries: request.maxRetries,
      rate: rateTicket(this.#adapter.name, prepared.value, request),
      onRetry: this.#logger === undefined ? undefined : (info: RetryInfo) => this.#log(retryLine(this.#adapter.displayName, info)),
    });
    if ('category' in added) {
      forget();
      return err(added);
    }
    handle = added;
    return ok(added);
  }

  #logged(prepared: PreparedRequest, onComplete: CompletionHandler): CompletionHandler {
    if (this.#logger === undefined) return onComplete;
    return (result) => {
      this.#log(
        result.isOk()
          ? usageLine(this.#adapter.displayName, result.value, this.#price(this.#adapter.name, result.value.model, result.value.usage, { batch: false }))
          : finishedLine(this.#adapter.displayName, prepared.model, result.error),
      );
      onComplete(result);
    };
  }

  /** The session turns an onEvent throw into the request's error; the engine's reporter hears it too. */
  #reported(onEvent: StreamEventHandler): StreamEventHandler {
    return (event) => {
      try {
        onEvent(event);
      } catch (error) {
        this.multi.reportCallbackError(error);
        throw error;
      }
    };
  }

  #log(line: string): void {
    try {
      this.#logger?.(line);
    } catch {
      // A broken logger must not break the request it reports on.
    }
  }
}

function invalidRequest(error: unknown): ProviderError {
  const what = error instanceof Error ? error.message : String(error);
  return providerError('invalid_arg', { message: `the request could not be serialized: ${what}` });
}
