/** Test-only helpers for the Anthropic provider: corpus framing, cassettes, chunkings. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CORPUS, REPO_ROOT } from '../openai/helpers.js';

export { CORPUS, REPO_ROOT };
export const ANTHROPIC_FIXTURES = resolve(REPO_ROOT, 'vcr-fixtures/anthropic');
export const ANTHROPIC_CORPUS = resolve(CORPUS, 'anthropic');

export function corpusStreams(): string[] {
  if (!existsSync(ANTHROPIC_CORPUS)) return [];
  return readdirSync(ANTHROPIC_CORPUS)
    .filter((name) => name.endsWith('.chunks.txt'))
    .sort()
    .map((name) => resolve(ANTHROPIC_CORPUS, name));
}

/**
 * The corpus README's wire framing (`event: <type>` + `data: <line>`, no `[DONE]`), split
 * into HTTP bodies: a file that recorded several requests (tool loops, programmatic tool
 * calling) holds one message per body, each ending with its `message_stop`.
 */
export function wireBodies(path: string): string[] {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0);
  const bodies: string[] = [];
  let current = '';
  for (const line of lines) {
    const type = /"type":"([^"]*)"/.exec(line)?.[1] ?? 'message';
    current += `event: ${type}\ndata: ${line}\n\n`;
    if (type === 'message_stop') {
      bodies.push(current);
      current = '';
    }
  }
  if (current.length > 0) bodies.push(current);
  return bodies;
}

export interface Exchange {
  readonly request: { readonly method: string; readonly url: string; readonly headers: Record<string, string>; readonly body: unknown };
  readonly response: { readonly status: number; readonly headers: Record<string, string> };
  readonly chunks: readonly Buffer[];
  readonly end: string;
}

export function cassetteNames(): string[] {
  return readdirSync(ANTHROPIC_FIXTURES)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => name.slice(0, -'.jsonl'.length));
}

export function readAnthropicCassette(name: string): Exchange[] {
  const lines = readFileSync(resolve(ANTHROPIC_FIXTURES, `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const out: Exchange[] = [];
  let request: Exchange['request'] | undefined;
  let response: Exchange['response'] | undefined;
  let chunks: Buffer[] = [];
  for (const line of lines) {
    if ('_request' in line) {
      request = line._request as Exchange['request'];
      response = undefined;
      chunks = [];
    } else if ('_response' in line) response = line._response as Exchange['response'];
    else if ('_chunk' in line) chunks.push(Buffer.from(line._chunk as string, 'utf8'));
    else if ('_chunk_b64' in line) chunks.push(Buffer.from(line._chunk_b64 as string, 'base64'));
    else if ('_end' in line) {
      if (request === undefined || response === undefined) throw new Error(`${name}: _end before _request/_response`);
      out.push({ request, response, chunks, end: line._end as string });
    }
  }
  return out;
}
