// One raw HTTP exchange of the Batch API lane (upload, create, poll, download, cancel) through
// the engine, so its retries, timeouts, governor-free admission and VCR replay apply as they
// do to chat requests. The body is buffered up to a cap: result files are JSONL the lane
// parses whole. Errors are the provider's own mapping of the status and body.
import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { HttpMulti } from '../../http/multi.js';
import type { HeaderRecord, TransferOutcome, TransferRequest, TransferSink } from '../../http/types.js';
import type { ProviderAdapter } from '../../providers/adapter.js';
import { acquirePump } from '../../providers/pump-lease.js';

/** Most bytes kept of one response: a results file of a full OpenAI batch (200 MB in) can be larger than its input. */
export const MAX_BATCH_BODY_BYTES = 1024 * 1024 * 1024;

export interface RawResponse {
  readonly status: number;
  readonly headers: HeaderRecord;
  readonly body: string;
}

/** What an exchange needs: the engine and the provider whose error mapping applies. */
export interface WireContext {
  readonly multi: HttpMulti;
  readonly adapter: ProviderAdapter;
  /** Cap on a response body; default MAX_BATCH_BODY_BYTES. */
  readonly maxBodyBytes?: number;
}

class RawSink implements TransferSink {
  readonly delivered = false;
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  #status = 0;
  #headers: HeaderRecord = {};
  readonly #adapter: ProviderAdapter;
  readonly #maxBytes: number;
  readonly #done: (result: Result<RawResponse, ProviderError>) => void;
  #result: Result<RawResponse, ProviderError> | undefined;

  constructor(adapter: ProviderAdapter, maxBytes: number, done: (result: Result<RawResponse, ProviderError>) => void) {
    this.#adapter = adapter;
    this.#maxBytes = maxBytes;
    this.#done = done;
  }

  onResponse(status: number, headers: HeaderRecord): ProviderError | undefined {
    this.#status = status;
    this.#headers = headers;
    return undefined;
  }

  onData(chunk: Uint8Array): ProviderError | undefined {
    this.#bytes += chunk.length;
    if (this.#bytes > this.#maxBytes) {
      return providerError('protocol', { message: `a Batch API response exceeded ${this.#maxBytes} bytes` });
    }
    this.#chunks.push(chunk);
    return undefined;
  }

  onCancel(): void {
    this.#chunks = [];
  }

  reset(): void {
    this.#chunks = [];
    this.#bytes = 0;
  }

  describeHttpError(status: number, headers: HeaderRecord, body: string, nowMs: number): ProviderError {
    return this.#adapter.mapHttpError(status, headers, body, nowMs);
  }

  finish(outcome: TransferOutcome): void {
    if (outcome.kind === 'ok') {
      this.#result = ok({ status: this.#status || outcome.status, headers: this.#headers, body: Buffer.concat(this.#chunks).toString('utf8') });
    } else if (outcome.kind === 'failed') {
      this.#result = err(outcome.error);
    }
    this.#chunks = [];
  }

  complete(outcome: TransferOutcome): void {
    if (outcome.kind === 'cancelled') this.#done(err(providerError('cancelled', { message: 'the Batch API request was cancelled' })));
    else this.#done(this.#result ?? err(providerError('protocol', { message: 'the Batch API response ended without a result' })));
  }
}

/** Sends one request and resolves with its 2xx response or its error. Never rejects. */
/**
 * `once`: no retry. A batch create that timed out may have been accepted, and sending it
 * again would start (and bill) a second batch; its error becomes the requests' records and
 * `--retry-errors` sends them when someone has looked.
 */
export interface SendOptions {
  readonly once?: boolean;
}

export function send(context: WireContext, request: TransferRequest, options: SendOptions = {}): Promise<Result<RawResponse, ProviderError>> {
  return new Promise((resolve) => {
    const release = acquirePump(context.multi);
    const sink = new RawSink(context.adapter, context.maxBodyBytes ?? MAX_BATCH_BODY_BYTES, (result) => {
      release();
      resolve(result);
    });
    const added = context.multi.add(request, sink, options.once === true ? { maxRetries: 0 } : {});
    if ('category' in added) {
      release();
      resolve(err(added));
    }
  });
}

/** Sends and parses a JSON object answer. */
export async function sendJson(context: WireContext, request: TransferRequest, options: SendOptions = {}): Promise<Result<Readonly<Record<string, unknown>>, ProviderError>> {
  const response = await send(context, request, options);
  if (response.isErr()) return err(response.error);
  try {
    const value: unknown = JSON.parse(response.value.body);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return ok(value as Readonly<Record<string, unknown>>);
  } catch {
    // Reported below with the start of the body.
  }
  return err(providerError('protocol', { message: `the Batch API answered ${request.method} ${new URL(request.url).pathname} with no JSON object: ${response.value.body.slice(0, 120)}` }));
}
