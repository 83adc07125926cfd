import type { ProviderAdapter } from './adapter.js';

/** Where options fall back to: `process.env` unless a test or host passes its own. */
export type EnvRecord = Readonly<Record<string, string | undefined>>;

/**
 * The options every registered provider accepts (each provider's own options extend these),
 * so a host or the CLI can create any provider by name with the same fields.
 */
export interface CommonAdapterOptions {
  /** Defaults to the provider's key variable(s) (`keyEnvVars`). */
  readonly apiKey?: string;
  /** Another endpoint for the provider's API (a proxy, a compatible server). */
  readonly baseURL?: string;
  /** Extra headers on every request (a request's `extraHeaders` go on top). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The model of requests that name none; defaults to the provider's `defaultModel`. */
  readonly defaultModel?: string;
  /**
   * The provider's API flavour, where it has several (OpenAI: `chat` or `responses`). A
   * provider with one API reports any value as an `invalid_arg` error from the first start.
   */
  readonly api?: string;
  /** Where environment variables are read; defaults to `process.env`. */
  readonly env?: EnvRecord;
}

/**
 * One provider as the registry knows it. `createAdapter` must not throw and must accept
 * options from callers without TypeScript (check them at run time); a configuration
 * problem (no key, bad base URL) is returned by every `prepare`, so the first start call
 * reports it, as the engine's contract promises.
 */
export interface ProviderDefinition<O extends CommonAdapterOptions = CommonAdapterOptions> {
  /** Lower-case id, as in `llmux chat --provider NAME`: `openai`, `anthropic`, `gemini`. */
  readonly name: string;
  /** For messages and log lines: `OpenAI`. */
  readonly displayName: string;
  /** The key variables, tried in order; the first is the one messages tell people to set. */
  readonly keyEnvVars: readonly string[];
  /** A variable that overrides the base URL, if the provider reads one (`OPENAI_BASE_URL`). */
  readonly baseUrlEnvVar?: string;
  /** The model of requests that name none. */
  readonly defaultModel: string;
  /** False when the provider can run without a key (OpenAI-compatible local servers). */
  readonly keyRequired: boolean;
  // Method syntax on purpose: a definition with richer options still registers as one with
  // the common options (the factory checks what it gets at run time anyway).
  createAdapter(options: O): ProviderAdapter;
}

/**
 * Declares a provider definition with its own options type checked against the fields
 * (`defineProvider<AnthropicOptions>({...})`); register it in builtin.ts or with registerProvider.
 */
export function defineProvider<O extends CommonAdapterOptions>(definition: ProviderDefinition<O>): ProviderDefinition<O> {
  return definition;
}
