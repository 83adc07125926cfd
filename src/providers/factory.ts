import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../errors/category.js';
import { createAnthropicAdapter, type AnthropicAdapterOptions } from './anthropic/adapter.js';
import { createOpenAIAdapter, type OpenAIAdapterOptions } from './openai/adapter.js';
import { EngineProvider, type Provider, type ProviderOptions } from './provider.js';

export const PROVIDER_NAMES = ['openai', 'anthropic'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export type OpenAIProviderOptions = OpenAIAdapterOptions & ProviderOptions;
export type AnthropicProviderOptions = AnthropicAdapterOptions & ProviderOptions;

/**
 * Creates a provider by name. The API key comes from the options or the provider's usual
 * environment variable; a missing one is reported by the first start call, which says how
 * to set it.
 */
export function createProvider(
  name: string,
  options: OpenAIProviderOptions & AnthropicProviderOptions = {},
): Result<Provider, ProviderError> {
  switch (name) {
    case 'openai':
      return ok(createOpenAI(options));
    case 'anthropic':
      return ok(createAnthropic(options));
    default:
      return err(
        providerError('invalid_arg', {
          message: `unknown provider "${name}"; known providers: ${PROVIDER_NAMES.join(', ')}`,
        }),
      );
  }
}

export function createOpenAI(options: OpenAIProviderOptions = {}): Provider {
  return new EngineProvider(createOpenAIAdapter(options), options);
}

export function createAnthropic(options: AnthropicProviderOptions = {}): Provider {
  return new EngineProvider(createAnthropicAdapter(options), options);
}
