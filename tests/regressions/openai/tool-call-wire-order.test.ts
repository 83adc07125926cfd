import t from 'tap';
import { createChatStreamParser } from '../../../src/providers/openai/chat-stream-parser.js';
import { createResponsesStreamParser } from '../../../src/providers/openai/responses-stream-parser.js';
import type { StreamEvent } from '../../../src/providers/types.js';
import { eventLog, okOf, randomSplit, runBytes, splitEvery } from '../../providers/openai/helpers.js';

/**
 * Issue 9, item 6 (found by a differential run against the official `openai` SDK):
 * - Chat tool calls were ordered and indexed by first appearance, not by their wire `index`:
 *   chunk 1 `tool_calls[{index:1,id:"call_B"}]`, chunk 2 `tool_calls[{index:0,id:"call_A"}]`
 *   gave [call_B, call_A]; the SDK gives [call_A, call_B].
 * - A Chat chunk under an SSE `event: error` name failed the stream although its payload was
 *   a normal chunk (the SDK ignores event names in Chat).
 * - A Responses call whose arguments came only in `output_item.done` had no delta, so a user
 *   joining the deltas got "" while `tool_call_done` said the arguments.
 */
const chunk = (calls: unknown[], finish: string | null = null): string =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model: 'gpt-test', choices: [{ index: 0, delta: { tool_calls: calls }, finish_reason: finish }] })}\n\n`;
const call = (index: number, id: string, name: string, args: string): unknown => ({
  index,
  id,
  type: 'function',
  function: { name, arguments: args },
});
const more = (index: number, args: string): unknown => ({ index, function: { arguments: args } });

/** Every chunking of the same bytes: whole, every byte, and seeded random pieces. */
function chunkings(body: string): Array<[string, Uint8Array[]]> {
  const bytes = Buffer.from(body, 'utf8');
  const out: Array<[string, Uint8Array[]]> = [
    ['whole', [bytes]],
    ['every byte', splitEvery(bytes, 1)],
  ];
  for (let seed = 1; seed <= 20; seed++) out.push([`random seed ${seed}`, randomSplit(bytes, seed, 17)]);
  return out;
}

function toolIndices(events: readonly StreamEvent[], type: 'tool_call_start' | 'tool_call_done'): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (const e of events) if (e.type === type) out.push([e.index, e.id]);
  return out;
}

t.test('Chat: calls interleaved as index 1 then 0 come out [call_A, call_B], with wire indices', async (t) => {
  const body =
    chunk([call(1, 'call_B', 'beta', '{"b":')]) +
    chunk([call(0, 'call_A', 'alpha', '{"a":')]) +
    chunk([more(1, '2}')]) +
    chunk([more(0, '1}')]) +
    chunk([], 'tool_calls') +
    'data: [DONE]\n\n';
  for (const [name, pieces] of chunkings(body)) {
    const run = runBytes(() => createChatStreamParser({ model: 'gpt-test' }), pieces);
    const response = okOf(run.result);
    t.same(
      response.toolCalls,
      [
        { id: 'call_A', name: 'alpha', arguments: '{"a":1}' },
        { id: 'call_B', name: 'beta', arguments: '{"b":2}' },
      ],
      `${name}: toolCalls in index order`,
    );
    t.same(toolIndices(run.events, 'tool_call_start'), [[1, 'call_B'], [0, 'call_A']], `${name}: start events carry the wire index`);
    t.same(toolIndices(run.events, 'tool_call_done'), [[0, 'call_A'], [1, 'call_B']], `${name}: done events in index order`);
    t.same(
      response.content.map((block) => (block.type === 'tool_call' ? block.id : block.type)),
      ['call_A', 'call_B'],
      `${name}: content blocks in index order`,
    );
  }
});

t.test('Chat: three calls arriving 2, 0, 1 come out 0, 1, 2', async (t) => {
  const body =
    chunk([call(2, 'call_C', 'gamma', '{}')]) +
    chunk([call(0, 'call_A', 'alpha', '{"x":')]) +
    chunk([call(1, 'call_B', 'beta', '[]')]) +
    chunk([more(0, '0}')]) +
    chunk([], 'tool_calls') +
    'data: [DONE]\n\n';
  for (const [name, pieces] of chunkings(body)) {
    const run = runBytes(() => createChatStreamParser({ model: 'gpt-test' }), pieces);
    t.same(
      okOf(run.result).toolCalls.map((c) => [c.id, c.arguments]),
      [
        ['call_A', '{"x":0}'],
        ['call_B', '[]'],
        ['call_C', '{}'],
      ],
      `${name}: toolCalls`,
    );
    t.same(toolIndices(run.events, 'tool_call_done'), [[0, 'call_A'], [1, 'call_B'], [2, 'call_C']], `${name}: done indices`);
  }
});

t.test('Chat: a normal chunk under `event: error` is a chunk; the payload decides', async (t) => {
  const normal = `event: error\n${chunk([call(0, 'call_A', 'alpha', '{}')], 'tool_calls')}data: [DONE]\n\n`;
  const run = runBytes(() => createChatStreamParser({ model: 'gpt-test' }), [Buffer.from(normal)]);
  t.equal(run.error, undefined);
  t.same(okOf(run.result).toolCalls, [{ id: 'call_A', name: 'alpha', arguments: '{}' }]);
  t.notOk(run.events.some((e) => e.type === 'error'), 'no error event');
  const text = `event: error\ndata: ${JSON.stringify({ id: 'c1', model: 'gpt-test', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`;
  t.equal(okOf(runBytes(() => createChatStreamParser({ model: 'gpt-test' }), [Buffer.from(text)]).result).text, 'hi');
});

const ev = (payload: Record<string, unknown>): string => `event: ${String(payload.type)}\ndata: ${JSON.stringify(payload)}\n\n`;
const created = ev({ type: 'response.created', response: { id: 'resp_1', model: 'gpt-test' } });
const completed = ev({ type: 'response.completed', response: { id: 'resp_1', model: 'gpt-test', status: 'completed' } });
const fnItem = (args?: string): Record<string, unknown> => ({
  type: 'function_call',
  id: 'fc_1',
  call_id: 'call_a',
  name: 'alpha',
  ...(args === undefined ? {} : { arguments: args }),
});

function joinedDeltas(events: readonly StreamEvent[], index: number): string {
  return events
    .filter((e): e is Extract<StreamEvent, { type: 'tool_call_delta' }> => e.type === 'tool_call_delta' && e.index === index)
    .map((e) => e.arguments)
    .join('');
}

function doneArguments(events: readonly StreamEvent[], index: number): string | undefined {
  const done = events.find((e): e is Extract<StreamEvent, { type: 'tool_call_done' }> => e.type === 'tool_call_done' && e.index === index);
  return done?.arguments;
}

t.test('Responses: arguments only in output_item.done still reach the deltas', async (t) => {
  const body =
    created +
    ev({ type: 'response.output_item.added', output_index: 0, item: fnItem('') }) +
    ev({ type: 'response.output_item.done', output_index: 0, item: fnItem('{"city":"Paris"}') }) +
    completed;
  for (const [name, pieces] of chunkings(body)) {
    const run = runBytes(() => createResponsesStreamParser({ model: 'gpt-test' }), pieces);
    t.equal(doneArguments(run.events, 0), '{"city":"Paris"}', `${name}: done`);
    t.equal(joinedDeltas(run.events, 0), '{"city":"Paris"}', `${name}: joined deltas equal done`);
  }
});

t.test('Responses: whole arguments that extend the deltas send the missing tail', async (t) => {
  const body =
    created +
    ev({ type: 'response.output_item.added', output_index: 0, item: fnItem() }) +
    ev({ type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_1', delta: '{"a":' }) +
    ev({ type: 'response.function_call_arguments.done', output_index: 0, item_id: 'fc_1', arguments: '{"a":1}' }) +
    completed;
  const run = runBytes(() => createResponsesStreamParser({ model: 'gpt-test' }), [Buffer.from(body)]);
  t.same(eventLog(run.events).slice(1, 5), [
    'tool_start[0] call_a alpha',
    'tool_delta[0] "{\\"a\\":"',
    'tool_delta[0] "1}"',
    'tool_done[0] call_a alpha {"a":1}',
  ]);
});

t.test('Responses: whole arguments that contradict the deltas win in tool_call_done and the result', async (t) => {
  const body =
    created +
    ev({ type: 'response.output_item.added', output_index: 0, item: fnItem() }) +
    ev({ type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_1', delta: '{"a":1}' }) +
    ev({ type: 'response.output_item.done', output_index: 0, item: fnItem('{"a": 1}') }) +
    completed;
  const run = runBytes(() => createResponsesStreamParser({ model: 'gpt-test' }), [Buffer.from(body)]);
  t.equal(doneArguments(run.events, 0), '{"a": 1}');
  t.equal(joinedDeltas(run.events, 0), '{"a":1}', 'what was sent cannot be taken back');
  t.same(okOf(run.result).toolCalls, [{ id: 'call_a', name: 'alpha', arguments: '{"a": 1}' }]);
});

t.test('Responses: calls are listed by output_index', async (t) => {
  const item = (id: string, callId: string): Record<string, unknown> => ({ type: 'function_call', id, call_id: callId, name: 'f', arguments: '{}' });
  const body =
    created +
    ev({ type: 'response.output_item.added', output_index: 3, item: item('fc_3', 'call_late') }) +
    ev({ type: 'response.output_item.added', output_index: 1, item: item('fc_1', 'call_early') }) +
    completed;
  const run = runBytes(() => createResponsesStreamParser({ model: 'gpt-test' }), [Buffer.from(body)]);
  t.same(okOf(run.result).toolCalls.map((c) => c.id), ['call_early', 'call_late']);
});
