// The providers that have a Batch API this lane speaks, by llmux provider name.
import { anthropicBatchProtocol } from './anthropic.js';
import { geminiBatchProtocol } from './gemini.js';
import { openAIBatchProtocol } from './openai.js';
import type { BatchProtocol } from './types.js';

export const BATCH_PROTOCOLS: Readonly<Record<string, BatchProtocol>> = {
  openai: openAIBatchProtocol,
  anthropic: anthropicBatchProtocol,
  gemini: geminiBatchProtocol,
};
