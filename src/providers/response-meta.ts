import type { ProviderError } from '../errors/category.js';
import { headerValue, type HeaderRecord } from '../http/headers.js';
import type { ProviderAdapter } from './adapter.js';
import type { ChatResponse, ResponseHeaderRecord } from './types.js';

/**
 * The response headers a ChatResponse or ProviderError keeps: rate-limit state (OpenAI's
 * `x-ratelimit-*`, Anthropic's `anthropic-ratelimit-*`, the IETF draft's `ratelimit*`), retry
 * hints, request ids and server timing. A filtered record rather than all headers, so a
 * result never carries cookies or other credentials and stays small enough to log.
 */
export const RESPONSE_HEADER_PATTERN =
  /^(?:x-ratelimit-|anthropic-ratelimit-|ratelimit|retry-after$|retry-after-ms$|x-should-retry$|x-request-id$|request-id$|openai-processing-ms$|openai-version$|x-goog-request-id$)/;

/** The kept headers (lower-case names, multi-valued ones joined with `, `). */
export function pickResponseHeaders(headers: HeaderRecord): ResponseHeaderRecord {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || !RESPONSE_HEADER_PATTERN.test(lower)) continue;
    out[lower] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The provider's request id: `x-request-id` (OpenAI), else `request-id` (Anthropic). */
export function requestIdOf(headers: HeaderRecord): string | undefined {
  const id = headerValue(headers, 'x-request-id') ?? headerValue(headers, 'request-id');
  return id === undefined || id.length === 0 ? undefined : id;
}

/** The response with its request id and headers, taken from the 2xx response. */
export function withResponseMeta(response: ChatResponse, headers: HeaderRecord): ChatResponse {
  const requestId = requestIdOf(headers);
  return { ...response, ...(requestId === undefined ? {} : { requestId }), headers: pickResponseHeaders(headers) };
}

/**
 * The error with the request id and headers of the response it came from. A request id the
 * provider already read (from the error body) is kept; headers already set are kept.
 */
export function withErrorMeta(error: ProviderError, headers: HeaderRecord): ProviderError {
  if (error.headers !== undefined) return error;
  const requestId = error.requestId ?? requestIdOf(headers);
  return { ...error, ...(requestId === undefined ? {} : { requestId }), headers: pickResponseHeaders(headers) };
}

/** A non-2xx response -> the provider's error, with the response's request id and headers. */
export function describeHttpError(
  adapter: ProviderAdapter,
  status: number,
  headers: HeaderRecord,
  body: string,
  nowMs: number,
): ProviderError {
  return withErrorMeta(adapter.mapHttpError(status, headers, body, nowMs), headers);
}
