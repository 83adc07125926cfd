import t from 'tap';
import { serializeAnthropicBody } from '../../../src/providers/anthropic/serialize.js';
import type { ChatRequest, Message } from '../../../src/providers/types.js';
import { errOf, okOf } from '../openai/helpers.js';

const user = (content: string): Message => ({ role: 'user', content });
const body = (request: ChatRequest, model = 'claude-sonnet-4-5', stream = false) => okOf(serializeAnthropicBody(request, model, stream));
const failure = (request: ChatRequest, model = 'claude-sonnet-4-5') => errOf(serializeAnthropicBody(request, model, false));

t.test('the minimal body: model, the default max_tokens, the message as a string', async (t) => {
  t.same(body({ messages: [user('Hi')] }), { model: 'claude-sonnet-4-5', max_tokens: 8192, messages: [{ role: 'user', content: 'Hi' }] });
  t.equal(body({ messages: [user('Hi')] }, 'claude-3-haiku-20240307').max_tokens, 4096);
  t.equal(body({ messages: [user('Hi')] }, 'my-proxy-model').max_tokens, 4096);
  t.same(body({ messages: [user('Hi')] }, 'claude-sonnet-4-5', true).stream, true);
});

t.test('sampling fields, stop sequences and extraBody last', async (t) => {
  const wire = body({ messages: [user('Hi')], maxOutputTokens: 100, temperature: 0.2, topP: 0.9, stop: ['END'], extraBody: { top_k: 5, temperature: 1 } });
  t.same(wire, { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }], temperature: 1, top_p: 0.9, stop_sequences: ['END'], top_k: 5 });
  t.notOk('stop_sequences' in body({ messages: [user('Hi')], stop: [] }));
});

t.test('fields Anthropic does not accept are errors, never dropped', async (t) => {
  for (const [field, value] of [['seed', 1], ['frequencyPenalty', 0.5], ['presencePenalty', 0.5]] as const) {
    const error = failure({ messages: [user('Hi')], [field]: value });
    t.equal(error.category, 'invalid_arg');
    t.equal(error.param, field);
  }
  t.equal(failure({ messages: [user('Hi')], maxOutputTokens: 0 }).param, 'maxOutputTokens');
  t.equal(failure({ messages: [user('Hi')], maxOutputTokens: 1.5 }).param, 'maxOutputTokens');
});

t.test('system: a string, leading system messages joined as blocks, a late one refused', async (t) => {
  t.equal(body({ system: 'Be brief.', messages: [user('Hi')] }).system, 'Be brief.');
  t.same(body({ system: 'A', messages: [{ role: 'system', content: 'B' }, { role: 'developer', content: 'C' }, user('Hi')] }).system, [
    { type: 'text', text: 'A' },
    { type: 'text', text: 'B' },
    { type: 'text', text: 'C' },
  ]);
  t.same(body({ system: 'Manual', messages: [user('Hi')], cache: { system: {} } }).system, [{ type: 'text', text: 'Manual', cache_control: { type: 'ephemeral' } }]);
  t.match(failure({ messages: [user('Hi'), { role: 'system', content: 'late' }] }).message, /messages\[1\].*system/);
  t.match(failure({ system: 'only', messages: [] }).message, /no user or assistant messages/);
  t.equal(failure({ messages: 'nope' as unknown as Message[] }).param, 'messages');
});

t.test('user parts: text, images, documents, with cache breakpoints', async (t) => {
  const wire = body({
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look', cache: { ttl: '1h' } },
          { type: 'image', url: 'https://example.com/cat.png', detail: 'high' },
          { type: 'image', url: 'data:image/png;base64,iVBORw0=' },
          { type: 'image', data: 'R0lGOD', mediaType: 'image/gif' },
          { type: 'document', data: 'JVBERi0=', mediaType: 'application/pdf', name: 'spec.pdf', cache: {} },
          { type: 'document', url: 'https://example.com/a.pdf' },
          { type: 'document', url: 'data:text/plain,hello%20world' },
          { type: 'document', data: Buffer.from('plain text').toString('base64'), mediaType: 'text/plain' },
        ],
      },
    ],
  });
  t.same((wire.messages as { content: unknown[] }[])[0]?.content, [
    { type: 'text', text: 'Look', cache_control: { type: 'ephemeral', ttl: '1h' } },
    { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
    { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0=' } },
    { type: 'image', source: { type: 'base64', media_type: 'image/gif', data: 'R0lGOD' } },
    { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, title: 'spec.pdf', cache_control: { type: 'ephemeral' } },
    { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } },
    { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'hello world' } },
    { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain text' } },
  ]);
});

