import { hash } from 'node:crypto';
import type { Result } from 'neverthrow';
import type { ErrorCategory, ProviderError } from '../errors/category.js';
import type { ChatRequest, ChatResponse, Usage } from './types.js';

/** What an orchestrator stores and retries on: plain JSON, no class instances. */
export type WorkerOutcome =
  | { readonly ok: true; readonly response: ChatResponse; readonly usage: Usage | null }
  | {
      readonly ok: false;
      readonly error: {
        readonly category: ErrorCategory;
        readonly message: string;
        readonly retryable: boolean;
        /** When the provider (or the breaker) said to come back; null when it did not say. */
        readonly retryAfterMs: number | null;
        readonly attempts: number;
        readonly requestId: string | null;
        readonly httpStatus: number | null;
      };
    };

/** Fields that shape the answer; engine settings and headers (credentials) do not. */
const TRANSPORT_FIELDS: ReadonlySet<string> = new Set(['timeouts', 'maxRetries', 'extraHeaders']);

/**
 * A stable key for a request: SHA-256 over the provider, the model and the request with its
 * keys sorted and transport settings (timeouts, retries, headers) left out. The same logical
 * request gives the same key in any process, so an orchestrator can use it as the job id
 * (idempotency) and to find a stored outcome on resume.
 */
export function requestKey(provider: string, request: ChatRequest, defaultModel = ''): string {
  // Built by hand rather than as an object for canonical(): this runs once per input line of
  // a batch, and the text is the same as canonical({ provider, model, request: body }).
  const fields = request as unknown as Readonly<Record<string, unknown>>;
  let body = '';
  for (const name of Object.keys(fields).sort()) {
    if (name === 'model' || TRANSPORT_FIELDS.has(name)) continue;
    const value = fields[name];
    if (value === undefined) continue;
    body += `${body === '' ? '' : ','}${JSON.stringify(name)}:${canonical(value)}`;
  }
  const text = `{"model":${JSON.stringify(request.model ?? defaultModel)},"provider":${JSON.stringify(provider)},"request":{${body}}}`;
  // crypto.hash: one call, no Hash object (a few µs less per key than createHash).
  return hash('sha256', text, 'hex');
}

/** A completion's result as a WorkerOutcome (JSON-safe: `JSON.parse(JSON.stringify(o))` equals `o`). */
export function toWorkerOutcome(result: Result<ChatResponse, ProviderError>): WorkerOutcome {
  if (result.isOk()) return { ok: true, response: result.value, usage: result.value.usage };
  const error = result.error;
  return {
    ok: false,
    error: {
      category: error.category,
      message: error.message,
      retryable: error.retryable,
      retryAfterMs: error.retryAfterMs ?? null,
      attempts: error.attempts ?? 1,
      requestId: error.requestId ?? null,
      httpStatus: error.httpStatus ?? null,
    },
  };
}

/** JSON with object keys sorted at every depth and undefined members dropped. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // Plain loops: the key of every batch line goes through here (no per-level entry arrays).
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      text += `${i === 0 ? '' : ','}${item === undefined ? 'null' : canonical(item)}`;
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  const names = Object.keys(record);
  if (names.length > 1) names.sort();
  let text = '';
  for (const name of names) {
    const item = record[name];
    if (item === undefined) continue;
    text += `${text === '' ? '' : ','}${JSON.stringify(name)}:${canonical(item)}`;
  }
  return `{${text}}`;
}
