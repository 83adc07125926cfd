import type { AnthropicAdapterOptions } from './anthropic/adapter.js';
import { ANTHROPIC_DEFINITION } from './anthropic/definition.js';
import type { ProviderDefinition } from './definition.js';
import type { GeminiAdapterOptions } from './gemini/config.js';
import { GEMINI_DEFINITION } from './gemini/definition.js';
import type { OpenAIAdapterOptions } from './openai/adapter.js';
import { OPENAI_DEFINITION } from './openai/definition.js';

/**
 * The providers llmux ships, in the order help texts list them. A new provider adds its
 * definition here and its options type to BuiltinProviderOptions; nothing else names it.
 */
export const BUILTIN_PROVIDERS: readonly ProviderDefinition[] = [OPENAI_DEFINITION, ANTHROPIC_DEFINITION, GEMINI_DEFINITION];

/** Each built-in provider's own options type, by name, for `createProvider`'s typing. */
export interface BuiltinProviderOptions {
  readonly openai: OpenAIAdapterOptions;
  readonly anthropic: AnthropicAdapterOptions;
  readonly gemini: GeminiAdapterOptions;
}
