import t from 'tap';
import { serializeGeminiBody, deepMerge } from '../../../src/providers/gemini/serialize.js';
import type { ChatRequest } from '../../../src/providers/types.js';

const one: ChatRequest['messages'] = [{ role: 'user', content: 'x' }];

function body(request: ChatRequest, model = 'gemini-2.5-flash'): Record<string, unknown> {
  const result = serializeGeminiBody(request, model);
  if (result.isErr()) throw new Error(result.error.message);
  return result.value;
}

function error(request: ChatRequest): string {
  const result = serializeGeminiBody(request, 'gemini-2.5-flash');
  if (result.isOk()) throw new Error('expected an error');
  t.equal(result.error.category, 'invalid_arg');
  return result.error.message;
}

t.test('system text, roles, images', async (t) => {
  t.same(
    body({
      system: 'Be brief.',
      messages: [
        { role: 'developer', content: 'Use French.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Salut' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
            { type: 'image', url: 'https://example.com/cat.JPG?size=2' },
            { type: 'image', url: 'gs://bucket/thing' },
          ],
        },
      ],
    }),
    {
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Salut' }] },
        {
          role: 'user',
          parts: [
            { text: 'What is this?' },
            { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
            { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.JPG?size=2' } },
            { fileData: { fileUri: 'gs://bucket/thing' } },
          ],
        },
      ],
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Use French.' }] },
    },
  );
  t.match(error({ messages: [{ role: 'user', content: [{ type: 'image', url: 'file:///etc/passwd' }] }] }), /data: URL or an http\(s\) or gs:\/\/ URL/);
});

t.test('tool calls as functionCall parts, results as functionResponse parts of one user turn', async (t) => {
  const out = body({
    messages: [
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        toolCalls: [
          { id: 'gemini_call_r1_0', name: 'weather', arguments: '{"city":"Paris"}' },
          { id: 'fc-42', name: 'weather', arguments: '' },
        ],
      },
      { role: 'tool', toolCallId: 'gemini_call_r1_0', content: '{"temp":21}' },
      { role: 'tool', toolCallId: 'fc-42', content: 'sunny' },
      { role: 'user', content: 'Thanks' },
    ],
  });
  t.same(out.contents, [
    { role: 'user', parts: [{ text: 'Weather in Paris and Rome?' }] },
    {
      role: 'model',
      parts: [
        { functionCall: { name: 'weather', args: { city: 'Paris' } } },
        { functionCall: { id: 'fc-42', name: 'weather', args: {} } },
      ],
    },
    {
      role: 'user',
      parts: [
        { functionResponse: { name: 'weather', response: { temp: 21 } } },
        { functionResponse: { id: 'fc-42', name: 'weather', response: { output: 'sunny' } } },
      ],
    },
    { role: 'user', parts: [{ text: 'Thanks' }] },
  ], 'ids llmux made up are not sent; Gemini ids are');
  t.match(error({ messages: [{ role: 'tool', toolCallId: 'nope', content: 'x' }] }), /no earlier assistant message made that call/);
  t.match(error({ messages: [{ role: 'assistant', toolCalls: [{ id: 'a', name: 'f', arguments: '{bad' }] }] }), /not valid JSON/);
  t.match(error({ messages: [{ role: 'assistant', toolCalls: [{ id: 'a', name: 'f', arguments: '[1]' }] }] }), /must be a JSON object/);
  t.same(body({ messages: [{ role: 'assistant', content: '' }] }).contents, [], 'an empty assistant turn is dropped');
  t.match(error({ messages: [{ role: 'robot', content: 'x' } as never] }), /unknown role "robot"/);
  t.match(error({ messages: [{ role: 'user', content: [{ type: 'video' } as never] }] }), /unknown part type/);
  t.match(error({} as ChatRequest), /messages/);
});

