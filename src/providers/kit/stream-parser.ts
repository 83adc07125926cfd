import { err, type Result } from 'neverthrow';
import { providerError, type PartialOutput, type ProviderError } from '../../errors/category.js';
import type { Emit, SseEvent, StreamParser } from '../adapter.js';
import type { ChatResponse } from '../types.js';
import { StreamBuilder } from './stream-builder.js';

/**
 * A provider's reading of its stream, on top of a StreamBuilder. Both hooks return a
 * ProviderError only for bytes that break the protocol (malformed JSON, a delta for an
 * unknown item): the stream then fails with it. An error the provider reports in-band is
 * `stream.fail(...)` instead.
 */
export interface StreamHandler {
  /** One SSE event, never called after the stream terminated or failed. */
  onEvent(event: SseEvent, stream: StreamBuilder): ProviderError | undefined;
  /**
   * The body ended cleanly before the stream terminated. A stream without an end marker
   * (Gemini's `alt=sse`) calls `stream.finish(...)` here; without this hook, or if it does
   * not terminate the stream, the stream was cut and the result is a `protocol` error.
   */
  onEnd?(stream: StreamBuilder): ProviderError | undefined;
}

export interface KitStreamParserOptions {
  /** The requested model, reported by `start` when the stream names none. */
  readonly model: string;
  /** For the "stream was cut" message: `The Chat Completions stream`. */
  readonly streamName: string;
  /** What a whole stream ends with, for the same message: `data: [DONE]`, `message_stop`. */
  readonly endMarker: string;
}

/**
 * A StreamParser made of a StreamHandler: counts events, ignores everything after the
 * terminal event, keeps the first protocol error (every later event returns it), runs the
 * end hook, and reports a stream that ended before its terminal event as cut:
 * `<streamName> ended before <endMarker> (after N SSE events); the response is incomplete.`
 */
export function createKitStreamParser(options: KitStreamParserOptions, handler: StreamHandler): StreamParser {
  return new KitStreamParser(options, handler);
}

class KitStreamParser implements StreamParser {
  readonly #options: KitStreamParserOptions;
  readonly #handler: StreamHandler;
  readonly #stream: StreamBuilder;
  #events = 0;
  #protocolError: ProviderError | undefined;

  constructor(options: KitStreamParserOptions, handler: StreamHandler) {
    this.#options = options;
    this.#handler = handler;
    this.#stream = new StreamBuilder({ model: options.model });
  }

  get finished(): boolean {
    return this.#stream.terminated;
  }

  onSse(event: SseEvent, emit: Emit): ProviderError | undefined {
    if (this.#stream.terminated) return undefined;
    if (this.#protocolError !== undefined) return this.#protocolError;
    this.#events += 1;
    this.#stream.attach(emit);
    return this.#protocol(this.#handler.onEvent(event, this.#stream));
  }

  onEnd(emit: Emit): ProviderError | undefined {
    if (this.#stream.terminated || this.#protocolError !== undefined || this.#handler.onEnd === undefined) return undefined;
    this.#stream.attach(emit);
    return this.#protocol(this.#handler.onEnd(this.#stream));
  }

  partial(): PartialOutput | undefined {
    return this.#stream.partial();
  }

  result(): Result<ChatResponse, ProviderError> {
    const outcome = this.#stream.result();
    if (outcome !== undefined) return outcome;
    if (this.#protocolError !== undefined) return err(this.#protocolError);
    return err(
      providerError('protocol', {
        message: `${this.#options.streamName} ended before ${this.#options.endMarker} (after ${this.#events} SSE events); the response is incomplete.`,
      }),
    );
  }

  #protocol(error: ProviderError | undefined): ProviderError | undefined {
    // An error after the terminal event changes nothing: the stream is already whole.
    if (error !== undefined && !this.#stream.terminated) this.#protocolError = error;
    return this.#stream.terminated ? undefined : error;
  }
}
