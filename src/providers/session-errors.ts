import { providerError, type ProviderError } from '../errors/category.js';
import { hintFor } from '../errors/hints.js';
import { headerValue, type HeaderRecord } from '../http/headers.js';

export function cancelledError(): ProviderError {
  return providerError('cancelled', { message: 'the request was cancelled', hint: hintFor('cancelled') });
}

/** A user callback's exception ends its request with this, instead of unwinding the pump. */
export function callbackThrew(callback: string, error: unknown): ProviderError {
  const what = error instanceof Error ? error.message : String(error);
  return providerError('unknown', {
    message: `the ${callback} callback threw: ${what}; the request was stopped`,
    retryable: false,
  });
}

/**
 * A 2xx HTML page where an event stream or JSON was due is a captive portal, proxy or wrong
 * base URL, not a model answer; saying so beats a confusing "stream ended early".
 */
export function refuseHtml(headers: HeaderRecord, expected: 'an event stream' | 'JSON'): ProviderError | undefined {
  const type = headerValue(headers, 'content-type')?.toLowerCase() ?? '';
  if (!type.includes('text/html')) return undefined;
  return providerError('protocol', {
    message: `expected ${expected} but the server sent ${type.split(';')[0]} (a proxy, login page or wrong base URL?)`,
    hint: hintFor('protocol'),
  });
}

/** Non-streaming bodies are buffered whole; past this the transfer fails instead. */
export const MAX_RESPONSE_BODY_BYTES = 64 * 1024 * 1024;

export function bodyTooLarge(limit: number): ProviderError {
  return providerError('protocol', {
    message: `response body larger than ${limit} bytes; stopped to bound memory`,
  });
}

/** A transfer that completed without its sink ever being finished: only a bug gets here. */
export function unexpectedEnd(): ProviderError {
  return providerError('unknown', { message: 'the transfer completed without a result; this is a bug in llmux' });
}
