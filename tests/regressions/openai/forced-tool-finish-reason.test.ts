import t from 'tap';
import { createChatStreamParser } from '../../../src/providers/openai/chat-stream-parser.js';
import { createResponsesStreamParser } from '../../../src/providers/openai/responses-stream-parser.js';
import { parseChatResponse } from '../../../src/providers/openai/response-parsers.js';
import type { SseEvent } from '../../../src/providers/adapter.js';
import type { StreamEvent } from '../../../src/providers/types.js';
import { okOf, runParser, sse } from '../../providers/openai/helpers.js';

/**
 * With a named tool_choice (`{"type":"function","function":{"name":...}}`), and often with
 * `"required"`, OpenAI Chat Completions returns the tool call with `finish_reason: "stop"`,
 * not "tool_calls" (vLLM copies this: "For a forced named function choice, the expected
 * finish reason is 'stop'"). chatFinishReason maps the raw string only, so llmux reports
 * `stop` for a response whose only content is a tool call. The Responses parser, for the
 * same request, derives `tool_use` from the calls it saw (completedFinishReason). A host
 * loop that runs tools on `finishReason === 'tool_use'` drops the forced call on Chat.
 * Fix: when the raw reason is `stop` and at least one tool call was assembled, report
 * `tool_use` (keep rawFinishReason "stop"), in both the stream and non-stream Chat parsers.
 */

function doneOf(events: readonly StreamEvent[]): Extract<StreamEvent, { type: 'done' }> | undefined {
  return events.find((e): e is Extract<StreamEvent, { type: 'done' }> => e.type === 'done');
}

const chunk = (choices: unknown[]): SseEvent =>
  sse(JSON.stringify({ id: 'chatcmpl-f', object: 'chat.completion.chunk', model: 'gpt-4o-mini-2024-07-18', choices }));

t.test('chat stream: forced tool call with finish_reason stop is tool_use', async (t) => {
  const r = runParser(createChatStreamParser({ model: 'gpt-4o-mini' }), [
    chunk([
      {
        index: 0,
        delta: {
          role: 'assistant',
          content: null,
          tool_calls: [{ index: 0, id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '' } }],
        },
        finish_reason: null,
      },
    ]),
    chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] }, finish_reason: null }]),
    chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
    sse('[DONE]'),
  ]);
  const response = okOf(r.result);
  t.equal(response.toolCalls.length, 1, 'the call was assembled');
  t.equal(doneOf(r.events)?.finishReason, 'tool_use', 'done event');
  t.equal(response.finishReason, 'tool_use', 'result');
});

t.test('chat non-stream: forced tool call with finish_reason stop is tool_use', async (t) => {
  const body = JSON.stringify({
    id: 'chatcmpl-f',
    object: 'chat.completion',
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 },
  });
  const response = okOf(parseChatResponse(body, { model: 'gpt-4o-mini' }));
  t.equal(response.toolCalls.length, 1);
  t.equal(response.finishReason, 'tool_use');
});

t.test('the Responses parser already says tool_use for the same situation (parity)', async (t) => {
  const ev = (o: Record<string, unknown>): SseEvent => sse(JSON.stringify(o), String(o.type));
  const item = { type: 'function_call', id: 'fc_1', call_id: 'call_abc', name: 'get_weather', arguments: '', status: 'in_progress' };
  const r = runParser(createResponsesStreamParser({ model: 'gpt-5' }), [
    ev({ type: 'response.created', response: { id: 'resp_1', model: 'gpt-5', status: 'in_progress', output: [] } }),
    ev({ type: 'response.output_item.added', output_index: 0, item }),
    ev({ type: 'response.output_item.done', output_index: 0, item: { ...item, arguments: '{"city":"Paris"}', status: 'completed' } }),
    ev({ type: 'response.completed', response: { id: 'resp_1', model: 'gpt-5', status: 'completed', output: [] } }),
  ]);
  t.equal(okOf(r.result).finishReason, 'tool_use');
});
