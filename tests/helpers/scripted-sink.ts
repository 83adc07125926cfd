import { providerError, type ProviderError } from '../../src/errors/category.js';
import type { HeaderRecord, TransferOutcome, TransferSink } from '../../src/http/types.js';

/** What a scripted sink does at each callback; each default accepts everything. */
export interface SinkScript {
  /** Called with the 1-based number of the chunk; may return an error, throw, or cancel. */
  readonly onData?: (chunk: Buffer, n: number) => ProviderError | undefined;
  readonly onResponse?: (status: number, headers: HeaderRecord) => ProviderError | undefined;
  readonly describeHttpError?: (status: number, body: string) => ProviderError;
  readonly finish?: (outcome: TransferOutcome) => void;
  readonly complete?: (outcome: TransferOutcome) => void;
  readonly onCancel?: () => void;
  /** Reported as `delivered` (default: false, so the engine may retry). */
  readonly delivered?: () => boolean;
  /** When set, `ended` turns true once the bytes seen so far contain this text. */
  readonly endMarker?: string;
}

/** A TransferSink whose answers the test scripts, recording every call the engine makes. */
export class ScriptedSink implements TransferSink {
  readonly calls: string[] = [];
  readonly outcomes: TransferOutcome[] = [];
  readonly finished: TransferOutcome[] = [];
  text = '';
  #chunks = 0;
  readonly #script: SinkScript;

  constructor(script: SinkScript = {}) {
    this.#script = script;
  }

  get delivered(): boolean {
    return this.#script.delivered?.() ?? false;
  }

  get ended(): boolean {
    return this.#script.endMarker !== undefined && this.text.includes(this.#script.endMarker);
  }

  onResponse(status: number, headers: HeaderRecord): ProviderError | undefined {
    this.calls.push(`response ${status}`);
    return this.#script.onResponse?.(status, headers);
  }

  onData(chunk: Uint8Array): ProviderError | undefined {
    const buffer = Buffer.from(chunk);
    this.#chunks++;
    this.calls.push(`data ${buffer.toString('utf8')}`);
    this.text += buffer.toString('utf8');
    return this.#script.onData?.(buffer, this.#chunks);
  }

  onCancel(): void {
    this.calls.push('cancel');
    this.#script.onCancel?.();
  }

  reset(): void {
    this.calls.push('reset');
    this.text = '';
    this.#chunks = 0;
  }

  describeHttpError(status: number, _headers: HeaderRecord, body: string): ProviderError {
    this.calls.push(`http-error ${status}`);
    return this.#script.describeHttpError?.(status, body) ?? providerError('server', { message: `HTTP ${status}: ${body}`, httpStatus: status, retryable: false });
  }

  finish(outcome: TransferOutcome): void {
    this.calls.push(`finish ${outcome.kind}`);
    this.finished.push(outcome);
    this.#script.finish?.(outcome);
  }

  complete(outcome: TransferOutcome): void {
    this.calls.push(`complete ${outcome.kind}`);
    this.outcomes.push(outcome);
    this.#script.complete?.(outcome);
  }
}

/** `ok`, `cancelled`, or `category: message` of a failure. */
export function describeOutcome(outcome: TransferOutcome | undefined): string {
  if (outcome === undefined) return 'none';
  if (outcome.kind === 'failed') return `${outcome.error.category}: ${outcome.error.message}`;
  return outcome.kind;
}
