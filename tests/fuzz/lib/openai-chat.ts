import type { Dispatcher } from 'undici';
import { createOpenAI } from '../../../src/providers/factory.js';
import type { ChatRequest } from '../../../src/providers/types.js';
import { randomText, splitText, type Rng } from './rng.js';
import { Literal, type Expected, type FuzzTarget, type Generated, type Json, type LogicalEvent } from './target.js';

/** Shapes as in vcr-fixtures/openai/chat-*.jsonl. */
const FINISH = ['stop', 'length', 'tool_calls', 'content_filter'] as const;
const TOOLS = ['get_weather', 'get_time', 'lookup'] as const;

export function openAIProvider(dispatcher: Dispatcher) {
  return createOpenAI({ apiKey: 'sk-fuzz', baseURL: 'http://fuzz.invalid/v1', engine: { dispatcher, maxRetries: 0 } });
}

export function toolArguments(rng: Rng): string {
  return JSON.stringify({ location: randomText(rng, 2), days: rng.int(10), units: rng.pick(['c', 'f']) });
}

function usage(rng: Rng): Json {
  const prompt = rng.int(500);
  const completion = rng.int(500);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: rng.int(prompt + 1), audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: rng.int(completion + 1), audio_tokens: 0 },
  };
}

interface Plan {
  readonly text: string;
  readonly calls: { readonly id: string; readonly name: string; readonly arguments: string }[];
  readonly finish: string;
}

function plan(rng: Rng): Plan {
  const callCount = rng.chance(0.35) ? rng.range(1, 3) : 0;
  const calls = Array.from({ length: callCount }, (_, i) => ({ id: `call_${i}_${rng.int(1e6)}`, name: rng.pick(TOOLS), arguments: toolArguments(rng) }));
  const text = callCount > 0 && rng.chance(0.5) ? '' : randomText(rng, 12);
  const finish = callCount > 0 ? 'tool_calls' : rng.pick(FINISH.filter((reason) => reason !== 'tool_calls'));
  return { text, calls, finish };
}

function expected(p: Plan): Expected {
  return { text: p.text, toolCalls: p.calls.map(({ name, arguments: args }) => ({ name, arguments: args })) };
}

function chatStream(rng: Rng): Generated {
  const p = plan(rng);
  const id = `chatcmpl-fuzz${rng.int(1e9)}`;
  const model = 'gpt-4o-mini-2024-07-18';
  const chunk = (delta: Json, finish: string | null = null): LogicalEvent => ({
    data: { id, object: 'chat.completion.chunk', created: 1767225660, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] },
  });
  const events: LogicalEvent[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const piece of p.text === '' ? [] : splitText(rng, p.text, 6)) events.push(chunk({ content: piece }));
  p.calls.forEach((call, index) => {
    const [first = '', ...rest] = splitText(rng, call.arguments, 5);
    events.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: first } }] }));
    for (const piece of rest) events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  events.push(chunk({}, p.finish));
  events.push({ data: { id, object: 'chat.completion.chunk', created: 1767225660, model, choices: [], usage: usage(rng) } });
  events.push({ data: new Literal('[DONE]') });
  return { streaming: true, events, expected: expected(p) };
}

function chatBody(rng: Rng): Generated {
  const p = plan(rng);
  const message: Record<string, Json> = { role: 'assistant', content: p.text === '' ? null : p.text, refusal: null };
  if (p.calls.length > 0) {
    message['tool_calls'] = p.calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  }
  const body: Json = {
    id: `chatcmpl-fuzz${rng.int(1e9)}`,
    object: 'chat.completion',
    created: 1767226380,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message, logprobs: null, finish_reason: p.finish }],
    usage: usage(rng),
  };
  return { streaming: false, body, expected: expected(p) };
}

export const openAIChat: FuzzTarget = {
  name: 'openai-chat',
  provider: openAIProvider,
  request: (_streaming: boolean, caseHeaders): ChatRequest => ({
    model: 'gpt-4o-mini',
    api: 'chat',
    messages: [{ role: 'user', content: 'fuzz' }],
    extraHeaders: caseHeaders,
  }),
  generate: (rng, streaming) => (streaming ? chatStream(rng) : chatBody(rng)),
  hasTerminal: (body) => /data: ?\[DONE\]/.test(body),
};