t.test('bad parts are errors that name the part', async (t) => {
  const bad = (part: unknown) => failure({ messages: [{ role: 'user', content: [part] } as Message] }).message;
  t.match(bad({ type: 'image', url: 'ftp://x/y.png' }), /messages\[0\]\.content\[0\].*http/);
  t.match(bad({ type: 'image', url: 'data:image/png,raw' }), /base64/);
  t.match(bad({ type: 'image', url: 'data:,hello' }), /image media type/);
  t.match(bad({ type: 'audio' }), /unknown content part type "audio"/);
  t.match(failure({ messages: [{ role: 'user', content: 5 } as unknown as Message] }).message, /string or an array/);
});

t.test('tool turns: tool_use from assistant calls, tool_result (with is_error) merged into one user turn', async (t) => {
  const wire = body({
    messages: [
      user('Weather and time?'),
      { role: 'assistant', content: 'Checking.', toolCalls: [{ id: 'a', name: 'weather', arguments: '{"city":"Paris"}' }, { id: 'b', name: 'refresh', arguments: '' }] },
      { role: 'tool', toolCallId: 'a', content: '18°C' },
      { role: 'tool', toolCallId: 'b', content: 'failed', isError: true, cache: {} },
      user('Thanks'),
    ],
  });
  t.same(wire.messages, [
    { role: 'user', content: 'Weather and time?' },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'a', name: 'weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'b', name: 'refresh', input: {} },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'a', content: '18°C' },
        { type: 'tool_result', tool_use_id: 'b', content: 'failed', is_error: true, cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Thanks' },
      ],
    },
  ]);
  t.match(failure({ messages: [user('x'), { role: 'assistant', toolCalls: [{ id: 'a', name: 'n', arguments: '[1]' }] }] }).message, /tool call a are not a JSON object/);
  t.match(failure({ messages: [user('x'), { role: 'assistant', toolCalls: [{ id: 'a', name: 'n', arguments: '{' }] }] }).message, /not a JSON object/);
  t.match(failure({ messages: [user('x'), { role: 'assistant' }] }).message, /needs content or tool calls/);
  t.match(failure({ messages: [{ role: 'robot', content: 'x' } as unknown as Message] }).message, /unknown role "robot"/);
  t.match(failure({ messages: [null as unknown as Message] }).message, /not a message object/);
});

t.test('cache.messages puts a breakpoint on the last block of the conversation', async (t) => {
  const wire = body({ messages: [user('one'), { role: 'assistant', content: 'two' }, user('three')], cache: { messages: { ttl: '5m' } } });
  t.same((wire.messages as unknown[])[2], { role: 'user', content: [{ type: 'text', text: 'three', cache_control: { type: 'ephemeral', ttl: '5m' } }] });
});

t.test('tools and tool choice', async (t) => {
  const tools = [
    { name: 'a', description: 'A tool', parameters: { type: 'object' }, strict: true },
    { name: 'b', parameters: { type: 'object' }, cache: { ttl: '1h' as const } },
  ];
  t.same(body({ messages: [user('x')], tools, cache: { tools: {} } }).tools, [
    { name: 'a', description: 'A tool', input_schema: { type: 'object' }, strict: true },
    { name: 'b', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } },
  ]);
  t.notOk('tools' in body({ messages: [user('x')], tools: [] }));
  const choice = (request: Partial<ChatRequest>) => body({ messages: [user('x')], ...request }).tool_choice;
  t.same(choice({ toolChoice: 'auto' }), { type: 'auto' });
  t.same(choice({ toolChoice: 'none' }), { type: 'none' });
  t.same(choice({ toolChoice: 'required' }), { type: 'any' });
  t.same(choice({ toolChoice: { name: 'a' } }), { type: 'tool', name: 'a' });
  t.same(choice({ parallelToolCalls: false }), { type: 'auto', disable_parallel_tool_use: true });
  t.same(choice({ toolChoice: 'required', parallelToolCalls: false }), { type: 'any', disable_parallel_tool_use: true });
  t.same(choice({ toolChoice: { name: 'a' }, parallelToolCalls: false }), { type: 'tool', name: 'a', disable_parallel_tool_use: true });
  t.same(choice({ toolChoice: 'none', parallelToolCalls: false }), { type: 'none' });
  t.equal(choice({ parallelToolCalls: true }), undefined);
  t.equal(failure({ messages: [user('x')], toolChoice: 'sometimes' as 'auto' }).param, 'toolChoice');
});

