/**
 * Test-only cassette reading and SSE feeding, independent of the engine and the VCR's
 * dispatchers so the parsers can be tested on their own: JSONL -> exchanges -> bytes -> streaming UTF-8
 * decoding -> eventsource-parser -> StreamParser.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createParser } from 'eventsource-parser';
import type { Result } from 'neverthrow';
import type { ProviderError } from '../../../src/errors/category.js';
import type { SseEvent, StreamParser } from '../../../src/providers/adapter.js';
import type { StreamEvent } from '../../../src/providers/types.js';
import { CORPUS, corpusFiles, corpusLines, REPO_ROOT } from '../../helpers/repo.js';

export { eventLog } from '../../helpers/event-log.js';
export { randomSplit, splitEvery } from '../../helpers/chunkings.js';
export { CORPUS, corpusFiles, corpusLines, REPO_ROOT };

export const FIXTURES = resolve(REPO_ROOT, 'vcr-fixtures/openai');

export interface CassetteExchange {
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Record<string, string>;
    readonly body: unknown;
  };
  readonly response: { readonly status: number; readonly headers: Record<string, string> };
  readonly chunks: readonly Buffer[];
  readonly end: { readonly kind: string; readonly code?: string };
}

type Line = Record<string, unknown>;

export function readCassette(name: string): CassetteExchange[] {
  const text = readFileSync(resolve(FIXTURES, `${name}.jsonl`), 'utf8');
  const lines = text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as Line);
  const out: CassetteExchange[] = [];
  let current: { request?: CassetteExchange['request']; response?: CassetteExchange['response']; chunks: Buffer[] } = {
    chunks: [],
  };
  for (const line of lines) {
    if ('_request' in line) current = { request: line._request as CassetteExchange['request'], chunks: [] };
    else if ('_response' in line) current.response = line._response as CassetteExchange['response'];
    else if ('_chunk' in line) current.chunks.push(Buffer.from(line._chunk as string, 'utf8'));
    else if ('_chunk_b64' in line) current.chunks.push(Buffer.from(line._chunk_b64 as string, 'base64'));
    else if ('_end' in line) {
      if (current.request === undefined || current.response === undefined) throw new Error(`${name}: _end without request/response`);
      const end = line.code === undefined ? { kind: line._end as string } : { kind: line._end as string, code: line.code as string };
      out.push({ request: current.request, response: current.response, chunks: current.chunks, end });
    }
  }
  return out;
}

/** The exchange's body as one buffer. */
export function bodyOf(exchange: CassetteExchange): Buffer {
  return Buffer.concat(exchange.chunks);
}

/**
 * Bytes (in the given chunks) -> SSE events, decoding UTF-8 across chunk boundaries as the
 * engine does. Unlike the engine's decoder, it flushes a final line even when cut mid-way,
 * so parser tests see what such a line does to the parser.
 */
export function sseEvents(chunks: readonly Uint8Array[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createParser({
    onEvent: (message) => events.push({ event: message.event, data: message.data, id: message.id }),
  });
  const decoder = new TextDecoder('utf-8');
  for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
  const rest = decoder.decode();
  if (rest.length > 0) parser.feed(rest);
  parser.feed('\n\n');
  return events;
}

export interface ParserRun {
  readonly events: StreamEvent[];
  /** The error `onSse` returned, if any (the engine would fail the transfer with it). */
  readonly error: ProviderError | undefined;
  readonly finished: boolean;
  readonly result: ReturnType<StreamParser['result']>;
}

/** Feeds SSE events to a parser until it returns an error, as the engine does. */
export function runParser(parser: StreamParser, events: readonly SseEvent[]): ParserRun {
  const emitted: StreamEvent[] = [];
  let error: ProviderError | undefined;
  for (const event of events) {
    error = parser.onSse(event, (e) => emitted.push(e));
    if (error !== undefined) break;
  }
  return { events: emitted, error, finished: parser.finished, result: parser.result() };
}

/** Feeds raw bytes, split as given, through SSE framing into a fresh parser. */
export function runBytes(makeParser: () => StreamParser, chunks: readonly Uint8Array[]): ParserRun {
  return runParser(makeParser(), sseEvents(chunks));
}

/** The text a user saw: every text_delta of one index joined. */
export function streamedText(events: readonly StreamEvent[], index = 0): string {
  return events
    .filter((e): e is Extract<StreamEvent, { type: 'text_delta' }> => e.type === 'text_delta' && e.index === index)
    .map((e) => e.text)
    .join('');
}

export function sse(data: string, event?: string): SseEvent {
  return { event, data, id: undefined };
}

export function okOf<T>(result: Result<T, ProviderError>): T {
  if (result.isErr()) throw new Error(`expected ok, got ${result.error.category}: ${result.error.message}`);
  return result.value;
}

export function errOf<T>(result: Result<T, ProviderError>): ProviderError {
  if (result.isOk()) throw new Error('expected an error result');
  return result.error;
}

// The corpus README's "wire" framing, shared by the corpus and SDK-parity tests.

/** README "wire" framing for Chat Completions `.chunks.txt`. */
export function chatWire(path: string): string {
  return corpusLines(path).map((line) => `data: ${line}\n\n`).join('') + 'data: [DONE]\n\n';
}

/** README "wire" framing for Responses `.chunks.txt`; a broken line's type is its first `"type":"…"`. */
export function responsesWire(path: string): string {
  return corpusLines(path)
    .map((line) => {
      const type = /"type":"([^"]*)"/.exec(line)?.[1] ?? 'message';
      return `event: ${type}\ndata: ${line}\n\n`;
    })
    .join('');
}
