/**
 * Test helpers for the Gemini provider: corpus framing, chunkings, and a run of bytes through
 * the engine's own SSE decoder (with the other-line hook) into a Gemini parser, ending the
 * way StreamSession ends a clean body (decoder end, then the parser's end hook).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProviderError } from '../../../src/errors/category.js';
import { createGeminiStreamParser, type GeminiParserOptions } from '../../../src/providers/gemini/stream-parser.js';
import type { ChatResponse, StreamEvent } from '../../../src/providers/types.js';
import type { Result } from 'neverthrow';
import { SseDecoder } from '../../../src/sse/decoder.js';
import type { VirtualClock } from '../../../src/http/clock.js';
import type { HttpMulti } from '../../../src/http/multi.js';
import { parseCassette, type Cassette } from '../../../src/vcr/cassette.js';
import { mulberry32 } from '../../../src/vcr/faults.js';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(resolve(dir, 'package.json'))) dir = resolve(dir, '..');
  return dir;
}

export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const FIXTURES = resolve(REPO_ROOT, 'vcr-fixtures/gemini');
export const CORPUS = resolve(REPO_ROOT, '../shared/corpus/google');

/** The corpus `generateContent` streams (the interactions/ folder is another API). */
export function corpusFiles(): string[] {
  if (!existsSync(CORPUS)) return [];
  return readdirSync(CORPUS)
    .filter((name) => name.endsWith('.chunks.txt'))
    .sort()
    .map((name) => resolve(CORPUS, name));
}

export function corpusLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0);
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

export function splitEvery(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Seeded random split points, so a failure reproduces. */
export function randomSplit(bytes: Uint8Array, seed: number, maxPiece = 64): Uint8Array[] {
  const next = mulberry32(seed);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(next() * maxPiece);
    out.push(bytes.subarray(i, i + n));
    i += n;
  }
  return out;
}

export function chunkings(body: Uint8Array, seed: number): [string, Uint8Array[]][] {
  return [
    ['whole', [body]],
    ['every 7 bytes', splitEvery(body, 7)],
    ['every byte', splitEvery(body, 1)],
    ['random', randomSplit(body, seed)],
  ];
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

/** A compact, readable event log: one string per event. */
export function eventLog(events: readonly StreamEvent[]): string[] {
  return events.map((e) => {
    switch (e.type) {
      case 'start':
        return e.id === undefined ? `start ${e.model}` : `start ${e.model} ${e.id}`;
      case 'text_delta':
        return `text[${e.index}] ${JSON.stringify(e.text)}`;
      case 'thinking_delta':
        return `thinking[${e.index}] ${JSON.stringify(e.text)}`;
      case 'tool_call_start':
        return `tool_start[${e.index}] ${e.id} ${e.name}`;
      case 'tool_call_delta':
        return `tool_delta[${e.index}] ${e.arguments}`;
      case 'tool_call_done':
        return `tool_done[${e.index}] ${e.id} ${e.name} ${e.arguments}`;
      case 'done':
        return `done ${e.finishReason}${e.rawFinishReason === undefined ? '' : ` (${e.rawFinishReason})`} ${JSON.stringify(e.usage)}`;
      case 'error':
        return `error ${e.category} ${e.message}`;
    }
  });
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

/**
 * Pumps an engine on a VirtualClock until `done`: virtual time moves (to the next deadline)
 * only once the engine has had no work for a while in real turns, so a replayed body still
 * on its way is never overtaken by an idle timeout or a retry timer.
 */
export async function pumpVirtual(multi: HttpMulti, clock: VirtualClock, done: () => boolean): Promise<void> {
  for (let turn = 0; !done(); turn++) {
    if (turn > 10_000) throw new Error('the replay did not finish');
    multi.perform();
    multi.infoRead();
    if (done()) return;
    const woke = await Promise.race([multi.wait(-1).then(() => true), quietTurns(20)]);
    const next = clock.nextDeadline();
    if (!woke && next !== undefined) clock.advance(Math.max(0, next - clock.now()));
  }
}

async function quietTurns(n: number): Promise<false> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
  return false;
}
