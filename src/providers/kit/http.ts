import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';

/**
 * The HTTP side every provider shares: base URLs, header sets, the user agent, the JSON body.
 * Everything returns a Result: a bad option is a clear `invalid_arg`, never an undici throw.
 */

/** Kept in step with package.json (a test checks). */
export const LLMUX_VERSION = '0.1.0';

/** The `user-agent` every provider sends. */
export const USER_AGENT = `llmux/${LLMUX_VERSION}`;

/**
 * Parses a base URL option. `providerName` names it in messages (`Invalid Anthropic base
 * URL ...`); `example` is the provider's default, shown in the hint. The raw text is never
 * echoed (it may hold credentials, or be a key pasted into the wrong variable).
 */
export function parseBaseURL(raw: string, providerName: string, example: string): Result<URL, ProviderError> {
  const invalid = (shown: string, why: string): Result<URL, ProviderError> =>
    err(
      providerError('invalid_arg', {
        message: `Invalid ${providerName} base URL${shown}: ${why}.`,
        param: 'baseURL',
        hint: `Use an absolute http(s) URL such as ${example} or http://localhost:11434/v1.`,
      }),
    );
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return invalid('', `it is not an absolute URL (${raw.length} characters, no scheme; is an API key in the base URL setting?)`);
  }
  const shown = ` ${url.protocol}//${url.host}${url.pathname}`;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return invalid(shown, `the scheme must be http or https, not ${url.protocol}`);
  if (url.username !== '' || url.password !== '') return invalid(shown, 'credentials in the URL would be sent in clear; use apiKey');
  return ok(url);
}

/**
 * `path` appended to the base URL's path (one slash between), keeping the base's query
 * (Azure's `api-version`); `query` entries are added to it. `baseURL` must have passed
 * parseBaseURL.
 */
export function joinUrl(baseURL: string, path: string, query?: Readonly<Record<string, string>>): string {
  const url = new URL(baseURL);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  if (query !== undefined) for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.toString();
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Connection-level headers belong to the HTTP client; undici refuses most of them. */
const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'content-length',
  'expect',
  'host',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** True for a value that can go in a header as is: visible ASCII, no spaces (API keys). */
export function isHeaderSafe(value: string): boolean {
  return /^[\x21-\x7e]+$/.test(value);
}

/**
 * Merges header layers: later ones replace earlier ones whatever their case; names come out
 * lower-case. Names and values are checked (undici would throw on them), and the headers the
 * HTTP client manages are refused.
 */
export function mergeHeaders(
  base: Readonly<Record<string, string>>,
  ...layers: ReadonlyArray<Readonly<Record<string, string>> | undefined>
): Result<Record<string, string>, ProviderError> {
  const out: Record<string, string> = { ...base };
  for (const layer of layers) {
    if (layer === undefined) continue;
    for (const [name, value] of Object.entries(layer)) {
      if (!TOKEN.test(name) || typeof value !== 'string' || /[\r\n\0]/.test(value)) {
        return err(
          providerError('invalid_arg', {
            message: `Invalid HTTP header ${JSON.stringify(name)}: names must be tokens and values a single line.`,
            param: 'headers',
          }),
        );
      }
      if (RESERVED_HEADERS.has(name.toLowerCase())) {
        return err(
          providerError('invalid_arg', {
            message: `The HTTP header ${JSON.stringify(name)} is managed by the HTTP client and cannot be set.`,
            param: 'headers',
          }),
        );
      }
      out[name.toLowerCase()] = value;
    }
  }
  return ok(out);
}

/**
 * The headers of one JSON POST: content type, accept (SSE when streaming), the user agent,
 * then the provider's headers, then the request's `extraHeaders` (checked, last wins).
 */
export function requestHeaders(
  stream: boolean,
  providerHeaders: Readonly<Record<string, string>>,
  extraHeaders: Readonly<Record<string, string>> | undefined,
): Result<Record<string, string>, ProviderError> {
  return mergeHeaders(
    {
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
      'user-agent': USER_AGENT,
      ...providerHeaders,
    },
    extraHeaders,
  );
}

/** JSON.stringify of a wire body as a Result: BigInt values or cycles are the caller's `invalid_arg`. */
export function stringifyBody(body: unknown): Result<string, ProviderError> {
  try {
    return ok(JSON.stringify(body));
  } catch (cause) {
    return err(
      providerError('invalid_arg', {
        message: `The request body cannot be written as JSON (${cause instanceof Error ? cause.message : String(cause)}); check tool schemas and extraBody for BigInt values or cycles.`,
      }),
    );
  }
}
