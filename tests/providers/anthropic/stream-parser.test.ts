import t from 'tap';
import { createAnthropicStreamParser } from '../../../src/providers/anthropic/stream-parser.js';
import { errOf, eventLog, okOf, runParser, sse } from '../openai/helpers.js';

const parser = () => createAnthropicStreamParser({ model: 'claude-asked', secrets: ['test-secret-key'] });

type Json = Record<string, unknown>;
/** Data-only events: dispatch must not need the `event:` line. */
const e = (type: string, fields: Json = {}) => sse(JSON.stringify({ type, ...fields }));
const named = (type: string, fields: Json = {}) => sse(JSON.stringify({ type, ...fields }), type);
const start = (id = 'msg_1', usage: Json = { input_tokens: 10, output_tokens: 1 }, extra: Json = {}) =>
  e('message_start', { message: { id, type: 'message', role: 'assistant', model: 'claude-real', content: [], stop_reason: null, usage, ...extra } });
const blockStart = (index: number, block: Json) => e('content_block_start', { index, content_block: block });
const delta = (index: number, d: Json) => e('content_block_delta', { index, delta: d });
const text = (index: number, s: string) => delta(index, { type: 'text_delta', text: s });
const json = (index: number, s: string) => delta(index, { type: 'input_json_delta', partial_json: s });
const stop = (index: number) => e('content_block_stop', { index });
const messageDelta = (reason: string | null, usage: Json = { output_tokens: 5 }, extra: Json = {}) =>
  e('message_delta', { delta: { stop_reason: reason, stop_sequence: null, ...extra }, usage });
