import { defineProvider } from '../definition.js';
import { createGeminiAdapter } from './adapter.js';
import type { GeminiAdapterOptions } from './config.js';
import { DEFAULT_GEMINI_MODEL } from './models.js';

/** Google Gemini (the Gemini API, or Vertex AI with `vertex`), for the registry. */
export const GEMINI_DEFINITION = defineProvider<GeminiAdapterOptions>({
  name: 'gemini',
  displayName: 'Gemini',
  keyEnvVars: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
  defaultModel: DEFAULT_GEMINI_MODEL,
  // Vertex AI takes a bearer token instead; the adapter checks which applies.
  keyRequired: true,
  createAdapter: createGeminiAdapter,
});
