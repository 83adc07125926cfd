import { providerError, RETRYABLE_BY_DEFAULT, type ErrorCategory, type ProviderError } from '../../errors/category.js';
import { hintFor } from '../../errors/hints.js';
import { categoryForStatus, isRetryableStatus } from '../../errors/http-status.js';
import { headerValue, parseRetryAfter, parseShouldRetry, type HeaderRecord } from '../../http/headers.js';
import { apiKeyHint, cleanBodySnippet, isObject, redactSecrets, snippet, tryParseJsonObject } from '../kit/index.js';
import { ANTHROPIC_KEY_RULE } from './config.js';
import { obj, str, type JsonObject } from './json.js';

export const ANTHROPIC_KEY_HINT = apiKeyHint(ANTHROPIC_KEY_RULE);

export const BILLING_HINT =
  'The account is out of credit or over a spend limit; add credit or raise the limit in the Anthropic console. Retrying will not help.';

const SPEND_LIMIT_HINT =
  'The workspace reached the spend limit set for it; usage pauses until the limit is raised or the month ends. Retrying will not help.';

const OVERLOADED_HINT = 'Anthropic is overloaded across all users (not your quota); retrying shortly usually works.';

/** The fields of `{"type":"error","error":{type,message,details?},"request_id"}`. */
export interface AnthropicErrorFields {
  readonly type?: string;
  readonly message?: string;
  readonly requestId?: string;
  /** `error.details.error_code`, e.g. `enforced_spend_limit_reached`. */
  readonly detailCode?: string;
}

export function readErrorFields(payload: JsonObject): AnthropicErrorFields {
  const error = obj(payload, 'error');
  const fields: { -readonly [K in keyof AnthropicErrorFields]: AnthropicErrorFields[K] } = {};
  const type = str(error, 'type');
  if (type !== undefined && type.length > 0) fields.type = type;
  const message = str(error, 'message') ?? (typeof payload.error === 'string' ? payload.error : undefined);
  if (message !== undefined && message.length > 0) fields.message = message;
  const requestId = str(payload, 'request_id');
  if (requestId !== undefined && requestId.length > 0) fields.requestId = requestId;
  const details = obj(error, 'details');
  const code = str(details, 'error_code');
  if (code !== undefined && code.length > 0) fields.detailCode = code;
  return fields;
}

interface Refinement {
  readonly category: ErrorCategory;
  readonly hint?: string;
  /** Set when the error type decides retryability whatever the status says. */
  readonly retryable?: boolean;
}

/** By type first (Anthropic's types are precise), the status where the type is missing or new. */
function refine(status: number | undefined, fields: AnthropicErrorFields): Refinement {
  if (fields.detailCode === 'enforced_spend_limit_reached') {
    return { category: 'rate_limit', hint: SPEND_LIMIT_HINT, retryable: false };
  }
  switch (fields.type) {
    case 'billing_error':
      return { category: 'rate_limit', hint: BILLING_HINT, retryable: false };
    case 'authentication_error':
    case 'permission_error':
      return { category: 'auth', hint: ANTHROPIC_KEY_HINT };
    case 'overloaded_error':
      return { category: 'server', hint: OVERLOADED_HINT, retryable: true };
    case 'api_error':
      return { category: 'server' };
    case 'rate_limit_error':
      return { category: 'rate_limit' };
    case 'not_found_error':
      return { category: 'not_found' };
    case 'timeout_error':
      return { category: 'timeout' };
    case 'request_too_large':
    case 'invalid_request_error':
      return { category: status === 404 ? 'not_found' : 'invalid_arg' };
    default:
      if (status === undefined) return { category: 'unknown' };
      return status === 401 ? { category: 'auth', hint: ANTHROPIC_KEY_HINT } : { category: categoryForStatus(status) };
  }
}

/**
 * A non-2xx response -> ProviderError. A body that is not Anthropic's JSON (a 413 from
 * Cloudflare, an HTML 502 from a proxy) is classified by its status alone.
 */
export function mapAnthropicHttpError(
  status: number,
  headers: HeaderRecord,
  body: string,
  nowMs: number,
  secrets: readonly string[] = [],
): ProviderError {
  const payload = tryParseJsonObject(body);
  const fields = payload === undefined || !isObject(payload.error) ? {} : readErrorFields(payload);
  const refinement = refine(status, fields);
  const retryAfterMs = parseRetryAfter(headers, nowMs);
  const requestId = fields.requestId ?? headerValue(headers, 'request-id');
  // Redact the whole body before cutting a snippet: a key across the cut would survive in part.
  const clean = redactSecrets(body, secrets);
  const detail =
    fields.message ??
    (clean.trim().length === 0 ? 'empty body' : `${payload === undefined ? 'non-JSON body' : 'body'} ${JSON.stringify(payload === undefined ? cleanBodySnippet(clean) : snippet(clean))}`);
  return providerError(refinement.category, {
    message: redactSecrets(`Anthropic API error (HTTP ${status}): ${detail}${requestId === undefined ? '' : ` [request ${requestId}]`}`, secrets),
    httpStatus: status,
    ...(requestId === undefined ? {} : { requestId }),
    ...(fields.type === undefined ? {} : { providerType: fields.type, providerCode: fields.detailCode ?? fields.type }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    retryable: refinement.retryable === false ? false : (parseShouldRetry(headers) ?? refinement.retryable ?? isRetryableStatus(status)),
    hint: refinement.hint ?? hintFor(refinement.category),
  });
}

/**
 * An `error` event inside a 200 stream (or the same object as a 2xx body). Its category is the one the matching HTTP status
 * would give, so an `overloaded_error` is a retryable `server` error like a 529.
 */
export function mapAnthropicStreamError(payload: JsonObject, secrets: readonly string[] = [], label = 'Anthropic stream error'): ProviderError {
  const fields = readErrorFields(payload);
  const refinement = refine(undefined, fields);
  return providerError(refinement.category, {
    message: redactSecrets(`${label}: ${fields.message ?? fields.type ?? 'no message'}${fields.requestId === undefined ? '' : ` [request ${fields.requestId}]`}`, secrets),
    ...(fields.requestId === undefined ? {} : { requestId: fields.requestId }),
    ...(fields.type === undefined ? {} : { providerType: fields.type, providerCode: fields.detailCode ?? fields.type }),
    retryable: refinement.retryable ?? RETRYABLE_BY_DEFAULT[refinement.category],
    hint: refinement.hint ?? hintFor(refinement.category),
  });
}
