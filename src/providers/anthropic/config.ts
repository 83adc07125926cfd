import { err, ok, type Result } from 'neverthrow';
import type { ProviderError } from '../../errors/category.js';
import type { CommonAdapterOptions } from '../definition.js';
import { joinUrl, mergeHeaders, parseBaseURL, resolveApiKey, textOption, type ApiKeyRule } from '../kit/index.js';
import { DEFAULT_ANTHROPIC_MODEL } from './models.js';

export interface AnthropicAdapterOptions extends CommonAdapterOptions {
  /** `anthropic-beta` flags on every request; added to any the headers carry, never replacing them. */
  readonly betas?: readonly string[];
}

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';
const ANTHROPIC_HOST = 'api.anthropic.com';
const BETA = 'anthropic-beta';

export const ANTHROPIC_KEY_RULE: ApiKeyRule = {
  providerName: 'Anthropic',
  envVars: ['ANTHROPIC_API_KEY'],
  factoryName: 'createAnthropic()',
  keysUrl: 'https://console.anthropic.com/settings/keys',
};

export interface AnthropicConfig {
  readonly endpoint: string;
  /** Lower-case names; `anthropic-beta` already joined. */
  readonly headers: Readonly<Record<string, string>>;
  readonly defaultModel: string;
  /** Strings that must never appear in a message (the key in use). */
  readonly secrets: readonly string[];
}

/**
 * The kit's header merge, except that `anthropic-beta` values accumulate (as the SDK's do),
 * so a request's beta flag never drops the provider's.
 */
export function mergeWithBetas(
  base: Readonly<Record<string, string>>,
  ...layers: ReadonlyArray<Readonly<Record<string, string>> | undefined>
): Result<Record<string, string>, ProviderError> {
  let out: Record<string, string> = { ...base };
  for (const layer of layers) {
    const before = out[BETA];
    const merged = mergeHeaders(out, layer);
    if (merged.isErr()) return err(merged.error);
    out = merged.value;
    const added = Object.entries(layer ?? {}).find(([name]) => name.toLowerCase() === BETA)?.[1];
    if (added !== undefined) out[BETA] = joinBetas(before, added);
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
  const raw = textOption(options.baseURL) ?? textOption(env.ANTHROPIC_BASE_URL) ?? ANTHROPIC_DEFAULT_BASE_URL;
  const base = parseBaseURL(raw, 'Anthropic', ANTHROPIC_DEFAULT_BASE_URL);
  if (base.isErr()) return err(base.error);
  // A proxy or gateway in front of the API may hold the key itself.
  const apiKey = resolveApiKey(options.apiKey, env, { ...ANTHROPIC_KEY_RULE, required: base.value.hostname === ANTHROPIC_HOST });
  if (apiKey.isErr()) return err(apiKey.error);
  const fixed: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION };
  if (apiKey.value !== undefined) fixed['x-api-key'] = apiKey.value;
  const betas = Array.isArray(options.betas) && options.betas.length > 0 ? { [BETA]: options.betas.join(',') } : undefined;
  const headers = mergeWithBetas(fixed, options.headers, betas);
  if (headers.isErr()) return err(headers.error);
  return ok({
    endpoint: joinUrl(raw, 'v1/messages'),
    headers: headers.value,
    defaultModel: textOption(options.defaultModel) ?? DEFAULT_ANTHROPIC_MODEL,
    secrets: apiKey.value === undefined ? [] : [apiKey.value],
  });
}
