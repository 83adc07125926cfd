import { createHash } from 'node:crypto';
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
  const { model, ...rest } = request;
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(rest)) if (!TRANSPORT_FIELDS.has(name)) body[name] = value;
  const text = canonical({ provider, model: model ?? defaultModel, request: body });
  return createHash('sha256').update(text).digest('hex');
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
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonical(item))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonical(item)}`).join(',')}}`;
}
