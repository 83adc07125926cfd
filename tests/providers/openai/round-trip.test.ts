import t from 'tap';
import { serializeChatBody } from '../../../src/providers/openai/serialize-chat.js';
import { serializeResponsesBody } from '../../../src/providers/openai/serialize-responses.js';
import type { ChatRequest, ContentBlock } from '../../../src/providers/types.js';
import { errOf, okOf } from './helpers.js';

/** A previous response's content, with what OpenAI cannot take back mixed in. */
const previous: readonly ContentBlock[] = [
  { type: 'thinking', text: 'Let me look.', signature: 'sig-thinking' },
  { type: 'provider', provider: 'anthropic', data: { type: 'redacted_thinking', data: 'opaque' } },
  { type: 'text', text: 'Checking ' },
  { type: 'refusal', text: 'not this part' },
  { type: 'text', text: 'the weather.' },
  { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', signature: 'sig-call' },
];

const request: ChatRequest = {
  messages: [
    { role: 'user', content: 'Weather?' },
    { role: 'assistant', content: 'ignored when blocks are given', blocks: previous },
    { role: 'tool', toolCallId: 'call_1', content: '18 C' },
  ],
};

t.test('chat: an assistant turn from blocks sends its text and tool calls, and drops the rest', async (t) => {
  const body = okOf(serializeChatBody(request, 'gpt-test', false));
  t.same((body.messages as unknown[])[1], {
    role: 'assistant',
    content: 'Checking the weather.',
    tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
  });
  const onlyThinking = okOf(
    serializeChatBody({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', blocks: [previous[0] as ContentBlock] }] }, 'm', false),
  );
  t.same((onlyThinking.messages as unknown[])[1], { role: 'assistant', content: '' });
});

t.test('responses: the same turn becomes a message item and a function_call item', async (t) => {
  const body = okOf(serializeResponsesBody(request, 'gpt-test', false));
  t.same((body.input as unknown[]).slice(1, 3), [
    { role: 'assistant', content: [{ type: 'output_text', text: 'Checking the weather.' }] },
    { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
  ]);
});

const parts: ChatRequest = {
  messages: [
    {
      role: 'user',
      content: [
        { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png', detail: 'high' },
        { type: 'document', data: 'JVBERi0=', mediaType: 'application/pdf', name: 'report.pdf' },
        { type: 'document', data: 'JVBERi0=', mediaType: 'application/pdf' },
      ],
    },
  ],
};

t.test('inline image data and documents', async (t) => {
  const chat = okOf(serializeChatBody(parts, 'm', false));
  t.same((chat.messages as Array<{ content: unknown }>)[0]?.content, [
    { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
    { type: 'file', file: { filename: 'report.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
    { type: 'file', file: { filename: 'document', file_data: 'data:application/pdf;base64,JVBERi0=' } },
  ]);
  const responses = okOf(serializeResponsesBody(parts, 'm', false));
  t.same((responses.input as Array<{ content: unknown }>)[0]?.content, [
    { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' },
    { type: 'input_file', filename: 'report.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' },
    { type: 'input_file', filename: 'document', file_data: 'data:application/pdf;base64,JVBERi0=' },
  ]);
  const byUrl: ChatRequest = { messages: [{ role: 'user', content: [{ type: 'document', url: 'https://example.com/a.pdf' }] }] };
  t.same((okOf(serializeResponsesBody(byUrl, 'm', false)).input as Array<{ content: unknown }>)[0]?.content, [
    { type: 'input_file', file_url: 'https://example.com/a.pdf' },
  ]);
  t.match(errOf(serializeChatBody(byUrl, 'm', false)), { category: 'invalid_arg', message: /messages\[0\] has a document by URL/ });
  const odd = { messages: [{ role: 'user', content: [{ type: 'video' }] }] } as unknown as ChatRequest;
  t.match(errOf(serializeChatBody(odd, 'm', false)), { category: 'invalid_arg', message: /unknown type/ });
});
