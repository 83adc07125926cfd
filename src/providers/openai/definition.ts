import { defineProvider } from '../definition.js';
import { createOpenAIAdapter, type OpenAIAdapterOptions } from './adapter.js';
import { DEFAULT_OPENAI_MODEL } from './models.js';

/** OpenAI (Chat Completions and Responses) and OpenAI-compatible servers, for the registry. */
export const OPENAI_DEFINITION = defineProvider<OpenAIAdapterOptions>({
  name: 'openai',
  displayName: 'OpenAI',
  keyEnvVars: ['OPENAI_API_KEY'],
  baseUrlEnvVar: 'OPENAI_BASE_URL',
  defaultModel: DEFAULT_OPENAI_MODEL,
  // A key is needed for api.openai.com only; the adapter checks it against the base URL.
  keyRequired: true,
  createAdapter: createOpenAIAdapter,
});
