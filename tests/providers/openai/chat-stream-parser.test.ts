import t from 'tap';
import { createChatStreamParser } from '../../../src/providers/openai/chat-stream-parser.js';
import type { SseEvent } from '../../../src/providers/adapter.js';
import { errOf, eventLog, okOf, runParser, sse, type ParserRun } from './helpers.js';

const DONE = sse('[DONE]');

function chunk(choices: unknown[], extra: Record<string, unknown> = {}): SseEvent {
  return sse(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'gpt-test', choices, ...extra }));
}

function delta(d: Record<string, unknown>, finish: string | null = null, index = 0): Record<string, unknown> {
  return { index, delta: d, finish_reason: finish };
}

function run(events: readonly SseEvent[], model = 'requested-model'): ParserRun {
  return runParser(createChatStreamParser({ model }), events);
}

t.test('role-only and empty deltas emit nothing but start', async (t) => {
  const r = run([
    chunk([delta({ role: 'assistant', content: '', refusal: null })]),
    chunk([delta({})]),
    chunk([delta({ content: null })]),
    chunk([delta({}, 'stop')]),
    DONE,
  ]);
  t.same(eventLog(r.events), ['start gpt-test chatcmpl-1', 'done stop null']);
  const response = okOf(r.result);
  t.same(response.content, []);
  t.equal(response.text, '');
  t.equal(response.usage, null, 'no usage chunk: null, not zeros');
});

t.test('start uses the requested model when the stream names none, and waits for a delta', async (t) => {
  const r = run([
    sse(JSON.stringify({ choices: [], id: '', model: '', prompt_filter_results: [] })),
    sse(JSON.stringify({ choices: [delta({ content: 'Hi' })] })),
    sse(JSON.stringify({ model: 'gpt-named-late', choices: [] })),
    DONE,
  ]);
  t.same(eventLog(r.events), ['start requested-model', 'text[0] "Hi"', 'done unknown null']);
  const response = okOf(r.result);
  t.equal(response.model, 'requested-model', 'the model stays what start said');
  t.notOk('id' in response);
  t.notOk('rawFinishReason' in response);
  t.equal(response.finishReason, 'unknown', 'no finish_reason at all');
});

t.test('tool call ids and names that arrive late; fragments are held until start', async (t) => {
  const r = run([
    chunk([delta({ tool_calls: [{ index: 0, function: { arguments: '{"a"' } }] })]),
    chunk([delta({ tool_calls: [{ index: 0, function: { name: 'f', arguments: ':1' } }] })]),
    chunk([delta({ tool_calls: [{ index: 0, id: 'call_late', function: { arguments: '}' } }] })]),
    chunk([delta({ tool_calls: [{ index: 0, id: 'call_changed', function: { name: 'g', arguments: '' } }] })]),
    chunk([delta({}, 'tool_calls')]),
    DONE,
  ]);
  t.same(eventLog(r.events), [
    'start gpt-test chatcmpl-1',
    'tool_start[0] call_late f',
    'tool_delta[0] "{\\"a\\""',
    'tool_delta[0] ":1"',
    'tool_delta[0] "}"',
    'tool_done[0] call_late f {"a":1}',
    'done tool_use null',
  ]);
});

t.test('a tool call that never gets an id is still reported, with a made-up id', async (t) => {
  const r = run([chunk([delta({ tool_calls: [{ function: { name: 'lookup', arguments: '{}' } }] })]), DONE]);
  t.same(eventLog(r.events), [
    'start gpt-test chatcmpl-1',
    'tool_start[0] call_llmux_0 lookup',
    'tool_delta[0] "{}"',
    'tool_done[0] call_llmux_0 lookup {}',
    'done unknown null',
  ]);
  const nameless = run([chunk([delta({ tool_calls: [{ index: 3, id: 'call_x' }] })]), DONE]);
  t.same(okOf(nameless.result).toolCalls, [{ id: 'call_x', name: '', arguments: '' }]);
});

