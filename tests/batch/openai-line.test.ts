import t from 'tap';
import { openAIBatchRequest } from '../../src/batch/openai-line.js';

const chat = (body: unknown) => ({ custom_id: 'x', method: 'POST', url: '/v1/chat/completions', body });
const responses = (body: unknown) => ({ custom_id: 'x', url: '/v1/responses', body });

t.test('OpenAI Batch lines that cannot be mapped say why', async (t) => {
  const cases: [unknown, RegExp][] = [
    [{ url: '/v1/chat/completions', body: 3 }, /body must be a JSON object/],
    [chat({ messages: 'hi' }), /body.messages must be an array/],
    [chat({ messages: [3] }), /body.messages\[0\] must be an object/],
    [chat({ messages: [{ role: 'system', content: 4 }] }), /body.messages\[0\].content must be text/],
    [chat({ messages: [{ role: 'user', content: 4 }] }), /must be a string or an array of parts/],
    [chat({ messages: [{ role: 'user', content: [{ type: 'audio' }] }] }), /a part llmux cannot map/],
    [chat({ messages: [{ role: 'user', content: [3] }] }), /a part llmux cannot map/],
    [chat({ messages: [{ role: 'tool', content: 'x' }] }), /needs tool_call_id and text content/],
    [chat({ messages: [{ role: 'robot', content: 'x' }] }), /role must be system, developer, user, assistant or tool/],
    [chat({ messages: [], tools: {} }), /body.tools must be an array/],
    [chat({ messages: [], tools: [{ type: 'web' }] }), /body.tools\[0\] must be a function tool with a name/],
    [responses({ input: 3 }), /body.input must be a string or an array/],
    [responses({ input: [{ role: 'robot' }] }), /body.input\[0\].role/],
    [responses({ input: 'x', tools: [{ type: 'function' }] }), /body.tools\[0\]/],
  ];
  for (const [line, message] of cases) t.match(openAIBatchRequest(line as Record<string, unknown>)._unsafeUnwrapErr(), message, JSON.stringify(line));
});

t.test('the shapes OpenAI accepts map to their neutral fields', async (t) => {
  const mapped = openAIBatchRequest(
    chat({
      messages: [
        { role: 'developer', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
        { role: 'user', content: 'q' },
        { role: 'system', content: 'late system' },
        { role: 'assistant', content: [{ type: 'text', text: 'earlier' }] },
        { role: 'tool', tool_call_id: 'c', content: [{ type: 'text', text: 'r' }] },
      ],
      max_completion_tokens: 5,
      top_p: 0.5,
      frequency_penalty: 0.1,
      presence_penalty: 0.2,
      parallel_tool_calls: false,
      stop: ['x', 'y'],
      reasoning_effort: 'high',
      tool_choice: 'required',
      tools: [{ type: 'function', function: { name: 'f', description: 'd', strict: true } }],
      response_format: { type: 'json_schema', json_schema: { name: 'n', schema: { type: 'object' }, strict: true, description: 'desc' } },
      stream: true,
    }),
  )._unsafeUnwrap();
  t.same(mapped, {
    messages: [
      { role: 'developer', content: 'ab' },
      { role: 'user', content: 'q' },
      { role: 'system', content: 'late system' },
      { role: 'assistant', content: 'earlier' },
      { role: 'tool', toolCallId: 'c', content: 'r' },
    ],
    topP: 0.5,
    parallelToolCalls: false,
    toolChoice: 'required',
    tools: [{ name: 'f', parameters: { type: 'object', properties: {} }, description: 'd', strict: true }],
    api: 'chat',
    maxOutputTokens: 5,
    frequencyPenalty: 0.1,
    presencePenalty: 0.2,
    stop: ['x', 'y'],
    reasoningEffort: 'high',
    responseFormat: { type: 'json_schema', name: 'n', schema: { type: 'object' }, description: 'desc', strict: true },
  });
  const responsesLine = openAIBatchRequest(
    responses({
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'see' }, { type: 'input_image', image_url: 'https://x/i.png' }] }],
      tools: [{ type: 'function', name: 'g', parameters: { type: 'object' } }],
      tool_choice: { type: 'function', name: 'g' },
      text: { format: { type: 'json_object' } },
      metadata: { run: 1 },
    }),
  )._unsafeUnwrap();
  t.same(responsesLine, {
    messages: [{ role: 'user', content: [{ type: 'text', text: 'see' }, { type: 'image', url: 'https://x/i.png' }] }],
    toolChoice: { name: 'g' },
    tools: [{ name: 'g', parameters: { type: 'object' } }],
    api: 'responses',
    responseFormat: { type: 'json' },
    extraBody: { metadata: { run: 1 } },
  });
  const loose = openAIBatchRequest(chat({ messages: [], response_format: { type: 'text' }, tool_choice: { type: 'x' }, stop: [1] }))._unsafeUnwrap();
  t.same(loose, { messages: [], api: 'chat' }, 'values of unknown shape are not guessed at');
  t.same(openAIBatchRequest(responses({ input: 'x', text: { format: { type: 'json_schema', schema: 3 } } }))._unsafeUnwrap(), { messages: [{ role: 'user', content: 'x' }], api: 'responses' });
  t.same(openAIBatchRequest(chat({ messages: [], response_format: { type: 'json_schema', json_schema: { schema: { type: 'object' } } } }))._unsafeUnwrap().responseFormat, { type: 'json_schema', name: 'response', schema: { type: 'object' } });
});
