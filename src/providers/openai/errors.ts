import { RETRYABLE_BY_DEFAULT, type ProviderError } from '../../errors/category.js';
import { categoryForStatus, isRetryableStatus } from '../../errors/http-status.js';
import { parseRetryAfter, parseShouldRetry, type HeaderRecord } from '../../http/headers.js';
import { apiKeyHint, type ApiKeyRule } from '../kit/env.js';
import { refinedError, type Refinement } from '../kit/error-map.js';
import { bodyOnlyHttpMessage, cleanBodySnippet } from '../kit/error-text.js';
import { objectField, tryParseJsonObject, type JsonObject } from '../kit/json.js';
import { redactSecrets } from '../kit/secrets.js';

export { cleanBodySnippet, redactSecrets };

/** The fields of OpenAI's `{"error": {...}}` object, each only when it was a usable value. */
export interface OpenAIErrorFields {
  readonly message?: string;
  readonly type?: string;
  readonly code?: string;
  readonly param?: string;
}

/** Who answered, for messages: "OpenAI", or the host of an OpenAI-compatible server. */
export interface ErrorContext {
  readonly label?: string;
  /** Strings that must never appear in a message (the API key in use). */
  readonly secrets?: readonly string[];
}

/** Where OpenAI keys come from, for the missing-key error and the auth hint. */
export const OPENAI_KEY_RULE: ApiKeyRule = {
  providerName: 'OpenAI',
  envVars: ['OPENAI_API_KEY'],
  factoryName: 'createOpenAI()',
  keysUrl: 'https://platform.openai.com/api-keys',
};

export const API_KEY_HINT = apiKeyHint(OPENAI_KEY_RULE);

export const QUOTA_HINT =
  'The account is out of credit or over its spending limit; add credit or raise the limit at ' +
  'https://platform.openai.com/settings/organization/billing. Retrying will not help.';

export const CONTEXT_HINT =
  "The conversation plus the requested output is longer than the model's context window; " +
  'shorten the messages or lower maxOutputTokens.';

/** Codes OpenAI uses when its safety system, not the request shape, refused. */
const CONTENT_POLICY_CODES = new Set(['content_policy_violation', 'content_filter', 'moderation_blocked']);

/**
 * Reads the error object out of the shapes servers send: OpenAI's `{"error": {...}}`,
 * `{"error": "text"}` (some proxies), or the fields at top level (vLLM's `{"object":
 * "error", "message": ...}`, the Responses stream's `error` event).
 */
export function readErrorFields(payload: JsonObject): OpenAIErrorFields {
  const nested = objectField(payload, 'error');
  const source = nested ?? payload;
  const fields: { -readonly [K in keyof OpenAIErrorFields]: OpenAIErrorFields[K] } = {};
  const message = typeof payload.error === 'string' ? payload.error : textOf(source.message ?? source.detail);
  if (message !== undefined) fields.message = message;
  const type = textOf(source.type);
  if (type !== undefined && type !== 'error') fields.type = type;
  const code = textOf(source.code);
  if (code !== undefined) fields.code = code;
  const param = textOf(source.param);
  if (param !== undefined) fields.param = param;
  return fields;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * The status gives the category; OpenAI's code or type sharpens it. Quota and context-window
 * errors arrive as 429 and 400 but need different handling from their neighbours.
 */
function refine(status: number | undefined, fields: OpenAIErrorFields): Refinement {
  const base = status === undefined ? 'unknown' : categoryForStatus(status);
  const { code, type } = fields;
  if (code === 'insufficient_quota' || type === 'insufficient_quota') {
    return { category: 'rate_limit', hint: QUOTA_HINT, retryable: false };
  }
  if (code === 'context_length_exceeded') return { category: 'invalid_arg', hint: CONTEXT_HINT };
  if (code === 'invalid_api_key' || status === 401 || type === 'authentication_error') {
    return { category: 'auth', hint: API_KEY_HINT };
  }
  if (isContentPolicy(fields)) return { category: 'content_filter' };
  if (code === 'rate_limit_exceeded') return { category: 'rate_limit' };
  if (code === 'model_not_found') return { category: 'not_found' };
  if (base !== 'unknown') return { category: base };
  // No status to go by (an error inside a 200 stream): read the type.
  if (type === 'server_error' || code === 'server_error') return { category: 'server' };
  if (type === 'invalid_request_error') return { category: 'invalid_arg' };
  if (type === 'rate_limit_error' || type === 'requests' || type === 'tokens') return { category: 'rate_limit' };
  return { category: 'unknown' };
}

function isContentPolicy(fields: OpenAIErrorFields): boolean {
  if (fields.code !== undefined && CONTENT_POLICY_CODES.has(fields.code)) return true;
  if (fields.type !== undefined && CONTENT_POLICY_CODES.has(fields.type)) return true;
  // Reasoning models flag prompts with the generic `invalid_prompt` code.
  return fields.code === 'invalid_prompt' && /usage polic|flagged/i.test(fields.message ?? '');
}

/** A non-2xx response (status, headers, body text) -> ProviderError. Never throws. */
export function mapOpenAIHttpError(
  status: number,
  headers: HeaderRecord,
  body: string,
  nowMs: number,
  context: ErrorContext = {},
): ProviderError {
  const label = context.label ?? 'OpenAI';
  const secrets = context.secrets ?? [];
  const payload = tryParseJsonObject(body);
  const fields = payload === undefined ? {} : readErrorFields(payload);
  const refinement = refine(status, fields);
  const shouldRetry = parseShouldRetry(headers);
  const retryAfterMs = parseRetryAfter(headers, nowMs);
  return refinedError(refinement, {
    // Redact the whole body before any snippet is cut, so a key crossing the cut cannot survive in part.
    message: redactSecrets(httpMessage(label, status, redactSecrets(body, secrets), payload, fields), secrets),
    httpStatus: status,
    ...optional(fields, secrets),
    retryAfterMs,
    retryable: refinement.retryable ?? shouldRetry ?? isRetryableStatus(status),
  });
}

/**
 * An error object that arrived inside a 200 stream (Chat's `{"error": {...}}` chunk, the
 * Responses `error` event, or `response.failed`'s `response.error`).
 */
export function mapOpenAIStreamError(payload: JsonObject, context: ErrorContext = {}): ProviderError {
  const label = context.label ?? 'OpenAI';
  const secrets = context.secrets ?? [];
  const fields = readErrorFields(payload);
  const refinement = refine(undefined, fields);
  const detail = fields.message ?? fields.code ?? 'no message';
  return refinedError(refinement, {
    message: redactSecrets(`${label} reported an error: ${detail}`, secrets),
    ...optional(fields, secrets),
    retryable: refinement.retryable ?? RETRYABLE_BY_DEFAULT[refinement.category],
  });
}

function httpMessage(
  label: string,
  status: number,
  body: string,
  payload: JsonObject | undefined,
  fields: OpenAIErrorFields,
): string {
  if (fields.message !== undefined) return `${label} API error (HTTP ${status}): ${fields.message}`;
  return bodyOnlyHttpMessage(label, status, body, payload !== undefined);
}

function optional(
  fields: OpenAIErrorFields,
  secrets: readonly string[],
): { providerCode?: string; providerType?: string; param?: string } {
  const out: { providerCode?: string; providerType?: string; param?: string } = {};
  if (fields.code !== undefined) out.providerCode = redactSecrets(fields.code, secrets);
  if (fields.type !== undefined) out.providerType = redactSecrets(fields.type, secrets);
  if (fields.param !== undefined) out.param = redactSecrets(fields.param, secrets);
  return out;
}
