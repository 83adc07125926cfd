import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import { isHeaderSafe } from './http.js';

/** Where options fall back to: `process.env` unless a test or host passes its own. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A non-empty string option, else undefined (callers without TypeScript may pass anything). */
export function textOption(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The first non-empty of an option and environment variables, in that order. */
export function optionOrEnv(option: unknown, env: Env, names: readonly string[]): string | undefined {
  const given = textOption(option);
  if (given !== undefined) return given;
  for (const name of names) {
    const value = textOption(env[name]);
    if (value !== undefined) return value;
  }
  return undefined;
}

export interface ApiKeyRule {
  /** `Anthropic`: names the provider in messages. */
  readonly providerName: string;
  /** The variables tried in order, first one named in messages: `['GEMINI_API_KEY', 'GOOGLE_API_KEY']`. */
  readonly envVars: readonly string[];
  /** The factory named in messages: `createAnthropic()`. */
  readonly factoryName: string;
  /** Where keys are obtained, for the hint. */
  readonly keysUrl: string;
  /** False for servers that need no key (OpenAI-compatible local servers). Default true. */
  readonly required?: boolean;
}

/** The hint every missing or malformed key error carries. */
export function apiKeyHint(rule: ApiKeyRule): string {
  const first = rule.envVars[0] ?? 'the API key variable';
  return `Set ${first} (export ${first}=...) or pass { apiKey } to ${rule.factoryName}; keys are at ${rule.keysUrl}.`;
}

/**
 * The API key from the option, else the environment (trimmed; empty counts as absent). A
 * missing required key and a key that cannot go in a header are `auth` errors that say
 * which variable to set; the key itself is never echoed.
 */
export function resolveApiKey(option: unknown, env: Env, rule: ApiKeyRule): Result<string | undefined, ProviderError> {
  const key = textOption(typeof option === 'string' ? option.trim() : undefined) ?? firstTrimmed(env, rule.envVars);
  const hint = apiKeyHint(rule);
  if (key === undefined) {
    if (rule.required === false) return ok(undefined);
    const vars = rule.envVars.join(' or ');
    const first = rule.envVars[0] ?? 'the API key';
    return err(
      providerError('auth', {
        message: `No ${rule.providerName} API key: set the ${vars} environment variable (export ${first}=...) or pass { apiKey } to ${rule.factoryName}.`,
        hint,
      }),
    );
  }
  if (!isHeaderSafe(key)) {
    return err(
      providerError('auth', {
        message: `The ${rule.providerName} API key contains spaces, control or non-ASCII characters; check how it was set.`,
        hint,
      }),
    );
  }
  return ok(key);
}

function firstTrimmed(env: Env, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = textOption(env[name])?.trim();
    if (value !== undefined && value.length > 0) return value;
  }
  return undefined;
}
