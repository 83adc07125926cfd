import t from 'tap';
import { serializeChatBody } from '../../../src/providers/openai/serialize-chat.js';
import { serializeResponsesBody } from '../../../src/providers/openai/serialize-responses.js';
import type { ChatRequest, Message } from '../../../src/providers/types.js';
import { errOf, okOf } from './helpers.js';

/** A conversation that uses every message and part kind: a tool round trip with images. */
const conversation: readonly Message[] = [
  { role: 'developer', content: 'Prefer metric units.' },
  {
    role: 'user',
    content: [
      { type: 'text', text: 'What is in this picture, and what is the weather there?' },
      { type: 'image', url: 'https://example.com/paris.jpg', detail: 'low' },
      { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
    ],
  },
  {
    role: 'assistant',
    content: 'That is the Eiffel Tower. Let me check the weather.',
    toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"location":"Paris"}' }],
  },
  { role: 'tool', toolCallId: 'call_1', content: '{"temp_c":18}' },
  { role: 'assistant', toolCalls: [{ id: 'call_2', name: 'get_time', arguments: '{}' }] },
  { role: 'tool', toolCallId: 'call_2', content: '14:05' },
  { role: 'assistant', content: 'It is 18 °C at 14:05.' },
  { role: 'user', content: 'Thanks! 🙏' },
];

const tools: ChatRequest['tools'] = [
  {
    name: 'get_weather',
    description: 'Weather for a city.',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
    strict: true,
  },
  { name: 'get_time', parameters: { type: 'object', properties: {} } },
];

t.test('chat: every field, exact body', async (t) => {
  const request: ChatRequest = {
    system: 'You are terse.',
    messages: conversation,
    tools,
    toolChoice: { name: 'get_weather' },
    parallelToolCalls: false,
    maxOutputTokens: 256,
    temperature: 0.2,
    topP: 0.9,
    frequencyPenalty: 0.5,
    presencePenalty: -0.5,
    stop: ['\n\n', 'END'],
    seed: 42,
    reasoningEffort: 'high',
  };
  const body = okOf(serializeChatBody(request, 'gpt-4.1', true));
  t.equal(
    JSON.stringify(body),
    JSON.stringify({
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: 'Prefer metric units.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture, and what is the weather there?' },
            { type: 'image_url', image_url: { url: 'https://example.com/paris.jpg', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
        {
          role: 'assistant',
          content: 'That is the Eiffel Tower. Let me check the weather.',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp_c":18}' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_2', content: '14:05' },
        { role: 'assistant', content: 'It is 18 °C at 14:05.' },
        { role: 'user', content: 'Thanks! 🙏' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather for a city.',
            parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
            strict: true,
          },
        },
        { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      max_completion_tokens: 256,
      temperature: 0.2,
      top_p: 0.9,
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
      stop: ['\n\n', 'END'],
      seed: 42,
      reasoning_effort: 'high',
      stream: true,
      stream_options: { include_usage: true },
    }),
  );
});

t.test('chat: unset fields are absent, and no stream fields for a plain request', async (t) => {
  const body = okOf(serializeChatBody({ messages: [{ role: 'user', content: 'Hi' }] }, 'gpt-4o-mini', false));
  t.equal(JSON.stringify(body), '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}');
  const empty = okOf(serializeChatBody({ messages: [{ role: 'assistant' }], tools: [] }, 'm', false));
  t.same(empty, { model: 'm', messages: [{ role: 'assistant', content: '' }] }, 'empty tools and content');
});

t.test('chat: tool choice strings pass through with tools, and tool options never go without tools', async (t) => {
  const tools = [{ name: 'f', parameters: { type: 'object' } }];
  for (const choice of ['auto', 'none', 'required'] as const) {
    const body = okOf(serializeChatBody({ messages: [{ role: 'user', content: 'x' }], tools, toolChoice: choice }, 'm', false));
    t.equal(body.tool_choice, choice);
    const bare = okOf(serializeChatBody({ messages: [{ role: 'user', content: 'x' }], tools: [], toolChoice: choice, parallelToolCalls: true }, 'm', false));
    t.same([bare.tools, bare.tool_choice, bare.parallel_tool_calls], [undefined, undefined, undefined], 'a 400 avoided');
  }
});

t.test('responses: every field it supports, exact body', async (t) => {
  const request: ChatRequest = {
    system: 'You are terse.',
    messages: conversation,
    tools,
    toolChoice: { name: 'get_weather' },
    parallelToolCalls: true,
    maxOutputTokens: 256,
    temperature: 0.2,
    topP: 0.9,
    reasoningEffort: 'high',
  };
  const body = okOf(serializeResponsesBody(request, 'gpt-5', true));
  t.equal(
    JSON.stringify(body),
    JSON.stringify({
      model: 'gpt-5',
      instructions: 'You are terse.',
      input: [
        { role: 'developer', content: 'Prefer metric units.' },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is in this picture, and what is the weather there?' },
            { type: 'input_image', image_url: 'https://example.com/paris.jpg', detail: 'low' },
            { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=' },
          ],
        },
        { role: 'assistant', content: [{ type: 'output_text', text: 'That is the Eiffel Tower. Let me check the weather.' }] },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"location":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"temp_c":18}' },
        { type: 'function_call', call_id: 'call_2', name: 'get_time', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_2', output: '14:05' },
        { role: 'assistant', content: [{ type: 'output_text', text: 'It is 18 °C at 14:05.' }] },
        { role: 'user', content: 'Thanks! 🙏' },
      ],
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'Weather for a city.',
          parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
          strict: true,
        },
        { type: 'function', name: 'get_time', parameters: { type: 'object', properties: {} }, strict: false },
      ],
      tool_choice: { type: 'function', name: 'get_weather' },
      parallel_tool_calls: true,
      max_output_tokens: 256,
      temperature: 0.2,
      top_p: 0.9,
      reasoning: { effort: 'high', summary: 'auto' },
      stream: true,
    }),
  );
});

