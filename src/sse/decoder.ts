import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import { providerError, type ProviderError } from '../errors/category.js';
import type { SseEvent } from '../providers/adapter.js';

export interface SseLimits {
  /** Longest line, in UTF-16 code units, before the stream fails. */
  readonly maxLineLength: number;
  /** Most text buffered for one event (all its lines) before the stream fails. */
  readonly maxEventLength: number;
}

export const DEFAULT_SSE_LIMITS: SseLimits = {
  maxLineLength: 4 * 1024 * 1024,
  maxEventLength: 8 * 1024 * 1024,
};

export type SseHandler = (event: SseEvent) => ProviderError | undefined;

/**
 * The write callback's first stage: bytes -> UTF-8 (a character split across chunks comes
 * out whole) -> eventsource-parser -> SseEvent. It bounds what the parser may buffer, so an
 * endless line fails the transfer instead of growing memory.
 */
export class SseDecoder {
  readonly #utf8 = new TextDecoder('utf-8');
  readonly #parser: EventSourceParser;
  readonly #limits: SseLimits;
  readonly #handle: SseHandler;
  #lineLength = 0;
  #eventLength = 0;
  #eventSeen = false;
  #failure: ProviderError | undefined;
  #events = 0;

  constructor(handle: SseHandler, limits: SseLimits = DEFAULT_SSE_LIMITS) {
    this.#handle = handle;
    this.#limits = limits;
    this.#parser = createParser({ onEvent: (message) => this.#onEvent(message) });
  }

  /** Number of SSE events decoded so far. */
  get events(): number {
    return this.#events;
  }

  /** Feeds one chunk; returns the first error (from a limit or the handler), after which nothing more is decoded. */
  feed(chunk: Uint8Array): ProviderError | undefined {
    if (this.#failure !== undefined) return this.#failure;
    const text = this.#utf8.decode(chunk, { stream: true });
    return this.#feedText(text);
  }

  /**
   * At the end of the body: a last event whose final line is complete is kept even without
   * its blank line (lenient servers), but a line cut mid-way is dropped, as the SSE spec
   * drops an unfinished event, so a cut stream reads as cut rather than as bad JSON.
   */
  end(): ProviderError | undefined {
    if (this.#failure !== undefined) return this.#failure;
    const rest = this.#utf8.decode();
    const error = rest.length > 0 ? this.#feedText(rest) : undefined;
    if (error !== undefined) return error;
    if (this.#lineLength === 0) this.#feedText('\n');
    return this.#failure;
  }

  #feedText(text: string): ProviderError | undefined {
    const overflow = this.#checkLimits(text);
    if (overflow !== undefined) {
      this.#failure = overflow;
      return overflow;
    }
    this.#eventSeen = false;
    this.#parser.feed(text);
    // Counted from the last feed that completed an event: an upper bound, which is all a cap needs.
    this.#eventLength = this.#eventSeen ? 0 : this.#eventLength + text.length;
    return this.#failure;
  }

  #checkLimits(text: string): ProviderError | undefined {
    const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    this.#lineLength = lastBreak === -1 ? this.#lineLength + text.length : text.length - lastBreak - 1;
    if (this.#lineLength > this.#limits.maxLineLength) {
      return providerError('protocol', {
        message: `SSE line longer than ${this.#limits.maxLineLength} characters; the stream was stopped to bound memory`,
      });
    }
    if (this.#eventLength + text.length > this.#limits.maxEventLength && !this.#mayEndEvent(text)) {
      return this.#eventTooLong();
    }
    return undefined;
  }

  #mayEndEvent(text: string): boolean {
    return text.includes('\n\n') || text.includes('\r\r') || text.includes('\r\n\r\n');
  }

  #eventTooLong(): ProviderError {
    return providerError('protocol', {
      message: `SSE event longer than ${this.#limits.maxEventLength} characters; the stream was stopped to bound memory`,
    });
  }

  #onEvent(message: EventSourceMessage): void {
    this.#eventSeen = true;
    if (this.#failure !== undefined) return;
    this.#events++;
    this.#failure = this.#handle({ event: message.event, data: message.data, id: message.id });
  }
}
