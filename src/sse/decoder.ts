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

/** Every CR line break, with the LF of a CRLF pair; each becomes one LF. */
const CR_BREAK = /\r\n?/g;
const BOM = 0xfeff;

/**
 * Gets each line that is not an SSE field (`{"error": ...}` written raw into a Gemini
 * stream, say), which the SSE rules say to ignore. Only decoders given one look for them.
 */
export type OtherLineHandler = (line: string) => ProviderError | undefined;

/**
 * The write callback's first stage: bytes -> UTF-8 (a character split across chunks comes
 * out whole) -> LF-only line breaks -> eventsource-parser -> SseEvent. It bounds what the
 * parser may buffer, so an endless line fails the transfer instead of growing memory.
 *
 * The parser is only ever given LF line breaks. Fed a CR, it holds a CR that ends a chunk
 * until the next chunk (it might be half a CRLF), so under CR framing every event would
 * arrive one chunk late and the last one never; and its CR path rescans the rest of the
 * chunk for each line, which is quadratic. Here a chunk-final CR ends its line at once and
 * only the LF that may follow it, at the start of the next chunk, is dropped.
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
  #started = false;
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

  /**
   * Characters the parser holds now: the event being assembled, its partial last line
   * included. For the engine's memory budget (a Latin-1 string takes a byte per character).
   */
  get buffered(): number {
    return this.#eventLength;
  }

  /** Number of SSE events decoded so far. */
  get events(): number {
    return this.#events;
  }

  /** Feeds one chunk; returns the first error (from a limit or the handler), after which nothing more is decoded. */
  feed(chunk: Uint8Array): ProviderError | undefined {
    if (this.#failure !== undefined) return this.#failure;
    return this.#feedText(this.#utf8.write(chunk));
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
    // The closing blank line is a line of its own, not the LF of a CRLF begun by a last CR.
    this.#afterCR = false;
    if (this.#lineLength === 0) this.#feedText('\n');
    // A last line without its line break is still seen by an other-line handler (a raw
    // error object at the very end of the body); a cut `data:` line is still not an event.
    else if (this.#onOther !== undefined) this.#parser.reset({ consume: true });
    return this.#failure;
  }

  #feedText(raw: string): ProviderError | undefined {
    if (raw.length === 0) return undefined; // a split character: nothing decided yet, not even a CRLF
    const text = this.#normalize(raw);
    const overflow = this.#measure(text);
    if (overflow === undefined) {
      this.#parser.feed(text);
      return this.#failure;
    }
    // Events that ended before the overflowing character still count, whatever the chunking.
    if (overflow.at > 0) this.#parser.feed(text.slice(0, overflow.at));
    this.#failure ??= overflow.error;
    return this.#failure;
  }

  /**
   * CR and CRLF to LF, and the stream's one leading BOM dropped (the SSE spec strips it).
   * An LF-only chunk, the common case, is returned as it is: one native scan, no copy.
   */
  #normalize(raw: string): string {
    let text = raw;
    if (!this.#started) {
      this.#started = true;
      if (text.charCodeAt(0) === BOM) text = text.slice(1);
    }
    if (this.#afterCR) {
      this.#afterCR = false;
      if (text.charCodeAt(0) === LF) text = text.slice(1);
    }
    if (text.indexOf('\r') === -1) return text;
    this.#afterCR = text.charCodeAt(text.length - 1) === CR;
    return text.replace(CR_BREAK, '\n');
  }

  /**
   * Tracks the current line and event lengths across chunks, as the parser splits them (a
   * blank line ends an event), so a cap trips at the same character whatever the chunk
   * boundaries; when one stretch of text crosses both caps, the one crossed first is
   * reported (the line cap on a tie), so the message does not depend on the chunking either.
   * Line breaks are found with indexOf: the per-character work stays in native code.
   */
  #measure(text: string): { readonly at: number; readonly error: ProviderError } | undefined {
    const { maxLineLength, maxEventLength } = this.#limits;
    const n = text.length;
    let line = this.#lineLength;
    let event = this.#eventLength;
    let pos = 0;
    for (;;) {
      const end = text.indexOf('\n', pos);
      const stop = end === -1 ? n : end;
      const span = stop - pos;
      const lineRoom = maxLineLength - line;
      const eventRoom = maxEventLength - event;
      if (span > lineRoom || span > eventRoom) {
        return lineRoom <= eventRoom
          ? { at: pos + lineRoom, error: this.#lineTooLong() }
          : { at: pos + eventRoom, error: this.#eventTooLong() };
      }
      line += span;
      event += span;
      if (end === -1) break;
      // The LF that joins this line to the next one is buffered text of the event too.
      if (line > 0 && event === maxEventLength) return { at: end, error: this.#eventTooLong() };
      event = line === 0 ? 0 : event + 1;
      line = 0;
      pos = end + 1;
    }
    this.#lineLength = line;
    this.#eventLength = event;
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
