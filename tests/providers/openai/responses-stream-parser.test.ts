import t from 'tap';
import { createResponsesStreamParser } from '../../../src/providers/openai/responses-stream-parser.js';
import type { SseEvent } from '../../../src/providers/adapter.js';
import { errOf, eventLog, okOf, runParser, sse, type ParserRun } from './helpers.js';

function ev(payload: Record<string, unknown>): SseEvent {
  return sse(JSON.stringify(payload), typeof payload.type === 'string' ? payload.type : undefined);
}

const response = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'resp_1',
  object: 'response',
  model: 'gpt-test',
  status: 'in_progress',
  output: [],
  usage: null,
  ...extra,
});
const created = ev({ type: 'response.created', response: response() });
const usage = { input_tokens: 5, output_tokens: 7, total_tokens: 12, input_tokens_details: { cached_tokens: 2 }, output_tokens_details: { reasoning_tokens: 3 } };
const completed = (extra: Record<string, unknown> = {}) =>
  ev({ type: 'response.completed', response: response({ status: 'completed', usage, ...extra }) });
const text = (delta: string, outputIndex = 0) => ev({ type: 'response.output_text.delta', output_index: outputIndex, content_index: 0, item_id: 'msg_1', delta });
const callAdded = (outputIndex: number, callId: string, name: string, args = '') =>
  ev({ type: 'response.output_item.added', output_index: outputIndex, item: { type: 'function_call', id: `fc_${outputIndex}`, call_id: callId, name, arguments: args } });
const argsDelta = (outputIndex: number, delta: string) =>
  ev({ type: 'response.function_call_arguments.delta', output_index: outputIndex, item_id: `fc_${outputIndex}`, delta });

function run(events: readonly SseEvent[]): ParserRun {
  return runParser(createResponsesStreamParser({ model: 'requested-model' }), events);
}

const USAGE_LOG = '{"input":5,"output":7,"thinking":3,"cached":2,"cacheWrite":null,"total":12}';

t.test('text, refusal and both kinds of reasoning', async (t) => {
  const r = run([
    created,
    ev({ type: 'response.in_progress', response: response() }),
    ev({ type: 'response.reasoning_summary_text.delta', output_index: 0, summary_index: 0, delta: 'sum' }),
    ev({ type: 'response.reasoning_text.delta', output_index: 0, content_index: 0, delta: 'raw' }),
    text('Hello', 1),
    text('', 1),
    ev({ type: 'response.refusal.delta', output_index: 2, content_index: 0, delta: 'Nope' }),
    ev({ type: 'response.output_text.done', output_index: 1, content_index: 0, text: 'Hello' }),
    completed(),
  ]);
  t.same(eventLog(r.events), [
    'start gpt-test resp_1',
    'thinking[0] "sum"',
    'thinking[0] "raw"',
    'text[0] "Hello"',
    'text[0] "Nope"',
    `done stop ${USAGE_LOG}`,
  ]);
  const result = okOf(r.result);
  t.same(result.content, [
    { type: 'thinking', text: 'sum' },
    { type: 'thinking', text: 'raw' },
    { type: 'text', text: 'Hello' },
    { type: 'refusal', text: 'Nope' },
  ]);
  t.equal(result.text, 'Hello');
  t.equal(result.rawFinishReason, 'completed');
});

t.test('two message items make two text blocks; text joins them as streamed', async (t) => {
  const r = run([created, text('One.', 0), text('Two.', 2), completed()]);
  t.same(okOf(r.result).content, [
    { type: 'text', text: 'One.' },
    { type: 'text', text: 'Two.' },
  ]);
  t.equal(okOf(r.result).text, 'One.Two.');
});

t.test('function calls: counter indices, arguments from output_item.done', async (t) => {
  const r = run([
    created,
    callAdded(1, 'call_a', 'alpha'),
    argsDelta(1, '{"x":'),
    callAdded(3, 'call_b', 'beta', '{"pre":true'),
    argsDelta(1, '1}'),
    argsDelta(3, '}'),
    ev({ type: 'response.function_call_arguments.done', output_index: 1, item_id: 'fc_1', arguments: '{"x":1}' }),
    ev({ type: 'response.output_item.done', output_index: 1, item: { type: 'function_call', id: 'fc_1', call_id: 'call_a', name: 'alpha', arguments: '{"x": 1}' } }),
    ev({ type: 'response.output_item.done', output_index: 3, item: { type: 'function_call', id: 'fc_3', call_id: 'call_b', name: 'beta' } }),
    completed(),
  ]);
  t.same(eventLog(r.events), [
    'start gpt-test resp_1',
    'tool_start[0] call_a alpha',
    'tool_delta[0] "{\\"x\\":"',
    'tool_start[1] call_b beta',
    'tool_delta[1] "{\\"pre\\":true"',
    'tool_delta[0] "1}"',
    'tool_delta[1] "}"',
    'tool_done[0] call_a alpha {"x": 1}',
    'tool_done[1] call_b beta {"pre":true}',
    `done tool_use ${USAGE_LOG}`,
  ]);
});

