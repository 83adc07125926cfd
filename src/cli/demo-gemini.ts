/**
 * The demo's Gemini recordings: how a recorded `streamGenerateContent` exchange becomes the
 * question it answers, and the request the Gemini adapter builds for it today. Kept apart so
 * demo.ts stays about the board and its OpenAI recordings stay as they were.
 */
import { createGeminiAdapter } from '../providers/gemini/adapter.js';
import type { ChatRequest } from '../providers/types.js';
import { bodyFromText, type Exchange } from '../vcr/cassette.js';

export function isGeminiExchange(exchange: Exchange): boolean {
  return exchange.request.url.includes(':streamGenerateContent');
}

/** The model (from the URL) and the first user text of a recorded Gemini request. */
export function geminiRequestOf(exchange: Exchange): ChatRequest | undefined {
  const model = /\/models\/([^/:]+):streamGenerateContent/.exec(exchange.request.url)?.[1];
  const body = exchange.request.body;
  if (model === undefined || body?.kind !== 'json' || typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) return undefined;
  const contents = (body.value as { contents?: unknown }).contents;
  const first = Array.isArray(contents) ? (contents[0] as { role?: unknown; parts?: unknown } | undefined) : undefined;
  const text = Array.isArray(first?.parts) ? (first.parts[0] as { text?: unknown } | undefined)?.text : undefined;
  if (first?.role !== 'user' || typeof text !== 'string') return undefined;
  return { model, messages: [{ role: 'user', content: text }] };
}

/** The exchange with the request the adapter builds now, so the demo keeps matching. */
export function geminiReplayable(exchange: Exchange, request: ChatRequest, key: string): Exchange {
  const prepared = createGeminiAdapter({ apiKey: key, env: {} }).prepare(request, 'stream');
  if (prepared.isErr()) return exchange;
  const http = prepared.value.http;
  return { ...exchange, request: { method: http.method, url: http.url, headers: {}, body: bodyFromText(http.body ?? '') } };
}
