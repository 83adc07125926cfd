// Helpers the three protocol modules share: URLs under an endpoint, headers, JSONL reading,
// and typed reads of untyped JSON.
import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { PreparedRequest } from '../../providers/adapter.js';
import type { Endpoint, ItemOutcome } from './types.js';

export type Json = Readonly<Record<string, unknown>>;

export function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(object: Json | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function child(object: Json | undefined, key: string): Json | undefined {
  const value = object?.[key];
  return isJson(value) ? value : undefined;
}

/**
 * The endpoint under which a prepared request's URL ends in `suffix` (`/chat/completions`,
 * `/messages`, `/models/m:generateContent`); its query (Azure's `api-version`) is kept for
 * every URL built under it.
 */
export function endpointOf(prepared: PreparedRequest, suffix: RegExp, provider: string): Result<Endpoint, ProviderError> {
  let url: URL;
  try {
    url = new URL(prepared.http.url);
  } catch {
    return err(providerError('invalid_arg', { message: `${provider}: the request URL ${prepared.http.url} is not a URL` }));
  }
  const path = url.pathname.replace(suffix, '');
  if (path === url.pathname) {
    return err(providerError('invalid_arg', { message: `${provider}: the request URL ${url.pathname} is not an endpoint the Batch API lane knows` }));
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(prepared.http.headers)) {
    const lower = name.toLowerCase();
    if (lower !== 'content-type' && lower !== 'accept') headers[lower] = value;
  }
  return ok({ base: `${url.origin}${path}`, query: url.search, headers });
}

/** `base/path?query`. */
export function urlOf(endpoint: Endpoint, path: string): string {
  return `${endpoint.base}/${path}${endpoint.query}`;
}

export function jsonHeaders(endpoint: Endpoint): Record<string, string> {
  return { ...endpoint.headers, 'content-type': 'application/json', accept: 'application/json' };
}

/** The JSON objects of a JSONL text; a line that is not one is a protocol error naming it. */
export function jsonLines(body: string, what: string): Result<Json[], ProviderError> {
  const out: Json[] = [];
  const lines = body.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return err(providerError('protocol', { message: `${what}: line ${index + 1} is not JSON` }));
    }
    if (!isJson(value)) return err(providerError('protocol', { message: `${what}: line ${index + 1} is not a JSON object` }));
    out.push(value);
  }
  return ok(out);
}

export function protocolError(message: string): ProviderError {
  return providerError('protocol', { message });
}

/**
 * Records one request's outcome from a results file that may name it twice: an answer (made
 * and billed) is never replaced by an error line for the same request, whichever comes first.
 */
export function keepOutcome(outcomes: Map<string, ItemOutcome>, id: string, outcome: ItemOutcome): void {
  if (outcomes.get(id)?.kind !== 'body') outcomes.set(id, outcome);
}
