import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import { ANTHROPIC_KEY_HINT } from './errors.js';
import { DEFAULT_ANTHROPIC_MODEL } from './models.js';

export interface AnthropicAdapterOptions {
  /** Defaults to `ANTHROPIC_API_KEY`; sent as `x-api-key`. */
  readonly apiKey?: string;
  /** Defaults to `ANTHROPIC_BASE_URL`, then https://api.anthropic.com (requests go to `<base>/v1/messages`). */
  readonly baseURL?: string;
  /** `anthropic-beta` flags on every request; added to any the headers carry, never replacing them. */
  readonly betas?: readonly string[];
  /** Extra headers on every request (a request's `extraHeaders` go on top). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The model of requests that name none; defaults to `claude-sonnet-4-5`. */
  readonly defaultModel?: string;
  /** Where the `ANTHROPIC_*` variables are read; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';
const ANTHROPIC_HOST = 'api.anthropic.com';

export interface AnthropicConfig {
  readonly endpoint: string;
  readonly apiKey: string | undefined;
  /** Lower-case names; `anthropic-beta` already joined. */
  readonly headers: Readonly<Record<string, string>>;
  readonly defaultModel: string;
  readonly secrets: readonly string[];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 ? value.trim() : undefined;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const RESERVED = new Set(['connection', 'content-length', 'expect', 'host', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * Layers headers case-insensitively; later layers win, except `anthropic-beta`, whose
 * values accumulate (as the SDK does), so a request's beta never drops the provider's.
 */
export function layerHeaders(
  base: Readonly<Record<string, string>>,
  ...layers: ReadonlyArray<Readonly<Record<string, string>> | undefined>
): Result<Record<string, string>, ProviderError> {
  const out: Record<string, string> = { ...base };
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer ?? {})) {
      const lower = name.toLowerCase();
      if (!TOKEN.test(name) || typeof value !== 'string' || /[\r\n\0]/.test(value) || RESERVED.has(lower)) {
        return err(
          providerError('invalid_arg', {
            message: `Invalid HTTP header ${JSON.stringify(name)}: names must be tokens, values a single line, and connection headers belong to the HTTP client.`,
            param: 'headers',
          }),
        );
      }
      out[lower] = lower === 'anthropic-beta' ? joinBetas(out[lower], value) : value;
    }
  }
  return ok(out);
}

function joinBetas(existing: string | undefined, added: string): string {
  const all = [...(existing ?? '').split(','), ...added.split(',')].map((beta) => beta.trim()).filter((beta) => beta.length > 0);
  return [...new Set(all)].join(',');
}

/** Options and environment -> config, or the error every request will report (creating the provider never fails). */
export function resolveAnthropicConfig(options: AnthropicAdapterOptions = {}): Result<AnthropicConfig, ProviderError> {
  const env = options.env ?? process.env;
  const raw = text(options.baseURL) ?? text(env.ANTHROPIC_BASE_URL) ?? ANTHROPIC_DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Never echoed: it may be a key pasted into the wrong variable.
    return err(invalidBase(`it is not an absolute URL (${raw.length} characters)`));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return err(invalidBase(`the scheme must be http or https, not ${url.protocol}`));
  if (url.username !== '' || url.password !== '') return err(invalidBase('credentials in the URL would be sent in clear; use apiKey'));
  const apiKey = text(options.apiKey) ?? text(env.ANTHROPIC_API_KEY);
  if (apiKey === undefined && url.hostname === ANTHROPIC_HOST) {
    return err(
      providerError('auth', {
        message: 'No Anthropic API key: set the ANTHROPIC_API_KEY environment variable (export ANTHROPIC_API_KEY=...) or pass { apiKey } to createAnthropic().',
        hint: ANTHROPIC_KEY_HINT,
      }),
    );
  }
  if (apiKey !== undefined && !/^[\x21-\x7e]+$/.test(apiKey)) {
    return err(
      providerError('auth', {
        message: 'The Anthropic API key contains spaces, control or non-ASCII characters; check how it was set.',
        hint: ANTHROPIC_KEY_HINT,
      }),
    );
  }
  const base: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION };
  if (apiKey !== undefined) base['x-api-key'] = apiKey;
  const betas = options.betas === undefined || options.betas.length === 0 ? undefined : { 'anthropic-beta': options.betas.join(',') };
  const headers = layerHeaders(base, options.headers, betas);
  if (headers.isErr()) return err(headers.error);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/messages`;
  return ok({
    endpoint: url.toString(),
    apiKey,
    headers: headers.value,
    defaultModel: text(options.defaultModel) ?? DEFAULT_ANTHROPIC_MODEL,
    secrets: apiKey === undefined ? [] : [apiKey],
  });
}

function invalidBase(why: string): ProviderError {
  return providerError('invalid_arg', {
    message: `Invalid Anthropic base URL: ${why}.`,
    param: 'baseURL',
    hint: `Use an absolute http(s) URL such as ${ANTHROPIC_DEFAULT_BASE_URL}.`,
  });
}
