import type { Result } from 'neverthrow';
import type { PartialOutput, ProviderError } from '../errors/category.js';
import type { HeaderRecord, TransferRequest } from '../http/types.js';
import type { SseEvent } from '../sse/types.js';
import type { ChatRequest, ChatResponse, StreamEvent } from './types.js';

export type { SseEvent };


export type Emit = (event: StreamEvent) => void;

/**
 * A provider's stream state machine: SSE events in, normalized events out. It assembles
 * the response as it goes. Pure apart from the emit callback; one instance per attempt.
 */
export interface StreamParser {
  /**
   * Consumes one SSE event and emits what it means. Returns an error when the payload is
   * malformed; the engine then fails the transfer with it.
   */
  onSse(event: SseEvent, emit: Emit): ProviderError | undefined;
  /**
   * The body ended cleanly (every byte decoded, no transport error). A stream whose protocol
   * has no end marker (Gemini's `alt=sse`) emits its `done` here; one that has a marker
   * (OpenAI's `[DONE]`) emits nothing and leaves `result()` to report the cut. Not called
   * after a transport failure or once `finished`. Returns an error like `onSse`. Optional:
   * without it the end of the body adds nothing.
   */
  onEnd?(emit: Emit): ProviderError | undefined;
  /**
   * A body line that is no SSE field (Gemini writes `{"error": ...}` raw into a 200 stream),
   * which the SSE rules drop. Optional: the decoder looks for such lines only for parsers
   * that have it. Returns an error like `onSse`.
   */
  onOtherLine?(line: string, emit: Emit): ProviderError | undefined;
  /**
   * Optional. What the stream had produced so far, for the error of a stream that fails
   * mid-way (a cut, a timeout, bad bytes): the session puts it on the error as `partial`.
   */
  partial?(): PartialOutput | undefined;
  /** True once the parser emitted its terminal event (`done`, or `error` for an in-band error). */
  readonly finished: boolean;
  /**
   * The assembled response once `finished` (or the in-band error). Called after the body
   * ended; a parser that is not finished returns the error that says the stream was cut.
   */
  result(): Result<ChatResponse, ProviderError>;
}

/** A request serialized for the wire, with what its parsers need to know. */
export interface PreparedRequest {
  readonly http: TransferRequest;
  readonly model: string;
  /** The provider's API flavour actually used (`chat`, `responses`, ...). */
  readonly api: string;
  /**
   * Optional. The output token cap the body asks for when the provider chose it (Anthropic's
   * per-model `max_tokens` default): the rate governor reserves that many output tokens.
   */
  readonly outputCap?: number;
}

export type RequestMode = 'stream' | 'request';

/**
 * What a provider must supply; the engine-backed Provider (provider.ts) does the rest.
 * Every method is synchronous and must not throw.
 */
export interface ProviderAdapter {
  /** Lower-case id: `openai`. */
  readonly name: string;
  /** For log lines: `OpenAI`. */
  readonly displayName: string;
  /** Validates and serializes. Immediate errors (missing key, bad model, bad URL) come back here. */
  prepare(request: ChatRequest, mode: RequestMode): Result<PreparedRequest, ProviderError>;
  createStreamParser(prepared: PreparedRequest): StreamParser;
  /** Parses a complete 2xx non-streaming body. */
  parseResponse(prepared: PreparedRequest, body: string): Result<ChatResponse, ProviderError>;
  /** Maps a non-2xx response (status, headers, body text) to an error. */
  mapHttpError(status: number, headers: HeaderRecord, body: string, nowMs: number): ProviderError;
}
