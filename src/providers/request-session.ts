import { err, ok, type Result } from 'neverthrow';
import type { ProviderError } from '../errors/category.js';
import type { HeaderRecord, TransferOutcome, TransferSink } from '../http/types.js';
import type { PreparedRequest, ProviderAdapter } from './adapter.js';
import { describeHttpError, withErrorMeta, withResponseMeta } from './response-meta.js';
import { bodyTooLarge, cancelledError, MAX_RESPONSE_BODY_BYTES, refuseHtml, unexpectedEnd } from './session-errors.js';
import { reportedTokens, type CompletionHandler } from './stream-session.js';
import type { ChatResponse } from './types.js';

/** A non-streaming request: buffer the body (bounded), parse it once at the end. */
export class RequestSession implements TransferSink {
  readonly #adapter: ProviderAdapter;
  readonly #prepared: PreparedRequest;
  readonly #onComplete: CompletionHandler;
  readonly #maxBytes: number;
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  #result: Result<ChatResponse, ProviderError> | undefined;
  /** The 2xx response's headers, for the result's request id and rate-limit headers. */
  #headers: HeaderRecord | undefined;

  constructor(adapter: ProviderAdapter, prepared: PreparedRequest, onComplete: CompletionHandler, maxBytes = MAX_RESPONSE_BODY_BYTES) {
    this.#adapter = adapter;
    this.#prepared = prepared;
    this.#onComplete = onComplete;
    this.#maxBytes = maxBytes;
  }

  /** Nothing reaches the user before completion, so a failed attempt can always be retried. */
  get delivered(): boolean {
    return false;
  }

  onResponse(_status: number, headers: HeaderRecord): ProviderError | undefined {
    this.#headers = headers;
    return refuseHtml(headers, 'JSON');
  }

  onData(chunk: Uint8Array): ProviderError | undefined {
    this.#bytes += chunk.length;
    if (this.#bytes > this.#maxBytes) return bodyTooLarge(this.#maxBytes);
    this.#chunks.push(chunk);
    return undefined;
  }

  onCancel(): void {
    this.#chunks = [];
  }

  /** The body buffered so far, for the engine's memory budget. */
  heldBytes(): number {
    return this.#bytes;
  }

  reset(): void {
    this.#headers = undefined;
    this.#chunks = [];
    this.#bytes = 0;
  }

  describeHttpError(status: number, headers: HeaderRecord, body: string, nowMs: number): ProviderError {
    return describeHttpError(this.#adapter, status, headers, body, nowMs);
  }

  finish(outcome: TransferOutcome): void {
    if (outcome.kind === 'ok') {
      const body = Buffer.concat(this.#chunks).toString('utf8');
      this.#chunks = [];
      const parsed = this.#adapter.parseResponse(this.#prepared, body);
      const headers = this.#headers ?? outcome.headers;
      this.#result = parsed.isOk() ? ok(withResponseMeta(parsed.value, headers)) : err(withErrorMeta(parsed.error, headers));
    } else if (outcome.kind === 'failed') {
      // The completion may wait for infoRead(): a failed body is not kept that long.
      this.#chunks = [];
      this.#bytes = 0;
      this.#result = err(outcome.error);
    }
  }

  usage(): { readonly input: number; readonly output: number } | undefined {
    return reportedTokens(this.#result);
  }

  complete(outcome: TransferOutcome): void {
    if (outcome.kind === 'cancelled') return this.#onComplete(err(cancelledError()));
    this.#onComplete(this.#result ?? err(unexpectedEnd()));
  }
}
