import { createHash } from 'node:crypto';
import type { RateTicket } from '../http/governor/types.js';
import type { TransferRequest } from '../http/types.js';
import type { PreparedRequest } from './adapter.js';
import type { ChatRequest } from './types.js';

/** Output tokens reserved for a request that sets no `maxOutputTokens`. */
export const DEFAULT_OUTPUT_RESERVATION = 1024;

/** The headers that carry a credential, in the order providers use them. */
const KEY_HEADERS = ['authorization', 'x-api-key', 'x-goog-api-key', 'api-key'] as const;

let lastKey = '';
let lastId = '';

/**
 * The credential's identity for bucketing: a short SHA-256 of the key header, never the key.
 * One-entry memo: a process usually sends with one key, and hashing per request would be waste.
 */
export function keyIdentity(request: TransferRequest): string {
  let raw = '';
  for (const name of KEY_HEADERS) {
    const value = request.headers[name];
    if (value !== undefined) {
      raw = `${name}:${value}`;
      break;
    }
  }
  if (raw === '') return '';
  if (raw !== lastKey) {
    lastKey = raw;
    lastId = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  }
  return lastId;
}

/** The wire names of an output cap a request may set through `extraBody` (Chat, legacy Chat, Responses). */
const CAP_FIELDS = ['max_completion_tokens', 'max_tokens', 'max_output_tokens'] as const;

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
}

/**
 * The output tokens a request may use, so its reservation is its own: the cap the provider
 * put in the body (Anthropic's per-model default), else `maxOutputTokens`, else a cap set
 * through `extraBody`, else DEFAULT_OUTPUT_RESERVATION (settled on the real usage after).
 */
export function outputReservation(request: ChatRequest, outputCap?: number): number {
  const own = positive(outputCap) ?? positive(request.maxOutputTokens);
  if (own !== undefined) return own;
  const extra = request.extraBody;
  if (extra !== undefined) {
    for (const field of CAP_FIELDS) {
      const cap = positive(extra[field]);
      if (cap !== undefined) return cap;
    }
  }
  return DEFAULT_OUTPUT_RESERVATION;
}

/**
 * The governor's ticket for a prepared request. Input tokens are estimated as the serialized
 * body's length / 4 (about four characters a token for English and JSON; it overcounts the
 * JSON syntax, which errs on the safe side), with no tokenizer dependency.
 */
export function rateTicket(provider: string, prepared: PreparedRequest, request: ChatRequest): RateTicket {
  const { http, model } = prepared;
  const ticket = {
    provider,
    model,
    keyId: keyIdentity(http),
    inputTokens: Math.ceil((http.body?.length ?? 0) / 4),
    outputTokens: outputReservation(request, prepared.outputCap),
  };
  const prefix = cacheablePrefix(request);
  if (prefix === undefined) return ticket;
  return { ...ticket, cacheKey: createHash('sha256').update(`${provider}\u0000${ticket.keyId}\u0000${model}\u0000${prefix}`).digest('hex') };
}

/**
 * The part of a request a prompt cache would store, as JSON: system and tools when they carry
 * a breakpoint, and the messages up to the last one with a breakpoint on a part. Undefined
 * without any breakpoint (nothing to gate on).
 */
export function cacheablePrefix(request: ChatRequest): string | undefined {
  let last = -1;
  request.messages.forEach((message, i) => {
    const content = 'content' in message ? message.content : undefined;
    const marked = 'cache' in message && message.cache !== undefined;
    if (marked || (Array.isArray(content) && content.some((part: { cache?: unknown }) => part.cache !== undefined))) last = i;
  });
  const cache = request.cache;
  const system = cache?.system !== undefined || last >= 0 ? (request.system ?? null) : null;
  const tools = cache?.tools !== undefined || request.tools?.some((tool) => tool.cache !== undefined) === true ? (request.tools ?? null) : null;
  if (last < 0 && cache?.system === undefined && tools === null) return undefined;
  return JSON.stringify({ system, tools, messages: request.messages.slice(0, last + 1) });
}