t.test('deltas found by item id when the output index is missing', async (t) => {
  const r = run([
    created,
    callAdded(0, 'call_a', 'alpha'),
    ev({ type: 'response.function_call_arguments.delta', item_id: 'fc_0', delta: '{}' }),
    ev({ type: 'response.function_call_arguments.done', item_id: 'fc_0', arguments: '{}' }),
    completed(),
  ]);
  t.same(eventLog(r.events), [
    'start gpt-test resp_1',
    'tool_start[0] call_a alpha',
    'tool_delta[0] "{}"',
    'tool_done[0] call_a alpha {}',
    `done tool_use ${USAGE_LOG}`,
  ]);
});

t.test('calls never finished get done at completion, from arguments.done or the deltas', async (t) => {
  const r = run([
    created,
    callAdded(0, 'call_a', 'alpha'),
    argsDelta(0, '{"partial"'),
    ev({ type: 'response.function_call_arguments.done', output_index: 0, arguments: '{"whole":1}' }),
    callAdded(1, 'call_b', 'beta'),
    argsDelta(1, '{"b":2}'),
    ev({ type: 'response.function_call_arguments.done', output_index: 7, arguments: '{}' }),
    completed(),
  ]);
  t.same(okOf(r.result).toolCalls, [
    { id: 'call_a', name: 'alpha', arguments: '{"whole":1}' },
    { id: 'call_b', name: 'beta', arguments: '{"b":2}' },
  ]);
});

t.test('a finished call that was never announced is still reported', async (t) => {
  const r = run([
    created,
    ev({ type: 'response.output_item.done', output_index: 4, item: { type: 'function_call', id: 'fc_4', call_id: 'call_z', name: 'zeta', arguments: '{}' } }),
    completed(),
  ]);
  // Arguments only in the done item go out as one corrective delta first (issue 9).
  t.same(eventLog(r.events).slice(1, 4), ['tool_start[0] call_z zeta', 'tool_delta[0] "{}"', 'tool_done[0] call_z zeta {}']);
});

t.test('arguments for an unannounced call are a protocol error', async (t) => {
  const r = run([created, argsDelta(5, '{}'), completed()]);
  t.match(r.error, { category: 'protocol', message: /output item 5, which it never announced/ });
  t.match(errOf(r.result), { category: 'protocol' });
  const byId = run([created, ev({ type: 'response.function_call_arguments.delta', item_id: 'fc_9', delta: '{}' })]);
  t.match(byId.error, { message: /output item fc_9/ });
  const nothing = run([created, ev({ type: 'response.function_call_arguments.delta', delta: '{}' })]);
  t.match(nothing.error, { message: /output item \(unnamed\),/ });
});

t.test('non-function items and odd items are ignored', async (t) => {
  const r = run([
    created,
    ev({ type: 'response.output_item.added', output_index: 0, item: { type: 'web_search_call', id: 'ws_1' } }),
    ev({ type: 'response.output_item.added', output_index: 1 }),
    ev({ type: 'response.output_item.done', output_index: 0, item: { type: 'web_search_call', id: 'ws_1' } }),
    ev({ type: 'response.output_item.done', output_index: 1 }),
    ev({ type: 'response.web_search_call.searching', output_index: 0 }),
    ev({ type: 'response.some_future_event', whatever: [1, 2] }),
    sse(JSON.stringify({ no_type: true })),
    completed(),
  ]);
  t.same(eventLog(r.events), ['start gpt-test resp_1', `done stop ${USAGE_LOG}`]);
});

t.test('incomplete responses', async (t) => {
  const cases: ReadonlyArray<[Record<string, unknown>, string, string]> = [
    [{ incomplete_details: { reason: 'max_output_tokens' } }, 'length', 'max_output_tokens'],
    [{ incomplete_details: { reason: 'content_filter' } }, 'content_filter', 'content_filter'],
    [{ incomplete_details: { reason: 'something_new' } }, 'unknown', 'something_new'],
    [{ incomplete_details: null }, 'unknown', 'incomplete'],
  ];
  for (const [extra, finish, raw] of cases) {
    const r = run([created, text('x'), ev({ type: 'response.incomplete', response: response({ status: 'incomplete', ...extra }) })]);
    const result = okOf(r.result);
    t.equal(result.finishReason, finish, raw);
    t.equal(result.rawFinishReason, raw);
    t.equal(result.usage, null, 'no usage: null');
  }
  const bare = run([ev({ type: 'response.incomplete' })]);
  t.same(eventLog(bare.events), ['start requested-model', 'done unknown null']);
});

