/**
 * Test helpers for the Gemini provider: corpus framing, chunkings, and a run of bytes through
 * the engine's own SSE decoder (with the other-line hook) into a Gemini parser, ending the
 * way StreamSession ends a clean body (decoder end, then the parser's end hook).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ProviderError } from '../../../src/errors/category.js';
import { createGeminiStreamParser, type GeminiParserOptions } from '../../../src/providers/gemini/stream-parser.js';
import type { ChatResponse, StreamEvent } from '../../../src/providers/types.js';
import type { Result } from 'neverthrow';
import { SseDecoder } from '../../../src/sse/decoder.js';
import { parseCassette, type Cassette } from '../../../src/vcr/cassette.js';
import { chunkings as sharedChunkings, type Chunking } from '../../helpers/chunkings.js';
import { eventLog as sharedEventLog } from '../../helpers/event-log.js';
import { CORPUS as SHARED_CORPUS, corpusFiles as sharedCorpusFiles, corpusLines, REPO_ROOT } from '../../helpers/repo.js';

export { randomSplit, splitEvery } from '../../helpers/chunkings.js';
export { pumpVirtual } from '../../helpers/replay-pump.js';
export { corpusLines, REPO_ROOT };

export const FIXTURES = resolve(REPO_ROOT, 'vcr-fixtures/gemini');
export const CORPUS = resolve(SHARED_CORPUS, 'google');

/** The corpus `generateContent` streams (the interactions/ folder is another API). */
export function corpusFiles(): string[] {
  return sharedCorpusFiles('google');
}

/** The corpus README's wire framing for Gemini: `data: L` + CRLF CRLF (or LF LF). */
export function corpusWire(path: string, eol = '\r\n'): Buffer {
  return Buffer.from(corpusLines(path).map((line) => `data: ${line}${eol}${eol}`).join(''));
}

export function readCassette(name: string): Cassette {
  const parsed = parseCassette(readFileSync(resolve(FIXTURES, `${name}.jsonl`), 'utf8'), name);
  if (parsed.isErr()) throw new Error(parsed.error.message);
  return parsed.value;
}

export function cassetteNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => name.replace(/\.jsonl$/, ''));
}

/** Every chunking, the byte-at-a-time one included: the Gemini parser's own tests pay for it. */
export function chunkings(body: Uint8Array, seed: number): Chunking[] {
  return sharedChunkings(body, seed, { everyByte: true });
}

export interface GeminiRun {
  readonly events: StreamEvent[];
  /** The error that stopped decoding or the end hook, as the engine would fail the transfer with. */
  readonly failure: ProviderError | undefined;
  readonly result: Result<ChatResponse, ProviderError>;
}

export function runGemini(chunks: readonly Uint8Array[], options: GeminiParserOptions = { model: 'gemini-2.5-flash' }): GeminiRun {
  const parser = createGeminiStreamParser(options);
  const events: StreamEvent[] = [];
  const emit = (event: StreamEvent): void => void events.push(event);
  const decoder = new SseDecoder(
    (event) => parser.onSse(event, emit),
    undefined,
    (line) => parser.onOtherLine(line, emit),
  );
  let failure: ProviderError | undefined;
  for (const chunk of chunks) {
    failure = decoder.feed(chunk);
    if (failure !== undefined) break;
  }
  failure ??= decoder.end();
  if (failure === undefined && !parser.finished) failure = parser.onEnd?.(emit);
  return { events, failure, result: parser.result() };
}

/** Gemini's logs keep tool deltas raw and name the provider's own finish reason. */
export function eventLog(events: readonly StreamEvent[]): string[] {
  return sharedEventLog(events, { rawToolDeltas: true, rawFinishReason: true });
}

/**
 * The test's own reading of Vertex `partialArgs` (written apart from the provider's, with
 * plain objects and a regex split of the path): the object the fragments describe.
 */
export function referenceArguments(fragments: readonly { jsonPath: string; stringValue?: string; numberValue?: number; boolValue?: boolean; nullValue?: unknown; willContinue?: boolean }[]): unknown {
  const root: Record<string, unknown> = {};
  for (const fragment of fragments) {
    const keys = [...fragment.jsonPath.matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] === undefined ? m[1]! : Number(m[2])));
    let node: Record<string | number, unknown> = root;
    for (let i = 0; i < keys.length - 1; i++) {
      const key = keys[i]!;
      node[key] ??= typeof keys[i + 1] === 'number' ? [] : {};
      node = node[key] as Record<string | number, unknown>;
    }
    const last = keys[keys.length - 1]!;
    const value =
      fragment.stringValue !== undefined
        ? fragment.stringValue
        : fragment.numberValue !== undefined
          ? fragment.numberValue
          : fragment.boolValue !== undefined
            ? fragment.boolValue
            : 'nullValue' in fragment
              ? null
              : undefined;
    if (value === undefined) continue;
    node[last] = typeof value === 'string' && typeof node[last] === 'string' ? (node[last] as string) + value : value;
  }
  return root;
}