t.test('responses: minimal body, and effort none asks for no summary', async (t) => {
  const body = okOf(serializeResponsesBody({ messages: [{ role: 'user', content: 'Hi' }] }, 'gpt-5-nano', false));
  t.equal(JSON.stringify(body), '{"model":"gpt-5-nano","input":[{"role":"user","content":"Hi"}]}');
  const none = okOf(serializeResponsesBody({ messages: [{ role: 'user', content: 'Hi' }], reasoningEffort: 'none' }, 'gpt-5.1', false));
  t.same(none.reasoning, { effort: 'none' });
  const choice = okOf(serializeResponsesBody({ messages: [{ role: 'system', content: 's' }], toolChoice: 'required' }, 'm', false));
  t.same(choice, { model: 'm', input: [{ role: 'system', content: 's' }] }, 'no tool_choice without tools');
  const silent = okOf(serializeResponsesBody({ messages: [{ role: 'assistant', content: '' }] }, 'm', false));
  t.same(silent.input, [], 'an empty assistant turn adds no item');
});

t.test('responses: chat-only parameters are errors, not silently dropped', async (t) => {
  const base: ChatRequest = { messages: [{ role: 'user', content: 'x' }] };
  for (const [field, value] of [
    ['frequencyPenalty', 0.1],
    ['presencePenalty', 0.1],
    ['stop', ['x']],
    ['seed', 1],
  ] as const) {
    const error = errOf(serializeResponsesBody({ ...base, [field]: value }, 'gpt-5', true));
    t.equal(error.category, 'invalid_arg', field);
    t.equal(error.param, field);
    t.match(error.message, /Responses API does not support/);
    t.match(error.message, /api: "chat"/);
  }
});

t.test('extraBody is merged last, overrides, and can remove a field', async (t) => {
  const request: ChatRequest = {
    messages: [{ role: 'user', content: 'x' }],
    temperature: 1,
    extraBody: { temperature: 0, user: 'u-1', stream_options: undefined, store: false },
  };
  const chat = okOf(serializeChatBody(request, 'm', true));
  t.equal(JSON.stringify(chat), '{"model":"m","messages":[{"role":"user","content":"x"}],"temperature":0,"stream":true,"user":"u-1","store":false}');
  const responses = okOf(serializeResponsesBody(request, 'm', true));
  t.same(JSON.parse(JSON.stringify(responses)), {
    model: 'm',
    input: [{ role: 'user', content: 'x' }],
    temperature: 0,
    stream: true,
    user: 'u-1',
    store: false,
  });
});

t.test('request shape checks (both APIs)', async (t) => {
  for (const serialize of [serializeChatBody, serializeResponsesBody]) {
    t.match(errOf(serialize({ messages: [] }, 'm', true)), { category: 'invalid_arg', param: 'messages' });
    t.ok(serialize({ messages: [], system: 'only a system prompt' }, 'm', true).isOk(), 'a system prompt alone is allowed');
    const notArray = { messages: 'hi' } as unknown as ChatRequest;
    t.match(errOf(serialize(notArray, 'm', true)), { category: 'invalid_arg', message: /messages/ });
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      t.match(errOf(serialize({ messages: [{ role: 'user', content: 'x' }], maxOutputTokens: bad }, 'm', true)), {
        category: 'invalid_arg',
        param: 'maxOutputTokens',
      });
    }
    const unknownRole = { messages: [{ role: 'robot', content: 'beep' }] } as unknown as ChatRequest;
    t.match(errOf(serialize(unknownRole, 'm', true)), { category: 'invalid_arg', message: /messages\[0\] has an unknown role "robot"/ });
    const nullMessage = { messages: [null] } as unknown as ChatRequest;
    t.match(errOf(serialize(nullMessage, 'm', true)), { category: 'invalid_arg', message: /messages\[0\] is not a message object/ });
    const noRole = { messages: [{ content: 'x' }] } as unknown as ChatRequest;
    t.match(errOf(serialize(noRole, 'm', true)), { category: 'invalid_arg', message: /unknown role undefined/ });
  }
});
