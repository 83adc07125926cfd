import { createAnthropicAdapter, type AnthropicAdapterOptions } from './anthropic/adapter.js';
import { createGeminiAdapter } from './gemini/adapter.js';
import type { GeminiAdapterOptions } from './gemini/config.js';
import { createOpenAIAdapter, type OpenAIAdapterOptions } from './openai/adapter.js';
import { BUILTIN_PROVIDERS } from './builtin.js';
import { EngineProvider, type Provider, type ProviderOptions } from './provider.js';

export { createProvider, type ProviderName } from './registry.js';

/** The built-in providers' names (the registry may hold more: see `providerNames()`). */
export const PROVIDER_NAMES: readonly string[] = BUILTIN_PROVIDERS.map((definition) => definition.name);

export type OpenAIProviderOptions = OpenAIAdapterOptions & ProviderOptions;
export type AnthropicProviderOptions = AnthropicAdapterOptions & ProviderOptions;

export function createOpenAI(options: OpenAIProviderOptions = {}): Provider {
  return new EngineProvider(createOpenAIAdapter(options), options);
}

/** Anthropic's Messages API: key from ANTHROPIC_API_KEY, base URL from ANTHROPIC_BASE_URL. */
export function createAnthropic(options: AnthropicProviderOptions = {}): Provider {
  return new EngineProvider(createAnthropicAdapter(options), options);
}

export type GeminiProviderOptions = GeminiAdapterOptions & ProviderOptions;

/** Google Gemini: the Gemini API with an API key, or Vertex AI with `vertex` and a caller-supplied token. */
export function createGemini(options: GeminiProviderOptions = {}): Provider {
  return new EngineProvider(createGeminiAdapter(options), options);
}
