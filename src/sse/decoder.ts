import { StringDecoder } from 'node:string_decoder';
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import { providerError, type ProviderError } from '../errors/category.js';
import type { SseEvent } from './types.js';

const LF = 10;
const CR = 13;

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
 * Gets each line that is not an SSE field (`{"error": ...}` written raw into a Gemini
 * stream, say), which the SSE rules say to ignore. Only decoders given one look for them.
 */
export type OtherLineHandler = (line: string) => ProviderError | undefined;

/**
 * The write callback's first stage: bytes -> UTF-8 (a character split across chunks comes
 * out whole) -> eventsource-parser -> SseEvent. It bounds what the parser may buffer, so an
 * endless line fails the transfer instead of growing memory.
 */
export class SseDecoder {
  // StringDecoder holds a split character until its last byte, like TextDecoder in stream
  // mode, and measured ~30% cheaper per chunk.
  readonly #utf8 = new StringDecoder('utf8');
  readonly #parser: EventSourceParser;
  readonly #limits: SseLimits;
  readonly #handle: SseHandler;
  #lineLength = 0;
  #eventLength = 0;
  #afterCR = false;
  #failure: ProviderError | undefined;
  #events = 0;

  readonly #onOther: OtherLineHandler | undefined;

  constructor(handle: SseHandler, limits: SseLimits = DEFAULT_SSE_LIMITS, onOtherLine?: OtherLineHandler) {
    this.#handle = handle;
    this.#limits = limits;
    this.#onOther = onOtherLine;
    // eventsource-parser reports a line that is no SSE field as an `unknown-field` error and
    // otherwise drops it; without a handler the decoder is exactly as before.
    this.#parser =
      onOtherLine === undefined
        ? createParser({ onEvent: (message) => this.#onEvent(message) })
        : createParser({
            onEvent: (message) => this.#onEvent(message),
            onError: (error) => {
              if (error.type === 'unknown-field' && error.line !== undefined) this.#onOtherLine(onOtherLine, error.line);
            },
          });
  }

  /** Number of SSE events decoded so far. */
  get events(): number {
    return this.#events;
  }

  /** Feeds one chunk; returns the first error (from a limit or the handler), after which nothing more is decoded. */
  feed(chunk: Uint8Array): ProviderError | undefined {
    if (this.#failure !== undefined) return this.#failure;
    const text = this.#utf8.write(chunk);
    return this.#feedText(text);
  }

  /**
   * At the end of the body: a last event whose final line is complete is kept even without
   * its blank line (lenient servers), but a line cut mid-way is dropped, as the SSE spec
   * drops an unfinished event, so a cut stream reads as cut rather than as bad JSON.
   */
  end(): ProviderError | undefined {
    if (this.#failure !== undefined) return this.#failure;
    const rest = this.#utf8.end();
    const error = rest.length > 0 ? this.#feedText(rest) : undefined;
    if (error !== undefined) return error;
    if (this.#lineLength === 0) this.#feedText('\n');
    // A last line without its line break is still seen by an other-line handler (a raw
    // error object at the very end of the body); a cut `data:` line is still not an event.
    else if (this.#onOther !== undefined) this.#parser.reset({ consume: true });
    return this.#failure;
  }

  #feedText(text: string): ProviderError | undefined {
    const overflow = this.#measure(text);
    if (overflow === undefined) {
      this.#parser.feed(text);
      return this.#failure;
    }
    // Events that ended before the overflowing byte still count, whatever the chunking.
    if (overflow.at > 0) this.#parser.feed(text.slice(0, overflow.at));
    this.#failure ??= overflow.error;
    return this.#failure;
  }

  /**
   * Tracks the current line and event lengths across chunks, exactly as the parser splits
   * them (LF, CR, CRLF; a blank line ends an event), so a cap trips at the same byte
   * whatever the chunk boundaries. Returns where a cap was crossed, and which.
   * Line breaks are found with indexOf: the per-character work stays in native code.
   */
  #measure(text: string): { readonly at: number; readonly error: ProviderError } | undefined {
    const { maxLineLength, maxEventLength } = this.#limits;
    const n = text.length;
    let line = this.#lineLength;
    let event = this.#eventLength;
    let afterCR = this.#afterCR;
    let nextLF = text.indexOf('\n');
    let nextCR = text.indexOf('\r');
    let pos = 0;
    while (pos < n) {
      if (afterCR) {
        afterCR = false;
        if (text.charCodeAt(pos) === LF) {
          pos++;
          continue;
        }
      }
      if (nextLF !== -1 && nextLF < pos) nextLF = text.indexOf('\n', pos);
      if (nextCR !== -1 && nextCR < pos) nextCR = text.indexOf('\r', pos);
      const end = nextLF === -1 ? nextCR : nextCR === -1 ? nextLF : Math.min(nextLF, nextCR);
      const stop = end === -1 ? n : end;
      line += stop - pos;
      event += stop - pos;
      if (line > maxLineLength) return { at: Math.max(0, stop - (line - maxLineLength)), error: this.#lineTooLong() };
      if (event > maxEventLength) return { at: Math.max(0, stop - (event - maxEventLength)), error: this.#eventTooLong() };
      if (end === -1) break;
      event = line === 0 ? 0 : event + 1;
      line = 0;
      afterCR = text.charCodeAt(end) === CR;
      pos = end + 1;
    }
    this.#lineLength = line;
    this.#eventLength = event;
    this.#afterCR = afterCR;
    return undefined;
  }

  #lineTooLong(): ProviderError {
    return providerError('protocol', {
      message: `SSE line longer than ${this.#limits.maxLineLength} characters; the stream was stopped to bound memory`,
    });
  }

  #eventTooLong(): ProviderError {
    return providerError('protocol', {
      message: `SSE event longer than ${this.#limits.maxEventLength} characters; the stream was stopped to bound memory`,
    });
  }

  #onOtherLine(handle: OtherLineHandler, line: string): void {
    if (this.#failure === undefined) this.#failure = handle(line);
  }

  #onEvent(message: EventSourceMessage): void {
    if (this.#failure !== undefined) return;
    this.#events++;
    this.#failure = this.#handle({ event: message.event, data: message.data, id: message.id });
  }
}