t.test('failures: response.failed, the error event, and a chat-style error object', async (t) => {
  const failed = run([
    created,
    text('partial'),
    ev({ type: 'response.failed', response: response({ status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Too many requests' } }) }),
  ]);
  t.same(eventLog(failed.events), [
    'start gpt-test resp_1',
    'text[0] "partial"',
    'error rate_limit OpenAI reported an error: Too many requests',
  ]);
  t.match(errOf(failed.result), { category: 'rate_limit', providerCode: 'rate_limit_exceeded' });

  const silent = run([ev({ type: 'response.failed', response: response({ status: 'failed', error: null }) })]);
  t.same(eventLog(silent.events), ['start gpt-test resp_1', 'error unknown OpenAI reported an error: the response failed without saying why']);
  const noResponse = run([ev({ type: 'response.failed' })]);
  t.same(eventLog(noResponse.events), ['start requested-model', 'error unknown OpenAI reported an error: the response failed without saying why']);

  const both = run([
    created,
    ev({ type: 'error', code: 'server_error', message: 'boom', param: null }),
    ev({ type: 'response.failed', response: response({ status: 'failed', error: { code: 'server_error', message: 'boom again' } }) }),
  ]);
  t.same(eventLog(both.events), ['start gpt-test resp_1', 'error server OpenAI reported an error: boom']);

  const chatStyle = run([sse(JSON.stringify({ error: { message: 'Bad gateway', type: 'server_error' } }))]);
  t.same(eventLog(chatStyle.events), ['start requested-model', 'error server OpenAI reported an error: Bad gateway']);
  t.equal(chatStyle.finished, true);
});

t.test('[DONE] and empty data are ignored; malformed JSON is a protocol error', async (t) => {
  const r = run([sse(''), created, sse('[DONE]'), text('a'), completed(), sse('[DONE]')]);
  t.same(eventLog(r.events), ['start gpt-test resp_1', 'text[0] "a"', `done stop ${USAGE_LOG}`]);
  const parser = createResponsesStreamParser({ model: 'm' });
  const error = parser.onSse(sse('{"type":"response.created","response":{"id":"resp_parallel"'), () => undefined);
  t.match(error, { category: 'protocol', message: /A Responses stream event is not valid JSON/ });
  t.equal(parser.onSse(created, () => undefined), error, 'stays failed');
  t.equal(errOf(parser.result()), error);
});

t.test('only the first response of a body counts', async (t) => {
  const second = ev({ type: 'response.created', response: response({ id: 'resp_2' }) });
  const r = run([created, text('first'), completed(), second, text('second'), completed({ id: 'resp_2' })]);
  t.equal(okOf(r.result).text, 'first');
  t.equal(okOf(r.result).id, 'resp_1');
  t.equal(r.events.filter((e) => e.type === 'done').length, 1);
});

t.test('start: from in_progress, or the requested model when no response event came first', async (t) => {
  const r = run([ev({ type: 'response.in_progress', response: response({ id: 'resp_ip', model: 'gpt-ip' }) }), completed()]);
  t.same(r.events[0], { type: 'start', model: 'gpt-ip', id: 'resp_ip' });
  const late = run([text('x'), ev({ type: 'response.completed', response: { model: 'gpt-late', id: 'resp_late', status: 'completed' } })]);
  t.same(late.events[0], { type: 'start', model: 'requested-model' });
  const result = okOf(late.result);
  t.equal(result.model, 'requested-model', 'the model stays what start said');
  t.equal(result.id, 'resp_late');
  const empty = run([ev({ type: 'response.created', response: { id: '', model: '' } }), ev({ type: 'response.completed' })]);
  t.same(eventLog(empty.events), ['start requested-model', 'done stop null']);
});

t.test('an unfinished stream is a protocol error that counts events', async (t) => {
  const r = run([created, text('a')]);
  t.equal(r.finished, false);
  t.match(errOf(r.result), {
    category: 'protocol',
    message: 'The Responses stream ended before response.completed (after 2 SSE events); the response is incomplete.',
  });
});

t.test('late and repeated events for a finished call change nothing', async (t) => {
  const done = ev({ type: 'response.output_item.done', output_index: 0, item: { type: 'function_call', id: 'fc_0', call_id: 'call_a', name: 'alpha', arguments: '{}' } });
  const r = run([created, callAdded(0, 'call_a', 'alpha'), done, argsDelta(0, 'late'), done, completed()]);
  t.same(eventLog(r.events), [
    'start gpt-test resp_1',
    'tool_start[0] call_a alpha',
    'tool_delta[0] "{}"',
    'tool_done[0] call_a alpha {}',
    `done tool_use ${USAGE_LOG}`,
  ]);
});

t.test('events without content or summary indices, and partial usage', async (t) => {
  const r = run([
    created,
    ev({ type: 'response.reasoning_summary_text.delta', output_index: 0, delta: 's' }),
    ev({ type: 'response.reasoning_text.delta', output_index: 0, delta: 'r' }),
    ev({ type: 'response.output_text.delta', output_index: 1, delta: 't' }),
    ev({ type: 'response.refusal.delta', output_index: 1, delta: 'n' }),
    ev({ type: 'response.completed', response: response({ status: 'completed', usage: { output_tokens: 4, input_tokens_details: null } }) }),
  ]);
  const result = okOf(r.result);
  t.same(result.content.map((b) => b.type), ['thinking', 'thinking', 'text', 'refusal']);
  t.same(result.usage, { input: null, output: 4, thinking: null, cached: null, cacheWrite: null, total: null });
});
