/**
 * The Batch API lane's test jobs: the input lines, the provider options, and the answers the
 * generated cassettes (tools/make-batch-cassettes.ts) play back. Shared by the generator and
 * the tests, so both build the very same wire requests through the real adapters.
 */
import type { CommonAdapterOptions } from '../../../src/providers/registry.js';
import type { ChatRequest } from '../../../src/providers/types.js';

export const PROVIDER_OPTIONS: Readonly<Record<string, CommonAdapterOptions>> = {
  openai: { apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1', env: {} },
  anthropic: { apiKey: 'sk-ant-test', baseURL: 'https://api.anthropic.com', env: {} },
  gemini: { apiKey: 'gm-test', baseURL: 'https://generativelanguage.googleapis.com/v1beta', env: {} },
};

export interface ScenarioLine {
  readonly id: string;
  readonly provider: string;
  readonly request: ChatRequest;
}

const ask = (model: string, text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ model, messages: [{ role: 'user', content: text }], ...extra });

export const OPENAI_LINES: readonly ScenarioLine[] = [
  { id: 'capital-ch', provider: 'openai', request: ask('gpt-4o-mini', 'Capital of Switzerland? One word.') },
  { id: 'capital-fr', provider: 'openai', request: ask('gpt-4o-mini', 'Capital of France? One word.') },
  { id: 'too-long', provider: 'openai', request: ask('gpt-4o-mini', 'Count to a million.', { maxOutputTokens: 999999 }) },
];

export const ANTHROPIC_LINES: readonly ScenarioLine[] = [
  { id: 'haiku-1', provider: 'anthropic', request: ask('claude-haiku-4-5', 'A haiku about queues.', { maxOutputTokens: 200 }) },
  { id: 'haiku-2', provider: 'anthropic', request: ask('claude-haiku-4-5', 'A haiku about sockets.', { maxOutputTokens: 200 }) },
  { id: 'haiku-3', provider: 'anthropic', request: ask('claude-haiku-4-5', 'A haiku about timers.', { maxOutputTokens: 200 }) },
];

export const GEMINI_LINES: readonly ScenarioLine[] = [
  { id: 'g-1', provider: 'gemini', request: ask('gemini-2.5-flash', 'Name a prime above 100.') },
  { id: 'g-2', provider: 'gemini', request: ask('gemini-2.5-flash', 'Name a prime above 1000.') },
];

/** The answers, as the non-streaming endpoints return them (and the batch results embed them). */
export const OPENAI_ANSWERS: Readonly<Record<string, object>> = {
  'capital-ch': chatCompletion('chatcmpl-ch', 'Bern', 14, 2),
  'capital-fr': chatCompletion('chatcmpl-fr', 'Paris', 14, 2),
};

export const OPENAI_TOO_LONG_ERROR = {
  error: { message: 'max_tokens is too large: 999999. This model supports at most 16384 completion tokens.', type: 'invalid_request_error', param: 'max_tokens', code: 'invalid_value' },
};

export const ANTHROPIC_ANSWERS: Readonly<Record<string, object>> = {
  'haiku-1': anthropicMessage('msg_01', 'Requests in a line,\nthe first one served, then the next;\npatience, a river.', 18, 21),
};

export const ANTHROPIC_ERROR = { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: 200 is too small for this request' } };

export const GEMINI_ANSWERS: Readonly<Record<string, object>> = {
  'g-1': geminiResponse('resp-g1', '101', 9, 1),
};

export const GEMINI_ERROR = { code: 3, message: 'Request contains an invalid argument.', status: 'INVALID_ARGUMENT' };

function chatCompletion(id: string, text: string, input: number, output: number): object {
  return {
    id,
    object: 'chat.completion',
    created: 1764633600,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: input,
      completion_tokens: output,
      total_tokens: input + output,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_llmux',
  };
}

function anthropicMessage(id: string, text: string, input: number, output: number): object {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: 'claude-haiku-4-5-20251001',
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: output, service_tier: 'batch' },
  };
}

function geminiResponse(id: string, text: string, input: number, output: number): object {
  return {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: input, candidatesTokenCount: output, totalTokenCount: input + output },
    modelVersion: 'gemini-2.5-flash',
    responseId: id,
  };
}

/** The input file of some lines. */
export function inputText(lines: readonly ScenarioLine[]): string {
  return lines.map((line) => `${JSON.stringify(line)}\n`).join('');
}
