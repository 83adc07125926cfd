import { err, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { Emit, StreamParser } from '../adapter.js';
import { createKitStreamParser, parseJsonObject, StreamBuilder, type StreamHandler } from '../kit/index.js';
import type { ChatResponse } from '../types.js';
import { mapGeminiStreamError, readGoogleStatus, type GeminiErrorContext } from './errors.js';
import { GeminiReader } from './reader.js';

export interface GeminiParserOptions {
  /** The model that was asked for: reported by `start` when the stream never names one. */
  readonly model: string;
  readonly errorContext?: GeminiErrorContext;
}

/**
 * Lines outside any `data:` field reach the handler as events of this name, which Gemini
 * never sends: they go through the kit parser like any event, so the one-terminal-event and
 * first-protocol-error rules hold for them too.
 */
const RAW_LINE = 'llmux:raw-line';

/** Past this much text outside `data:` lines the body is not a Gemini stream. */
const MAX_RAW_TEXT = 1024 * 1024;

/**
 * `streamGenerateContent?alt=sse` -> StreamEvents. Each `data:` event is a whole
 * GenerateContentResponse (see GeminiReader). There is no end marker: the end of the body is
 * the end of the stream, whole (`done`) if a finishReason came, else cut (`protocol`). A raw
 * JSON object outside any `data:` line (Gemini writes `{"error": {...}}` so, mid-stream)
 * is collected line by line and, once it parses, ends the stream with the error it holds;
 * other JSON there, or a body that ends inside it, is a `protocol` error.
 */
export function createGeminiStreamParser(options: GeminiParserOptions): StreamParser & { onOtherLine(line: string, emit: Emit): ProviderError | undefined } {
  const context = options.errorContext ?? {};
  const reader = new GeminiReader(context);
  let raw = '';
  const handler: StreamHandler = {
    onEvent(event, stream) {
      if (event.event === RAW_LINE) return rawLine(event.data, stream);
      const data = event.data.trim();
      // Keep-alives: an empty `data:` carries nothing.
      if (data.length === 0) return undefined;
      const chunk = parseJsonObject(data, 'A Gemini stream chunk');
      if (chunk.isErr()) return chunk.error;
      return reader.read(chunk.value, stream);
    },
    onEnd(stream) {
      if (raw.length > 0) return outside(`the body ended inside JSON outside any data: line: ${JSON.stringify(raw.slice(0, 120))}`);
      return reader.end(stream);
    },
  };

  function rawLine(line: string, stream: StreamBuilder): ProviderError | undefined {
    const trimmed = line.trim();
    // Other stray lines are ignored, as the SSE rules say; only JSON is read.
    if (raw.length === 0 && !trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
    raw += `${line}\n`;
    if (raw.length > MAX_RAW_TEXT) return outside(`more than ${MAX_RAW_TEXT} characters of text outside data: lines`);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      // Not whole yet: a pretty-printed object spans lines.
      return undefined;
    }
    raw = '';
    const status = readGoogleStatus(value);
    if (status === undefined) return outside(`JSON outside any data: line that is not an error object`);
    stream.fail(mapGeminiStreamError(status, context));
    return undefined;
  }

  const inner = createKitStreamParser({ model: options.model, streamName: 'The Gemini stream', endMarker: 'a finishReason' }, handler);
  return {
    get finished() {
      return inner.finished;
    },
    onSse: (event, emit) => inner.onSse(event, emit),
    onEnd: (emit) => inner.onEnd?.(emit),
    onOtherLine: (line, emit) => inner.onSse({ event: RAW_LINE, data: line, id: undefined }, emit),
    result: () => inner.result(),
  };
}

function outside(why: string): ProviderError {
  return providerError('protocol', {
    message: `The Gemini stream is malformed: ${why}. Is the URL missing ?alt=sse, or a proxy rewriting the body?`,
  });
}

/** A whole `generateContent` body -> ChatResponse, read exactly as one stream chunk is. */
export function parseGeminiResponse(body: string, options: GeminiParserOptions): Result<ChatResponse, ProviderError> {
  const parsed = parseJsonObject(body, 'The Gemini response');
  if (parsed.isErr()) return err(parsed.error);
  const stream = new StreamBuilder({ model: options.model });
  const reader = new GeminiReader(options.errorContext ?? {});
  const error = reader.read(parsed.value, stream);
  if (error !== undefined) return err(error);
  const ended = reader.end(stream);
  if (ended !== undefined) return err(ended);
  const result = stream.result();
  if (result !== undefined) return result;
  return err(providerError('protocol', { message: 'The Gemini response has no candidate with a finishReason; it is incomplete.' }));
}