t.test('thinking: an explicit budget adds to max_tokens', async (t) => {
  const wire = body({ messages: [user('x')], thinkingBudget: 2048, maxOutputTokens: 1024 });
  t.same(wire.thinking, { type: 'enabled', budget_tokens: 2048 });
  t.equal(wire.max_tokens, 3072);
  t.notOk('thinking' in body({ messages: [user('x')], thinkingBudget: 0, reasoningEffort: 'high' }), '0 turns it off');
  t.equal(failure({ messages: [user('x')], thinkingBudget: 500 }).param, 'thinkingBudget');
  t.equal(failure({ messages: [user('x')], thinkingBudget: 2000.5 }).param, 'thinkingBudget');
});

t.test('thinking: over the model limit the budget shrinks first, and stays under max_tokens', async (t) => {
  const wire = body({ messages: [user('x')], thinkingBudget: 60_000, maxOutputTokens: 10_000 });
  t.equal(wire.max_tokens, 64_000);
  t.same(wire.thinking, { type: 'enabled', budget_tokens: 54_000 });
  const tight = body({ messages: [user('x')], thinkingBudget: 4096, maxOutputTokens: 63_900 });
  t.equal(tight.max_tokens, 64_000);
  t.same(tight.thinking, { type: 'enabled', budget_tokens: 1024 });
});

t.test('reasoningEffort: a fixed budget, or adaptive thinking where the model has it', async (t) => {
  const fixed = body({ messages: [user('x')], reasoningEffort: 'medium' }, 'claude-sonnet-4-5');
  t.same(fixed.thinking, { type: 'enabled', budget_tokens: 8192 });
  t.equal(fixed.max_tokens, 16_384);
  t.notOk('output_config' in fixed);
  const adaptive = body({ messages: [user('x')], reasoningEffort: 'minimal' }, 'claude-opus-4-6');
  t.same(adaptive.thinking, { type: 'adaptive' });
  t.same(adaptive.output_config, { effort: 'low' });
  t.equal(adaptive.max_tokens, 8192);
  t.notOk('thinking' in body({ messages: [user('x')], reasoningEffort: 'none' }));
  const explicit = body({ messages: [user('x')], thinkingBudget: 'adaptive', reasoningEffort: 'high' });
  t.same([explicit.thinking, explicit.output_config], [{ type: 'adaptive' }, { effort: 'high' }]);
  t.notOk('output_config' in body({ messages: [user('x')], thinkingBudget: 'adaptive' }));
});

t.test('a previous response goes back unchanged: signed thinking, provider blocks, citations, tool calls', async (t) => {
  const blocks = [
    { type: 'thinking', text: 'Let me think.', signature: 'sig-1' },
    { type: 'thinking', text: 'no signature: from another provider' },
    { type: 'provider', provider: 'anthropic', data: { type: 'redacted_thinking', data: 'blob' } },
    { type: 'provider', provider: 'gemini', data: { thoughtSignature: 'x' } },
    { type: 'provider', provider: 'anthropic', data: 'not an object' },
    { type: 'text', text: 'Cited.', citations: [{ type: 'char_location', cited_text: 'c' }] },
    { type: 'text', text: '' },
    { type: 'refusal', text: 'no' },
    { type: 'tool_call', id: 't1', name: 'f', arguments: '{"a":1}' },
  ] as const;
  const wire = body({ messages: [user('Q'), { role: 'assistant', blocks }, { role: 'tool', toolCallId: 't1', content: 'ok' }] });
  t.same((wire.messages as unknown[])[1], {
    role: 'assistant',
    content: [
      { type: 'thinking', thinking: 'Let me think.', signature: 'sig-1' },
      { type: 'redacted_thinking', data: 'blob' },
      { type: 'text', text: 'Cited.', citations: [{ type: 'char_location', cited_text: 'c' }] },
      { type: 'tool_use', id: 't1', name: 'f', input: { a: 1 } },
    ],
  });
  t.match(failure({ messages: [user('Q'), { role: 'assistant', blocks: [{ type: 'tool_call', id: 't', name: 'f', arguments: 'nope' }] }] }).message, /not a JSON object/);
  t.match(failure({ messages: [user('Q'), { role: 'assistant', blocks: [{ type: 'refusal', text: 'x' }] }] }).message, /needs content or tool calls/);
});

t.test('the model table: snapshots match their alias, unknown names get the fallback', async (t) => {
  const { modelInfo } = await import('../../../src/providers/anthropic/models.js');
  t.equal(modelInfo('claude-sonnet-4-5-20250929').id, 'claude-sonnet-4-5');
  t.equal(modelInfo('claude-opus-4-20250514').adaptive, undefined);
  t.equal(modelInfo('claude-opus-4-7').adaptive, true);
  t.equal(modelInfo('CLAUDE-HAIKU-4-5').id, 'claude-haiku-4-5');
  t.equal(modelInfo('llama3').defaultMaxTokens, 4096);
  t.match(modelInfo('claude-3-haiku-20240307').note, /Deprecated/);
});