const end = e('message_stop');
const overloaded = e('error', { error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_9' });

t.test('text: start waits for the first block, deltas, done with mapped reason and usage', async (t) => {
  const run = runParser(parser(), [start(), e('ping'), blockStart(0, { type: 'text', text: '' }), text(0, 'Hel'), text(0, 'lo'), text(0, ''), stop(0), messageDelta('end_turn'), end]);
  t.same(eventLog(run.events), [
    'start claude-real msg_1',
    'text[0] "Hel"',
    'text[0] "lo"',
    'done stop {"input":10,"output":5,"thinking":null,"cached":null,"cacheWrite":null,"total":15}',
  ]);
  const response = okOf(run.result);
  t.equal(response.text, 'Hello');
  t.equal(response.id, 'msg_1');
  t.equal(response.model, 'claude-real');
  t.equal(response.rawFinishReason, 'end_turn');
  t.ok(run.finished);
});

t.test('the SSE event name is only a fallback for a payload without a type', async (t) => {
  const untyped = (type: string, fields: Json) => sse(JSON.stringify(fields), type);
  const run = runParser(parser(), [
    untyped('message_start', { message: { id: 'm', model: 'x', content: [], usage: { input_tokens: 1, output_tokens: 1 } } }),
    named('content_block_start', { index: 0, content_block: { type: 'text', text: 'Hi' } }),
    untyped('content_block_stop', { index: 0 }),
    untyped('message_stop', {}),
  ]);
  t.same(eventLog(run.events), ['start x m', 'text[0] "Hi"', 'done unknown {"input":1,"output":1,"thinking":null,"cached":null,"cacheWrite":null,"total":2}']);
});

t.test('unknown event types, unknown deltas, empty data and [DONE] are skipped', async (t) => {
  const run = runParser(parser(), [
    start(), sse(''), e('future_event', { x: 1 }), blockStart(0, { type: 'text', text: '' }), delta(0, { type: 'future_delta' }), text(0, 'ok'),
    stop(0), messageDelta('end_turn'), sse('[DONE]'), end,
  ]);
  t.equal(okOf(run.result).text, 'ok');
});

t.test('thinking keeps its text; signature deltas never stream as text', async (t) => {
  const run = runParser(parser(), [
    start(), blockStart(0, { type: 'thinking', thinking: '', signature: '' }), delta(0, { type: 'thinking_delta', thinking: 'Let me see.' }),
    delta(0, { type: 'signature_delta', signature: 'sig-A' }), delta(0, { type: 'signature_delta', signature: 'B' }), stop(0),
    blockStart(1, { type: 'text', text: '' }), text(1, 'Yes.'), stop(1),
    messageDelta('end_turn', { output_tokens: 9, output_tokens_details: { thinking_tokens: 4 } }), end,
  ]);
  t.same(eventLog(run.events).slice(1, 3), ['thinking[0] "Let me see."', 'text[0] "Yes."']);
  const response = okOf(run.result);
  t.same(response.content.map((block) => block.type), ['thinking', 'text']);
  t.equal(response.content[0]?.type === 'thinking' ? response.content[0].text : '', 'Let me see.');
  t.equal(response.usage?.thinking, 4);
});

t.test('client tool calls: indexed by their order among calls, not by block index', async (t) => {
  const run = runParser(parser(), [
    start(), blockStart(0, { type: 'text', text: '' }), text(0, 'Checking.'), stop(0),
    blockStart(1, { type: 'tool_use', id: 'toolu_a', name: 'weather', input: {} }), json(1, ''), json(1, '{"city":'), json(1, '"Paris"}'), stop(1),
    blockStart(2, { type: 'tool_use', id: 'toolu_b', name: 'time', input: {} }), json(2, '{"tz":"UTC"}'), stop(2),
    messageDelta('tool_use'), end,
  ]);
  t.same(eventLog(run.events).slice(2, -1), [
    'tool_start[0] toolu_a weather',
    'tool_delta[0] "{\\"city\\":"',
    'tool_delta[0] "\\"Paris\\"}"',
    'tool_done[0] toolu_a weather {"city":"Paris"}',
    'tool_start[1] toolu_b time',
    'tool_delta[1] "{\\"tz\\":\\"UTC\\"}"',
    'tool_done[1] toolu_b time {"tz":"UTC"}',
  ]);
  const response = okOf(run.result);
  t.equal(response.finishReason, 'tool_use');
  t.same(response.toolCalls, [
    { id: 'toolu_a', name: 'weather', arguments: '{"city":"Paris"}' },
    { id: 'toolu_b', name: 'time', arguments: '{"tz":"UTC"}' },
  ]);
});

t.test('a tool without arguments gets "{}", and an input that came whole in the block start is used', async (t) => {
  const run = runParser(parser(), [
    start(), blockStart(0, { type: 'tool_use', id: 't0', name: 'refresh', input: {} }), json(0, ''), stop(0),
    blockStart(1, { type: 'tool_use', id: 't1', name: 'roll', input: { player: 'p1' } }), stop(1), messageDelta('tool_use'), end,
  ]);
  t.same(okOf(run.result).toolCalls.map((call) => call.arguments), ['{}', '{"player":"p1"}']);
  t.same(eventLog(run.events).filter((line) => line.startsWith('tool_done')), ['tool_done[0] t0 refresh {}', 'tool_done[1] t1 roll {"player":"p1"}']);
});

t.test('a message_start with content and a stop reason (programmatic tool calling) is delivered', async (t) => {
  const run = runParser(parser(), [
    start('msg_p', { input_tokens: 0, output_tokens: 0 }, {
      content: [{ type: 'tool_use', id: 'toolu_p', name: 'rollDie', input: { player: 'player2' }, caller: { type: 'code_execution_20250825' } }],
      stop_reason: 'tool_use',
    }),
    end,
  ]);
  t.same(eventLog(run.events), [
    'start claude-real msg_p',
    'tool_start[0] toolu_p rollDie',
    'tool_delta[0] "{\\"player\\":\\"player2\\"}"',
    'tool_done[0] toolu_p rollDie {"player":"player2"}',
    'done tool_use {"input":0,"output":0,"thinking":null,"cached":null,"cacheWrite":null,"total":0}',
  ]);
});

t.test('server and MCP tool blocks never surface as tool calls', async (t) => {
  const run = runParser(parser(), [
    start(), blockStart(0, { type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: {} }), json(0, '{"query":"x"}'), stop(0),
    blockStart(1, { type: 'web_search_tool_result', tool_use_id: 'srv_1', content: [] }), stop(1),
    blockStart(2, { type: 'mcp_tool_use', id: 'mcp_1', name: 'echo', server_name: 's', input: {} }), json(2, '{}'), stop(2),
    blockStart(3, { type: 'text', text: '' }), delta(3, { type: 'citations_delta', citation: { type: 'web_search_result_location', url: 'u' } }), text(3, 'Done.'), stop(3),
    messageDelta('end_turn'), end,
  ]);
  t.notOk(run.events.some((event) => event.type.startsWith('tool_call')), 'no tool_call events');
  const response = okOf(run.result);
  t.same(response.toolCalls, []);
  t.equal(response.text, 'Done.');
});

t.test('usage: a later count overwrites, input adds both cache counters', async (t) => {
  const run = runParser(parser(), [
    start('m', { input_tokens: 43, cache_creation_input_tokens: 100, cache_read_input_tokens: 7, output_tokens: 1 }),
    messageDelta('end_turn', { input_tokens: 61, output_tokens: 2 }), end,
  ]);
  t.same(okOf(run.result).usage, { input: 168, output: 2, thinking: null, cached: 7, cacheWrite: 100, total: 170 });
});

t.test('a refusal with no content blocks keeps its raw reason', async (t) => {
  const run = runParser(parser(), [start(), e('ping'), messageDelta('refusal', { output_tokens: 5 }, { stop_details: { type: 'refusal', category: 'cyber' } }), end]);
  const response = okOf(run.result);
  t.equal(response.finishReason, 'content_filter');
  t.equal(response.rawFinishReason, 'refusal');
  t.same(eventLog(run.events)[0], 'start claude-real msg_1');
});

t.test('finish reasons', async (t) => {
  const reasons: Record<string, string> = {
    end_turn: 'stop', stop_sequence: 'stop', pause_turn: 'stop', max_tokens: 'length',
    model_context_window_exceeded: 'length', tool_use: 'tool_use', refusal: 'content_filter', something_new: 'unknown',
  };
  for (const [raw, mapped] of Object.entries(reasons)) {
    const response = okOf(runParser(parser(), [start(), messageDelta(raw), end]).result);
    t.equal(response.finishReason, mapped, raw);
    t.equal(response.rawFinishReason, raw);
  }
});

t.test('a duplicate message_start is ignored; another id mid-message is a protocol error', async (t) => {
  const dup = runParser(parser(), [start('a'), start('a'), blockStart(0, { type: 'text', text: '' }), text(0, 'x'), stop(0), messageDelta('end_turn'), end]);
  t.equal(okOf(dup.result).text, 'x');
  const spliced = runParser(parser(), [start('a'), blockStart(0, { type: 'text', text: '' }), text(0, 'x'), start('b')]);
  t.equal(spliced.error?.category, 'protocol');
  t.match(spliced.error?.message, /"b".*"a"/);
  t.equal(errOf(spliced.result).category, 'protocol');
});

t.test('a stream cut before message_stop is a protocol error with no terminal event of its own', async (t) => {
  const run = runParser(parser(), [start(), blockStart(0, { type: 'text', text: '' }), text(0, 'Hel'), stop(0), messageDelta('end_turn')]);
  t.notOk(run.finished);
  t.equal(run.error, undefined);
  const error = errOf(run.result);
  t.equal(error.category, 'protocol');
  t.match(error.message, /ended before message_stop \(after 5 SSE events\)/);
});

t.test('an in-band error before any content is returned, not emitted, so the engine can retry it', async (t) => {
  for (const events of [[overloaded], [start(), e('ping'), overloaded]]) {
    const run = runParser(parser(), events);
    t.same(run.events, [], 'nothing reached the user');
    t.equal(run.error?.category, 'server');
    t.equal(run.error?.retryable, true);
    t.equal(run.error?.providerType, 'overloaded_error');
    t.match(run.error?.message, /Overloaded \[request req_9\]/);
    t.equal(errOf(run.result).category, 'server');
  }
});

t.test('an in-band error after content ends the stream with its category', async (t) => {
  const run = runParser(parser(), [start(), blockStart(0, { type: 'text', text: '' }), text(0, 'Hel'), e('error', { error: { type: 'api_error', message: 'boom test-secret-key' } }), text(0, 'ignored')]);
  t.same(eventLog(run.events), ['start claude-real msg_1', 'text[0] "Hel"', 'error server Anthropic stream error: boom [REDACTED]']);
  t.ok(run.finished);
  t.equal(run.error, undefined);
  t.equal(errOf(run.result).category, 'server');
});

t.test('malformed events are protocol errors, and the parser stays failed', async (t) => {
  const cases: [string, ReturnType<typeof sse>[]][] = [
    ['not JSON', [sse('{nope')]],
    ['not an object', [sse('[1,2]')]],
    ['block start without index', [start(), e('content_block_start', { content_block: { type: 'text' } })]],
    ['block started twice', [start(), blockStart(0, { type: 'text', text: '' }), blockStart(0, { type: 'text', text: '' })]],
    ['delta for an unknown block', [start(), text(3, 'x')]],
    ['stop for an unknown block', [start(), stop(2)]],
  ];
  for (const [name, events] of cases) {
    const p = parser();
    const run = runParser(p, events);
    t.equal(run.error?.category, 'protocol', name);
    t.equal(p.onSse(end, () => t.fail('no events after a failure')), run.error, `${name}: stays failed`);
  }
});

t.test('nothing after message_stop', async (t) => {
  const p = parser();
  const run = runParser(p, [start(), messageDelta('end_turn'), end]);
  t.equal(p.onSse(text(0, 'late'), () => t.fail('no events after done')), undefined);
  t.ok(run.result.isOk());
});

t.test('a message_start that names no model reports the requested model', async (t) => {
  // message_stop with no message_start at all is a protocol error (tests/regressions/anthropic/events-before-message-start).
  const run = runParser(parser(), [e('message_start', { message: { id: 'm', content: [] } }), end]);
  t.same(eventLog(run.events), ['start claude-asked m', 'done unknown null']);
});

t.test('a compaction block keeps its streamed content', async (t) => {
  const run = runParser(parser(), [
    start(), blockStart(0, { type: 'compaction', content: null }), delta(0, { type: 'compaction_delta', content: 'Summary.' }), stop(0),
    blockStart(1, { type: 'text', text: '' }), text(1, 'Next.'), stop(1), messageDelta('end_turn'), end,
  ]);
  t.equal(okOf(run.result).text, 'Next.');
});

t.test('round-trip content: signatures on thinking, provider blocks verbatim, citations on text, stop details', async (t) => {
  const citation = { type: 'web_search_result_location', url: 'https://x', cited_text: 'c' };
  const run = runParser(parser(), [
    start(),
    blockStart(0, { type: 'thinking', thinking: '', signature: '' }), delta(0, { type: 'thinking_delta', thinking: 'Hmm.' }), delta(0, { type: 'signature_delta', signature: 'sig-1' }), stop(0),
    blockStart(1, { type: 'redacted_thinking', data: 'EncryptedBlob' }), stop(1),
    blockStart(2, { type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: {} }), json(2, '{"query":'), json(2, '"x"}'), stop(2),
    blockStart(3, { type: 'web_search_tool_result', tool_use_id: 'srv_1', content: [{ type: 'web_search_result', url: 'https://x' }] }), stop(3),
    blockStart(4, { type: 'text', text: '' }), delta(4, { type: 'citations_delta', citation }), text(4, 'Cited.'), stop(4),
    blockStart(5, { type: 'text', text: '' }), text(5, ' Plain.'), stop(5),
    messageDelta('refusal', { output_tokens: 3 }, { stop_details: { type: 'refusal', category: 'cyber' } }), end,
  ]);
  const response = okOf(run.result);
  t.same(response.content, [
    { type: 'thinking', text: 'Hmm.', signature: 'sig-1' },
    { type: 'provider', provider: 'anthropic', data: { type: 'redacted_thinking', data: 'EncryptedBlob' } },
    { type: 'provider', provider: 'anthropic', data: { type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: { query: 'x' } } },
    { type: 'provider', provider: 'anthropic', data: { type: 'web_search_tool_result', tool_use_id: 'srv_1', content: [{ type: 'web_search_result', url: 'https://x' }] } },
    { type: 'text', text: 'Cited.', citations: [citation] },
    { type: 'text', text: ' Plain.' },
  ]);
  t.same(response.stopDetails, { type: 'refusal', category: 'cyber' });
  t.equal(response.text, 'Cited. Plain.');
});

t.test('a thinking block with only a signature still exists; one cut short of a signature has none', async (t) => {
  const run = runParser(parser(), [
    start(), blockStart(0, { type: 'thinking', thinking: '', signature: '' }), delta(0, { type: 'signature_delta', signature: 'only-sig' }), stop(0),
    blockStart(1, { type: 'thinking', thinking: '', signature: '' }), delta(1, { type: 'thinking_delta', thinking: 'unsigned' }),
    messageDelta('end_turn'), end,
  ]);
  t.same(okOf(run.result).content, [{ type: 'thinking', text: '', signature: 'only-sig' }, { type: 'thinking', text: 'unsigned' }]);
});

t.test('a delta after its block stopped is a protocol error', async (t) => {
  const run = runParser(parser(), [start(), blockStart(0, { type: 'text', text: '' }), stop(0), text(0, 'late')]);
  t.equal(run.error?.category, 'protocol');
});

t.test('fields missing from a delta or a block start are treated as empty, not as errors', async (t) => {
  const run = runParser(parser(), [
    e('message_start', { message: { id: 'm' } }),
    blockStart(0, { type: 'thinking' }), delta(0, { type: 'thinking_delta' }), delta(0, { type: 'signature_delta' }), stop(0),
    blockStart(1, { type: 'text' }), delta(1, { type: 'text_delta' }), delta(1, { type: 'citations_delta' }), text(1, 'ok'), stop(1),
    blockStart(2, { type: 'tool_use' }), delta(2, { type: 'input_json_delta' }), stop(2),
    blockStart(3, { type: 'compaction' }), delta(3, { type: 'compaction_delta' }), stop(3),
    blockStart(4, { type: 'server_tool_use', id: 's', name: 'web_search', input: {} }), json(4, '{broken'), stop(4),
    e('message_delta', {}), end,
  ]);
  const response = okOf(run.result);
  t.equal(response.text, 'ok');
  t.same(response.toolCalls, [{ id: 'call_llmux_0', name: '', arguments: '{}' }]);
  t.same(response.content.filter((block) => block.type === 'provider').map((block) => block.type === 'provider' && block.data), [
    { type: 'compaction', content: '' },
    { type: 'server_tool_use', id: 's', name: 'web_search', input: {} },
  ]);
  t.equal(response.model, 'claude-asked');
  t.equal(response.usage, null);
});
