import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../errors/category.js';
import { createOpenAIAdapter, type OpenAIAdapterOptions } from './openai/adapter.js';
import { EngineProvider, type Provider, type ProviderOptions } from './provider.js';

export const PROVIDER_NAMES = ['openai'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export type OpenAIProviderOptions = OpenAIAdapterOptions & ProviderOptions;

/**
 * Creates a provider by name. The API key comes from the options or the provider's usual
 * environment variable; a missing one is reported by the first start call, which says how
 * to set it.
 */
export function createProvider(name: string, options: OpenAIProviderOptions = {}): Result<Provider, ProviderError> {
  switch (name) {
    case 'openai':
      return ok(createOpenAI(options));
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