t.test('invalid JSON arguments are passed on verbatim, not fatal', async (t) => {
  const r = run([
    chunk([delta({ tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: '{"unterminated' } }] })], { usage: null }),
    chunk([delta({}, 'tool_calls')]),
    DONE,
  ]);
  t.equal(r.error, undefined);
  t.same(okOf(r.result).toolCalls, [{ id: 'c', name: 'f', arguments: '{"unterminated' }]);
});

t.test('several choices: text carries the choice index; finish reason is choice 0', async (t) => {
  const r = run([
    chunk([delta({ content: 'A' }, null, 0), delta({ content: 'B' }, null, 1)]),
    chunk([delta({ content: 'b' }, 'length', 1)]),
    chunk([delta({ content: 'a' }, 'stop', 0), delta({}, 'content_filter', 1)]),
    chunk([], { usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } }),
    DONE,
  ]);
  t.same(eventLog(r.events), [
    'start gpt-test chatcmpl-1',
    'text[0] "A"',
    'text[1] "B"',
    'text[1] "b"',
    'text[0] "a"',
    'done stop {"input":3,"output":4,"thinking":null,"cached":null,"cacheWrite":null,"total":7}',
  ]);
  const response = okOf(r.result);
  t.same(response.content, [{ type: 'text', text: 'Aa' }], 'the response is choice 0; other choices only stream');
  t.equal(response.text, 'Aa');
  t.equal(response.rawFinishReason, 'stop');
});

t.test('the first finish reason seen is used when choice 0 has none', async (t) => {
  const r = run([chunk([delta({ content: 'x' }, 'length', 2)]), DONE]);
  t.equal(okOf(r.result).finishReason, 'length');
});

t.test('finish reasons', async (t) => {
  const cases: ReadonlyArray<[string, string]> = [
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_use'],
    ['function_call', 'tool_use'],
    ['content_filter', 'content_filter'],
    ['eos', 'unknown'],
  ];
  for (const [raw, mapped] of cases) {
    const response = okOf(run([chunk([delta({}, raw)]), DONE]).result);
    t.equal(response.finishReason, mapped, raw);
    t.equal(response.rawFinishReason, raw);
  }
});

t.test('reasoning from reasoning_content or reasoning, counted once', async (t) => {
  const r = run([
    chunk([delta({ reasoning_content: 'think ', reasoning: 'think ' })]),
    chunk([delta({ reasoning: 'more' })]),
    chunk([delta({ content: 'answer' }, 'stop')]),
    DONE,
  ]);
  t.same(eventLog(r.events), [
    'start gpt-test chatcmpl-1',
    'thinking[0] "think "',
    'thinking[0] "more"',
    'text[0] "answer"',
    'done stop null',
  ]);
  t.same(okOf(r.result).content, [
    { type: 'thinking', text: 'think more' },
    { type: 'text', text: 'answer' },
  ]);
});

t.test('refusal is streamed as text and kept as a refusal block', async (t) => {
  const r = run([chunk([delta({ refusal: 'No.' }, 'stop')]), DONE]);
  t.same(eventLog(r.events), ['start gpt-test chatcmpl-1', 'text[0] "No."', 'done stop null']);
  const response = okOf(r.result);
  t.same(response.content, [{ type: 'refusal', text: 'No.' }]);
  t.equal(response.text, '');
});

t.test('usage: full details, partial, and null', async (t) => {
  const usage = {
    prompt_tokens: 10,
    completion_tokens: 20,
    total_tokens: 30,
    prompt_tokens_details: { cached_tokens: 4 },
    completion_tokens_details: { reasoning_tokens: 12 },
  };
  t.same(okOf(run([chunk([delta({}, 'stop')], { usage }), DONE]).result).usage, { input: 10, output: 20, thinking: 12, cached: 4, cacheWrite: null, total: 30 });
  const partial = { prompt_tokens: 'ten', completion_tokens_details: {}, prompt_tokens_details: null };
  t.same(okOf(run([chunk([], { usage: partial }), DONE]).result).usage, { input: null, output: null, thinking: null, cached: null, cacheWrite: null, total: null });
  t.equal(okOf(run([chunk([], { usage: null }), DONE]).result).usage, null);
});

