/**
 * The ChatRequest (and adapter options) behind each cassette in vcr-fixtures/openai, so any
 * test (these parser tests, or an end-to-end replay through the engine) can issue exactly
 * the request the cassette recorded. Adapters use `CASSETTE_API_KEY` unless a case says otherwise.
 */
import type { RequestMode } from '../../../src/providers/adapter.js';
import type { OpenAIAdapterOptions } from '../../../src/providers/openai/adapter.js';
import type { ChatRequest } from '../../../src/providers/types.js';

export const CASSETTE_API_KEY = 'sk-test-0123456789abcdef';
const KEY = CASSETTE_API_KEY;
const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hello!' }] };

export interface CassetteCase {
  readonly name: string;
  readonly request: ChatRequest;
  readonly mode?: RequestMode;
  readonly options?: OpenAIAdapterOptions;
}

export const CASSETTE_CASES: readonly CassetteCase[] = [
  { name: 'chat-text-multibyte', request: { messages: [{ role: 'user', content: 'Say hello in Japanese, with an emoji.' }] } },
  {
    name: 'chat-parallel-tools',
    request: {
      model: 'gpt-4.1-mini',
      system: 'You are a travel assistant.',
      messages: [{ role: 'user', content: 'Weather in Paris and Tokyo, and the time in Tokyo?' }],
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather for a city.',
          parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
        },
        {
          name: 'get_time',
          parameters: { type: 'object', properties: { timezone: { type: 'string' } }, required: ['timezone'] },
        },
      ],
      toolChoice: 'auto',
      parallelToolCalls: true,
    },
  },
  {
    name: 'chat-reasoning',
    request: {
      model: 'o4-mini',
      api: 'chat',
      messages: [{ role: 'user', content: 'What is 17 × 23? Answer in one line.' }],
      maxOutputTokens: 1024,
      reasoningEffort: 'low',
    },
  },
  {
    name: 'chat-local-reasoning-content',
    options: { baseURL: 'http://localhost:8000/v1/', env: {} },
    request: { model: 'deepseek-r1-distill-qwen-7b', messages: [{ role: 'user', content: 'What is the capital of Australia?' }] },
  },
  {
    name: 'chat-refusal',
    request: { model: 'gpt-4o', messages: [{ role: 'user', content: 'Explain how to pick the lock on my neighbour’s door.' }] },
  },
  {
    name: 'chat-length',
    request: { messages: [{ role: 'user', content: 'Tell me a long story.' }], maxOutputTokens: 16, temperature: 0.7 },
  },
  { name: 'chat-content-filter', request: { messages: [{ role: 'user', content: 'Write the lyrics of a copyrighted song.' }] } },
  {
    name: 'chat-cached-usage',
    request: {
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: 'You answer questions about the attached handbook. [handbook text elided for the fixture]' },
        { role: 'user', content: 'Which section covers refunds?' },
      ],
      temperature: 0,
      seed: 7,
    },
  },
  { name: 'chat-inband-error', request: { messages: [{ role: 'user', content: 'What is the answer?' }] } },
  { name: 'chat-401', request: hello },
  { name: 'chat-429-then-200', request: hello },
  { name: 'chat-500', request: hello },
  { name: 'chat-502-html', request: hello },
  { name: 'chat-truncated', request: { messages: [{ role: 'user', content: 'Count to five.' }] } },
  { name: 'chat-reset', request: { messages: [{ role: 'user', content: 'Count to five.' }] } },
  { name: 'chat-nonstream', mode: 'request', request: { messages: [{ role: 'user', content: 'What is the capital of France?' }] } },
  {
    name: 'responses-text',
    request: {
      model: 'gpt-4.1-mini',
      api: 'responses',
      system: 'Answer in one sentence.',
      messages: [{ role: 'user', content: 'Give me a famous quote about imagination.' }],
    },
  },
  {
    name: 'responses-tools',
    request: {
      model: 'gpt-5-mini',
      messages: [{ role: 'user', content: 'What is the weather in Paris and in Tokyo?' }],
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather for a city.',
          parameters: {
            type: 'object',
            properties: { location: { type: 'string' } },
            required: ['location'],
            additionalProperties: false,
          },
          strict: true,
        },
      ],
    },
  },
  {
    name: 'responses-reasoning',
    request: { model: 'o4-mini', messages: [{ role: 'user', content: 'Is 97 prime?' }], reasoningEffort: 'medium' },
  },
  {
    name: 'responses-incomplete',
    options: { api: 'responses', apiKey: KEY, env: {} },
    request: { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Tell me the history of Rome.' }], maxOutputTokens: 16 },
  },
  {
    name: 'responses-failed',
    request: { model: 'gpt-4.1-mini', api: 'responses', messages: [{ role: 'user', content: 'Summarize the plot of Hamlet.' }] },
  },
  {
    name: 'responses-nonstream',
    mode: 'request',
    request: {
      model: 'gpt-5-nano',
      messages: [{ role: 'user', content: 'What is Apple trading at?' }],
      tools: [{ name: 'get_stock_price', parameters: { type: 'object', properties: { ticker: { type: 'string' } }, required: ['ticker'] } }],
      reasoningEffort: 'low',
    },
  },
];
