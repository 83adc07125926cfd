/**
 * The demo's bundled recordings: which provider each was made against, the question it
 * answers, and the exchange as the adapter would send that question today.
 */
import { providerDefinition } from '../providers/registry.js';
import type { ChatRequest } from '../providers/types.js';
import { bodyFromText, type Exchange } from '../vcr/cassette.js';

/** The question a recording answers: Gemini's model is in its URL, the others' in the body. */
export function requestOfRecording(exchange: Exchange): ChatRequest | undefined {
  return isGeminiExchange(exchange) ? geminiRequestOf(exchange) : chatRequestOf(exchange);
}

/** Which provider a recording was made against, by the host it talked to. */
export function providerOfHost(host: string): string {
  if (host === 'api.anthropic.com') return 'anthropic';
  if (host === 'generativelanguage.googleapis.com') return 'gemini';
  return 'openai';
}

/** The ChatRequest a recorded OpenAI or Anthropic body came from: its model and first user message. */
function chatRequestOf(exchange: Exchange): ChatRequest | undefined {
  const body = exchange.request.body;
  if (body?.kind !== 'json' || typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) return undefined;
  const record = body.value as Readonly<Record<string, unknown>>;
  const model = record.model;
  const messages = Array.isArray(record.messages) ? (record.messages as unknown[]) : [];
  const user = messages.find(
    (message): message is { role: 'user'; content: string } =>
      typeof message === 'object' && message !== null && (message as { role?: unknown }).role === 'user' && typeof (message as { content?: unknown }).content === 'string',
  );
  if (typeof model !== 'string' || user === undefined) return undefined;
  return { model, messages: [{ role: 'user', content: user.content }] };
}

/**
 * The exchange as the engine will ask for it today: the recorded answer, with the request
 * the adapter now builds for the same question, so the demo keeps matching whatever fields
 * later versions add to the wire body.
 */
export function replayable(item: { readonly provider: string; readonly request: ChatRequest; readonly exchange: Exchange }, key: string): Exchange {
  const prepared = providerDefinition(item.provider)?.createAdapter({ apiKey: key, env: {} }).prepare(item.request, 'stream');
  if (prepared === undefined || prepared.isErr()) return item.exchange;
  const http = prepared.value.http;
  return { ...item.exchange, request: { method: http.method, url: http.url, headers: {}, body: bodyFromText(http.body ?? '') } };
}

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