t.test('malformed JSON is a protocol error with a snippet; the parser then stays failed', async (t) => {
  const parser = createChatStreamParser({ model: 'm' });
  const events: unknown[] = [];
  const error = parser.onSse(sse('{"id": "x", "choices": [ oops'), (e) => events.push(e));
  t.match(error, { category: 'protocol', message: /not valid JSON: "\{\\"id\\": \\"x\\", \\"choices\\": \[ oops"/ });
  t.same(events, []);
  t.equal(parser.onSse(DONE, (e) => events.push(e)), error, 'later events get the same error');
  t.equal(parser.finished, false);
  t.equal(errOf(parser.result()), error);
  const long = createChatStreamParser({ model: 'm' }).onSse(sse(`{${'x'.repeat(500)}`), () => undefined);
  t.ok((long?.message.length ?? 0) < 200, 'the snippet is short');
  for (const data of ['42', '[1]', '"text"', 'null']) {
    const notObject = createChatStreamParser({ model: 'm' }).onSse(sse(data), () => undefined);
    t.match(notObject, { category: 'protocol', message: /not a JSON object/ }, data);
  }
});

t.test('empty data lines are keep-alives', async (t) => {
  const r = run([sse(''), sse('  '), chunk([delta({ content: 'x' }, 'stop')]), DONE]);
  t.same(eventLog(r.events), ['start gpt-test chatcmpl-1', 'text[0] "x"', 'done stop null']);
});

t.test('an error object in the stream ends it; nothing after counts', async (t) => {
  const r = run([
    sse(JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } })),
    chunk([delta({ content: 'late' })]),
    DONE,
  ]);
  t.same(eventLog(r.events), ['start requested-model', 'error rate_limit OpenAI reported an error: Rate limit reached']);
  t.equal(r.finished, true);
  t.match(errOf(r.result), { category: 'rate_limit', providerCode: 'rate_limit_exceeded' });
  const named = run([sse(JSON.stringify({ message: 'overloaded' }), 'error')]);
  t.same(eventLog(named.events), ['start requested-model', 'error unknown OpenAI reported an error: overloaded']);
  const nullError = run([chunk([delta({ content: 'ok' }, 'stop')], { error: null }), DONE]);
  t.equal(okOf(nullError.result).text, 'ok', '`"error": null` is not an error');
});

t.test('nothing after [DONE] counts', async (t) => {
  const parser = createChatStreamParser({ model: 'm' });
  const events: unknown[] = [];
  for (const e of [chunk([delta({ content: 'a' }, 'stop')]), DONE, chunk([delta({ content: 'b' })]), DONE]) {
    t.equal(parser.onSse(e, (x) => events.push(x)), undefined);
  }
  t.equal(events.length, 3);
  t.equal(okOf(parser.result()).text, 'a');
});

t.test('an unfinished stream is a protocol error that counts events', async (t) => {
  const r = run([chunk([delta({ content: 'a' }, 'stop')]), chunk([], { usage: { prompt_tokens: 1 } })]);
  t.equal(r.finished, false);
  t.match(errOf(r.result), {
    category: 'protocol',
    message: 'The Chat Completions stream ended before data: [DONE] (after 2 SSE events); the response is incomplete.',
  });
  t.match(errOf(run([]).result), { message: /after 0 SSE events/ });
});

t.test('odd shapes are skipped: non-object choices and calls, missing indices', async (t) => {
  const r = run([
    sse(JSON.stringify({ model: 'gpt-test', choices: [null, 'x', { delta: { content: 'p' } }] })),
    sse(JSON.stringify({ choices: [{ delta: { tool_calls: [null, { id: 'c1', function: { name: 'f' } }] } }] })),
    sse(JSON.stringify({ choices: 'not an array', unknown_field: { nested: true } })),
    DONE,
  ]);
  t.same(eventLog(r.events), [
    'start gpt-test',
    'text[2] "p"',
    'tool_start[0] c1 f',
    'tool_done[0] c1 f ',
    'done unknown null',
  ]);
});