t.test('tools, tool choice, generation config, thinking', async (t) => {
  const tools = [{ name: 'weather', description: 'Get weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];
  const out = body({
    messages: [{ role: 'user', content: 'x' }],
    tools,
    toolChoice: { name: 'weather' },
    maxOutputTokens: 100,
    temperature: 0,
    topP: 0.9,
    stop: ['END'],
    seed: 7,
    presencePenalty: 0.1,
    frequencyPenalty: 0.2,
    reasoningEffort: 'low',
    parallelToolCalls: false,
  });
  t.same(out.tools, [{ functionDeclarations: [{ name: 'weather', description: 'Get weather', parametersJsonSchema: tools[0]!.parameters }] }]);
  t.same(out.toolConfig, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] } });
  t.same(out.generationConfig, {
    maxOutputTokens: 100,
    temperature: 0,
    topP: 0.9,
    stopSequences: ['END'],
    seed: 7,
    presencePenalty: 0.1,
    frequencyPenalty: 0.2,
    thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
  });
  const modes = (['auto', 'none', 'required'] as const).map(
    (toolChoice) => (body({ messages: one, tools, toolChoice }).toolConfig as { functionCallingConfig: unknown }).functionCallingConfig,
  );
  t.same(modes, [{ mode: 'AUTO' }, { mode: 'NONE' }, { mode: 'ANY' }]);
  t.notOk('toolConfig' in body({ messages: one, toolChoice: 'required' }), 'no toolConfig without tools');
  t.notOk('generationConfig' in body({ messages: one }), 'no empty generationConfig');
  t.same(body({ messages: one, reasoningEffort: 'none' }).generationConfig, { thinkingConfig: { thinkingBudget: 0 } });
  t.same(body({ messages: one, reasoningEffort: 'high' }, 'gemini-3-pro-preview').generationConfig, { thinkingConfig: { thinkingLevel: 'HIGH', includeThoughts: true } });
});

t.test('extraBody merges into nested objects and wins', async (t) => {
  const out = body({
    messages: one,
    maxOutputTokens: 10,
    extraBody: { generationConfig: { responseMimeType: 'application/json', maxOutputTokens: 20 }, safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }] },
  });
  t.same(out.generationConfig, { maxOutputTokens: 20, responseMimeType: 'application/json' });
  t.same(out.safetySettings, [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }]);
  t.same(deepMerge({ a: [1, 2], b: { c: 1 } }, { a: [3], b: 'x' }), { a: [3], b: 'x' }, 'arrays and non-objects replace');
});

t.test('assistant blocks round-trip with their signatures', async (t) => {
  const out = body(
    {
      messages: [
        { role: 'user', content: 'Plan it.' },
        {
          role: 'assistant',
          blocks: [
            { type: 'thinking', text: 'Let me think.', signature: 'sig-think' },
            { type: 'thinking', text: 'no signature' },
            { type: 'text', text: 'Here is the plan.' },
            { type: 'text', text: '', signature: 'sig-empty' },
            { type: 'text', text: '' },
            { type: 'refusal', text: 'I cannot do part of it.' },
            { type: 'refusal', text: '' },
            { type: 'tool_call', id: 'gemini_call_r_0', name: 'f', arguments: '{"a":1}' },
            { type: 'tool_call', id: 'gemini_call_r_1', name: 'g', arguments: '{}' },
            { type: 'provider', provider: 'gemini', data: { executableCode: { language: 'PYTHON', code: 'print(1)' } } },
            { type: 'provider', provider: 'anthropic', data: { type: 'redacted_thinking', data: 'x' } },
            { type: 'provider', provider: 'gemini', data: 'not an object' },
          ],
        },
      ],
    },
    'gemini-3-pro-preview',
  );
  t.same((out.contents as unknown[])[1], {
    role: 'model',
    parts: [
      { text: 'Let me think.', thought: true, thoughtSignature: 'sig-think' },
      { text: 'no signature', thought: true },
      { text: 'Here is the plan.' },
      { text: '', thoughtSignature: 'sig-empty' },
      { text: 'I cannot do part of it.' },
      { functionCall: { name: 'f', args: { a: 1 } }, thoughtSignature: 'skip_thought_signature_validator' },
      { functionCall: { name: 'g', args: {} } },
      { executableCode: { language: 'PYTHON', code: 'print(1)' } },
    ],
  }, 'Gemini 3 gets the documented skip value on the first unsigned call; other providers\' blocks stay home');
  const older = body({ messages: [{ role: 'assistant', toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }] }] });
  t.same((older.contents as { parts: unknown[] }[])[0]!.parts, [{ functionCall: { id: 'c1', name: 'f', args: {} } }], 'Gemini 2.5 gets no skip value');
});

t.test('inline images and documents', async (t) => {
  const out = body({
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image', data: 'AAAA', mediaType: 'image/webp' },
          { type: 'document', data: 'JVBERi0=', mediaType: 'application/pdf' },
          { type: 'document', url: 'https://example.com/paper.pdf' },
          { type: 'document', url: 'https://example.com/paper' },
        ],
      },
    ],
  });
  t.same((out.contents as { parts: unknown[] }[])[0]!.parts, [
    { inlineData: { mimeType: 'image/webp', data: 'AAAA' } },
    { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
    { fileData: { mimeType: 'application/pdf', fileUri: 'https://example.com/paper.pdf' } },
    { fileData: { fileUri: 'https://example.com/paper' } },
  ]);
  t.match(error({ messages: [{ role: 'user', content: [{ type: 'document', url: 'ftp://x/y.pdf' }] }] }), /data: URL or an http\(s\) or gs:\/\/ URL/);
});
