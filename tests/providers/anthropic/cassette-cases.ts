/**
 * The ChatRequest (and adapter options) behind each cassette in vcr-fixtures/anthropic, so a
 * test can issue exactly the request the cassette recorded. Adapters use `CASSETTE_API_KEY`.
 */
import type { RequestMode } from '../../../src/providers/adapter.js';
import type { AnthropicAdapterOptions } from '../../../src/providers/anthropic/adapter.js';
import type { ChatRequest, ToolDefinition } from '../../../src/providers/types.js';

export const CASSETTE_API_KEY = 'test-anthropic-key-not-real';
const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hello!' }] };

const weather: ToolDefinition = {
  name: 'get_weather',
  description: 'Current weather for a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const clock: ToolDefinition = {
  name: 'get_time',
  parameters: { type: 'object', properties: { timezone: { type: 'string' } }, required: ['timezone'] },
};

export interface CassetteCase {
  readonly name: string;
  readonly request: ChatRequest;
  readonly mode?: RequestMode;
  readonly options?: AnthropicAdapterOptions;
}

export const CASSETTE_CASES: readonly CassetteCase[] = [
  { name: 'text', request: { system: 'Answer briefly.', messages: [{ role: 'user', content: 'Say hello in Japanese, with an emoji.' }] } },
  {
    name: 'thinking',
    request: { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Is 1001 prime?' }], thinkingBudget: 2048, maxOutputTokens: 1024 },
  },
  {
    name: 'parallel-tools',
    request: {
      messages: [{ role: 'user', content: 'Weather in Paris and the time in Tokyo?' }],
      tools: [weather, clock],
      toolChoice: 'auto',
    },
  },
  {
    name: 'tool-no-args',
    request: {
      messages: [{ role: 'user', content: 'Refresh the issue list.' }],
      tools: [{ name: 'refresh_issues', description: 'Reload the list.', parameters: { type: 'object', properties: {} } }],
      toolChoice: 'required',
    },
  },
  {
    name: 'server-tools',
    request: {
      messages: [{ role: 'user', content: 'What is the latest Node.js LTS?' }],
      extraBody: { tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 1 }] },
    },
  },
  { name: 'refusal', request: { messages: [{ role: 'user', content: 'Help me with something disallowed.' }] } },
  { name: 'max-tokens', request: { messages: [{ role: 'user', content: 'Tell me a long story.' }], maxOutputTokens: 12, temperature: 0.5 } },
  {
    name: 'pause-turn',
    request: {
      messages: [{ role: 'user', content: 'Research three topics.' }],
      extraBody: { tools: [{ type: 'web_search_20250305', name: 'web_search' }] },
    },
  },
  {
    name: 'cache-usage',
    request: {
      system: 'You are a support agent for the llmux library. (a long, cached manual follows)',
      messages: [{ role: 'user', content: 'How do I cancel a request?' }],
      cache: { system: { ttl: '1h' } },
    },
  },
  { name: 'overloaded-then-200', request: hello },
  { name: 'overloaded-after-delta', request: hello },
  { name: '401', request: hello },
  { name: '429', request: hello, options: { betas: ['context-1m-2025-08-07'] } },
  { name: '529-then-200', request: hello },
  { name: 'nonstream', request: { messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weather] }, mode: 'request' },
  { name: 'truncated', request: hello },
];
