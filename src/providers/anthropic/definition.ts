import { defineProvider } from '../definition.js';
import { createAnthropicAdapter, type AnthropicAdapterOptions } from './adapter.js';
import { DEFAULT_ANTHROPIC_MODEL } from './models.js';

/** Anthropic's Messages API, for the registry. */
export const ANTHROPIC_DEFINITION = defineProvider<AnthropicAdapterOptions>({
  name: 'anthropic',
  displayName: 'Anthropic',
  keyEnvVars: ['ANTHROPIC_API_KEY'],
  baseUrlEnvVar: 'ANTHROPIC_BASE_URL',
  defaultModel: DEFAULT_ANTHROPIC_MODEL,
  // Needed for api.anthropic.com; a gateway at another base URL may hold the key itself.
  keyRequired: true,
  createAdapter: createAnthropicAdapter,
});
