import { err, ok, type Result } from 'neverthrow';
import type { ProviderError } from '../errors/category.js';
import type { HeaderRecord, TransferOutcome, TransferSink } from '../http/types.js';
import { SseDecoder, type SseLimits } from '../sse/decoder.js';
import type { PreparedRequest, ProviderAdapter, SseEvent, StreamParser } from './adapter.js';
import { describeHttpError, withErrorMeta, withResponseMeta } from './response-meta.js';
import { callbackThrew, cancelledError, refuseHtml, unexpectedEnd } from './session-errors.js';
import type { ChatResponse, StreamEvent } from './types.js';

export type StreamEventHandler = (event: StreamEvent) => void;
export type CompletionHandler = (result: Result<ChatResponse, ProviderError>) => void;

/**
 * The write callback and completion handler of one stream: bytes -> SSE -> provider
 * parser -> the user's onEvent. It enforces the event contract (nothing after the one
 * terminal event) whatever the parser or the network does.
 */
export class StreamSession implements TransferSink {
  readonly #adapter: ProviderAdapter;
  readonly #prepared: PreparedRequest;
  readonly #onEvent: StreamEventHandler;
  readonly #onComplete: CompletionHandler;
  readonly #limits: SseLimits | undefined;
  readonly #holder: { readonly held: boolean } | undefined;
  #parser: StreamParser;
  #decoder: SseDecoder;
  #delivered = false;
  #terminal = false;
  #callbackFailure: ProviderError | undefined;
  /** The 2xx response's headers, for the result's request id and rate-limit headers. */
  #headers: HeaderRecord | undefined;
  #result: Result<ChatResponse, ProviderError> | undefined;

  constructor(
    adapter: ProviderAdapter,
    prepared: PreparedRequest,
    onEvent: StreamEventHandler,
    onComplete: CompletionHandler,
    limits?: SseLimits,
    holder?: { readonly held: boolean },
  ) {
    this.#adapter = adapter;
    this.#prepared = prepared;
    this.#onEvent = onEvent;
    this.#onComplete = onComplete;
    this.#limits = limits;
    this.#holder = holder;
    this.#parser = adapter.createStreamParser(prepared);
    this.#decoder = this.#newDecoder();
  }

  get delivered(): boolean {
    return this.#delivered;
  }

  /** A consumer that stopped pulling (stream()'s buffer is full) holds the transfer. */
  get held(): boolean {
    return this.#holder?.held ?? false;
  }

  /**
   * The user has the stream's terminal event from the parser (not from a cancel or a
   * failure of ours): the engine completes the transfer now instead of waiting for a server
   * that may never close. A parser that refuses an event without emitting (an in-band error
   * before any output, to be retried) does not end the stream here.
   */
  get ended(): boolean {
    return this.#terminal && this.#parser.finished;
  }

  onResponse(_status: number, headers: HeaderRecord): ProviderError | undefined {
    this.#headers = headers;
    return refuseHtml(headers, 'an event stream');
  }

  onData(chunk: Uint8Array): ProviderError | undefined {
    return this.#decoder.feed(chunk);
  }

  onCancel(): void {
    this.#terminal = true;
  }

  /** What the SSE decoder holds (a partial line and event), for the engine's memory budget. */
  heldBytes(): number {
    return this.#decoder.buffered;
  }

  reset(): void {
    this.#headers = undefined;
    this.#parser = this.#adapter.createStreamParser(this.#prepared);
    this.#decoder = this.#newDecoder();
  }

  describeHttpError(status: number, headers: HeaderRecord, body: string, nowMs: number): ProviderError {
    return describeHttpError(this.#adapter, status, headers, body, nowMs);
  }

  finish(outcome: TransferOutcome): void {
    if (outcome.kind === 'cancelled') return;
    this.#settle(outcome);
    // The completion may wait for infoRead(): a failed stream's partial line is not kept that long.
    if (this.#result?.isErr() === true) this.#decoder = this.#newDecoder();
  }

  #settle(outcome: Exclude<TransferOutcome, { readonly kind: 'cancelled' }>): void {
    let failure = outcome.kind === 'ok' ? this.#decoder.end() : outcome.error;
    // The end of a clean body may itself end the stream (a protocol without an end marker).
    if (failure === undefined && !this.#parser.finished && this.#callbackFailure === undefined) {
      failure = this.#parser.onEnd?.(this.#emit);
    }
    if (this.#callbackFailure !== undefined) {
      this.#result = err(this.#callbackFailure);
      return;
    }
    // A stream that reached its terminal event is whole, whatever broke after it.
    if (this.#parser.finished) {
      this.#result = this.#withMeta(this.#parser.result());
      return;
    }
    if (failure !== undefined) return this.#fail(failure);
    const result = this.#parser.result();
    if (result.isErr()) return this.#fail(result.error);
    this.#result = this.#withMeta(result);
  }

  usage(): { readonly input: number; readonly output: number } | undefined {
    return reportedTokens(this.#result);
  }

  complete(outcome: TransferOutcome): void {
    const result = outcome.kind === 'cancelled' ? err(cancelledError()) : (this.#result ?? err(unexpectedEnd()));
    this.#onComplete(result);
  }

  #newDecoder(): SseDecoder {
    // Only a parser that reads non-SSE lines gets them; for the others the decoder is as before.
    const parser = this.#parser;
    const hook = parser.onOtherLine;
    const onOther = hook === undefined ? undefined : (line: string) => hook.call(parser, line, this.#emit) ?? this.#callbackFailure;
    return new SseDecoder(this.#onSse, this.#limits, onOther);
  }

  readonly #onSse = (event: SseEvent): ProviderError | undefined =>
    this.#parser.onSse(event, this.#emit) ?? this.#callbackFailure;

  readonly #emit = (event: StreamEvent): void => {
    if (this.#terminal || this.#callbackFailure !== undefined) return;
    if (event.type === 'done' || event.type === 'error') this.#terminal = true;
    this.#delivered = true;
    try {
      this.#onEvent(event);
    } catch (error) {
      this.#callbackFailure = callbackThrew('onEvent', error);
    }
  };

  #withMeta(result: Result<ChatResponse, ProviderError>): Result<ChatResponse, ProviderError> {
    const headers = this.#headers;
    if (headers === undefined) return result;
    return result.isOk() ? ok(withResponseMeta(result.value, headers)) : err(withErrorMeta(result.error, headers));
  }

  #fail(failure: ProviderError): void {
    // Content that arrived before the failure stays with the error (a cut, a timeout, bad bytes).
    const partial = failure.partial === undefined ? this.#parser.partial?.() : undefined;
    const error = partial === undefined ? failure : { ...failure, partial };
    this.#result = this.#withMeta(err(error));
    if (!this.#terminal) {
      // The user's own exception must not be reported back into the callback that threw it.
      if (this.#callbackFailure === undefined) this.#emit({ type: 'error', category: error.category, message: error.message });
      this.#terminal = true;
    }
  }
}


/** The tokens a finished result reports, for the rate governor's reconciliation. */
export function reportedTokens(result: Result<ChatResponse, ProviderError> | undefined): { readonly input: number; readonly output: number } | undefined {
  const usage = result?.isOk() === true ? result.value.usage : null;
  if (usage === null || usage === undefined || usage.input === null || usage.output === null) return undefined;
  return { input: usage.input, output: usage.output };
}
