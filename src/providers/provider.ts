import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../errors/category.js';
import { HttpMulti, type HttpMultiOptions } from '../http/multi.js';
import type { RequestHandle, RetryInfo, TransferSink } from '../http/types.js';
import type { SseLimits } from '../sse/decoder.js';
import type { PreparedRequest, ProviderAdapter, RequestMode } from './adapter.js';
import { finishedLine, retryLine, usageLine } from './log-lines.js';
import { rateTicket } from './rate-ticket.js';
import { RequestSession } from './request-session.js';
import { StreamSession, type CompletionHandler, type StreamEventHandler } from './stream-session.js';
import type { ChatRequest } from './types.js';

export type { CompletionHandler, StreamEventHandler };

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
  perform(): number;
  infoRead(): number;
  timeout(): number;
  wait(ms: number): Promise<void>;
  /** Pumps until every transfer of the engine has completed. */
  run(): Promise<void>;
  cancel(handle: RequestHandle): boolean;
  cancelAll(): number;
  /** Closes the engine if this provider created it; a shared engine is left to its owner. */
  cleanup(): Promise<void>;
}

export interface ProviderOptions {
  /** Share one engine between providers; otherwise the provider creates its own from `engine`. */
  readonly multi?: HttpMulti;
  readonly engine?: HttpMultiOptions;
  /** One line per finished request, retry and error. Silent by default. */
  readonly logger?: (line: string) => void;
  readonly sseLimits?: SseLimits;
}

/** Wraps a provider adapter (pure serializers and parsers) into the engine-backed vtable. */
export class EngineProvider implements Provider {
  readonly name: string;
  readonly multi: HttpMulti;
  readonly #adapter: ProviderAdapter;
  readonly #ownsMulti: boolean;
  readonly #logger: ((line: string) => void) | undefined;
  readonly #sseLimits: SseLimits | undefined;

  constructor(adapter: ProviderAdapter, options: ProviderOptions = {}) {
    this.name = adapter.name;
    this.#adapter = adapter;
    this.#ownsMulti = options.multi === undefined;
    this.multi = options.multi ?? new HttpMulti(options.engine);
    this.#logger = options.logger;
    this.#sseLimits = options.sseLimits;
  }

  startStream(request: ChatRequest, onEvent: StreamEventHandler, onComplete: CompletionHandler): Result<RequestHandle, ProviderError> {
    return this.#start(request, 'stream', (prepared) =>
      new StreamSession(this.#adapter, prepared, onEvent, this.#logged(prepared, onComplete), this.#sseLimits),
    );
  }

  startRequest(request: ChatRequest, onComplete: CompletionHandler): Result<RequestHandle, ProviderError> {
    return this.#start(request, 'request', (prepared) =>
      new RequestSession(this.#adapter, prepared, this.#logged(prepared, onComplete)),
    );
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

  run(): Promise<void> {
    return this.multi.run();
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
    createSink: (prepared: PreparedRequest) => TransferSink,
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
    createSink: (prepared: PreparedRequest) => TransferSink,
  ): Result<RequestHandle, ProviderError> {
    const prepared = this.#adapter.prepare(request, mode);
    if (prepared.isErr()) return err(prepared.error);
    const added = this.multi.add(prepared.value.http, createSink(prepared.value), {
      timeouts: request.timeouts,
      maxRetries: request.maxRetries,
      rate: rateTicket(this.#adapter.name, prepared.value.model, prepared.value.http, request),
      onRetry: this.#logger === undefined ? undefined : (info: RetryInfo) => this.#log(retryLine(this.#adapter.displayName, info)),
    });
    return 'category' in added ? err(added) : ok(added);
  }

  #logged(prepared: PreparedRequest, onComplete: CompletionHandler): CompletionHandler {
    if (this.#logger === undefined) return onComplete;
    return (result) => {
      this.#log(
        result.isOk()
          ? usageLine(this.#adapter.displayName, result.value)
          : finishedLine(this.#adapter.displayName, prepared.model, result.error),
      );
      onComplete(result);
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
