import t from 'tap';
import { providerError } from '../../../src/errors/category.js';
import { StreamBuilder } from '../../../src/providers/kit/stream-builder.js';
import { createKitStreamParser } from '../../../src/providers/kit/stream-parser.js';
import type { SseEvent } from '../../../src/providers/adapter.js';
import type { StreamEvent } from '../../../src/providers/types.js';
import { errOf, eventLog, okOf } from '../openai/helpers.js';

function resultOf(stream: StreamBuilder): NonNullable<ReturnType<StreamBuilder['result']>> {
  const result = stream.result();
  if (result === undefined) throw new Error('the stream has not terminated');
  return result;
}

function builder(model = 'm'): { stream: StreamBuilder; events: StreamEvent[] } {
  const events: StreamEvent[] = [];
  const stream = new StreamBuilder({ model });
  stream.attach((e) => events.push(e));
  return { stream, events };
}

t.test('start goes out first, once, with the model and id known by then', async (t) => {
  const { stream, events } = builder('requested');
  stream.identify({ id: '', model: '' });
  stream.identify({ id: 'msg_1', model: 'served' });
  stream.identify({ id: 'msg_2' });
  stream.text('0', 'Hi');
  stream.identify({ model: 'too-late' });
  stream.start();
  stream.finish('stop', 'end_turn');
  t.same(eventLog(events), ['start served msg_1', 'text[0] "Hi"', 'done stop null']);
  t.equal(stream.model, 'served');
  const response = okOf(resultOf(stream));
  t.equal(response.id, 'msg_1');
  t.equal(response.rawFinishReason, 'end_turn');
  t.same(events.at(-1), { type: 'done', finishReason: 'stop', usage: null, rawFinishReason: 'end_turn' });
});

t.test('exactly one terminal event; every call after it is ignored', async (t) => {
  const { stream, events } = builder();
  t.equal(stream.result(), undefined, 'no result before the end');
  stream.fail(providerError('server', { message: 'overloaded' }));
  stream.finish('stop');
  stream.fail(providerError('auth', { message: 'late' }));
  stream.text('0', 'late');
  stream.thinking('0', 'late');
  stream.refusal('0', 'late');
  stream.toolCall(0, { id: 'c', name: 'f' });
  stream.toolArguments(0, '{}');
  stream.toolWholeArguments(0, '{}');
  stream.toolDone(0);
  stream.providerBlock('x', null);
  stream.setUsage(null);
  stream.mergeUsage({ input: 1 });
  stream.identify({ id: 'late' });
  stream.start();
  t.same(eventLog(events), ['start m', 'error server overloaded']);
  t.equal(stream.terminated, true);
  t.match(errOf(resultOf(stream)), { category: 'server', message: 'overloaded' });
});

t.test('blocks by key keep first-delta order; signatures and provider blocks round-trip', async (t) => {
  const { stream, events } = builder();
  stream.thinking('0', 'Let me ');
  stream.text('1', 'Answer');
  stream.thinking('0', 'think.', { signature: 'sig-early' });
  stream.thinking('0', '', { signature: 'sig-final' });
  stream.providerBlock('anthropic', { type: 'redacted_thinking', data: 'opaque' });
  stream.text('2', '', { signature: 'text-sig' });
  stream.text('1', '', {});
  stream.refusal('3', 'No.', { signature: 'ignored' });
  stream.text('4', 'other choice', { index: 1, inResult: false });
  stream.finish('stop');
  const response = okOf(resultOf(stream));
  t.same(response.content, [
    { type: 'thinking', text: 'Let me think.', signature: 'sig-final' },
    { type: 'text', text: 'Answer' },
    { type: 'provider', provider: 'anthropic', data: { type: 'redacted_thinking', data: 'opaque' } },
    { type: 'text', text: '', signature: 'text-sig' },
    { type: 'refusal', text: 'No.' },
  ]);
  t.equal(response.text, 'Answer');
  t.same(eventLog(events).filter((line) => line.startsWith('text[1]')), ['text[1] "other choice"']);
  t.notOk(eventLog(events).some((line) => line === 'text[0] ""'), 'empty deltas are not sent');
});

t.test('tool calls: by wire index, start once id and name are known, held fragments flushed', async (t) => {
  const { stream, events } = builder();
  stream.toolArguments(3, '{"a":');
  stream.toolCall(3, { id: 'call_3' });
  stream.toolCall(3, { name: 'three', signature: 'sig3' });
  stream.toolArguments(3, '1}');
  stream.toolCall(1, { id: 'call_1', name: 'one' });
  stream.toolCall(1, { id: 'ignored-after-start', name: 'ignored' });
  stream.toolWholeArguments(1, '{"whole":true}');
  stream.toolCall({ index: 0, scope: 'other', inResult: false }, { id: 'x', name: 'y' });
  stream.toolDone(3);
  stream.toolDone(3, '{"again":1}');
  stream.toolArguments(3, 'after done');
  t.equal(stream.hasToolCalls, true);
  stream.finish('tool_use', 'tool_calls');
  t.same(eventLog(events), [
    'start m',
    'tool_start[3] call_3 three',
    'tool_delta[3] "{\\"a\\":"',
    'tool_delta[3] "1}"',
    'tool_start[1] call_1 one',
    'tool_start[0] x y',
    'tool_done[3] call_3 three {"a":1}',
    // `finish` ends the open calls in order of their index.
    'tool_done[0] x y ',
    'tool_delta[1] "{\\"whole\\":true}"',
    'tool_done[1] call_1 one {"whole":true}',
    'done tool_use null',
  ]);
  const response = okOf(resultOf(stream));
  t.same(response.toolCalls, [
    { id: 'call_1', name: 'one', arguments: '{"whole":true}' },
    { id: 'call_3', name: 'three', arguments: '{"a":1}' },
  ]);
  t.same(response.content[1], { type: 'tool_call', id: 'call_3', name: 'three', arguments: '{"a":1}', signature: 'sig3' });
});

t.test('a call without id or name is still reported, with a made-up id', async (t) => {
  const { stream, events } = builder();
  stream.toolArguments({ index: 2, order: 0 }, '{}');
  stream.finish('tool_use');
  t.same(eventLog(events), ['start m', 'tool_start[2] call_llmux_2 ', 'tool_delta[2] "{}"', 'tool_done[2] call_llmux_2  {}', 'done tool_use null']);
});

t.test('text and tool calls keep their places; calls fill them in index order', async (t) => {
  const { stream } = builder();
  stream.toolCall(1, { id: 'b', name: 'f' });
  stream.text('t', 'between');
  stream.toolCall(0, { id: 'a', name: 'f' });
  stream.finish('tool_use');
  const response = okOf(resultOf(stream));
  t.same(
    response.content.map((block) => (block.type === 'tool_call' ? block.id : block.type)),
    ['a', 'text', 'b'],
  );
});

t.test('usage: set replaces, merge keeps fields the report lacks (the later value wins)', async (t) => {
  const { stream, events } = builder();
  t.equal(stream.usage, null);
  stream.mergeUsage({ input: 10, cached: 2, cacheWrite: 5, output: 1 });
  stream.mergeUsage({ output: 40, input: null, total: Number.NaN });
  t.same(stream.usage, { input: 10, output: 40, thinking: null, cached: 2, cacheWrite: 5, total: null });
  stream.setUsage(null);
  t.equal(stream.usage, null);
  stream.mergeUsage({ output: 3 });
  stream.finish('length', 'max_tokens');
  t.same(events.at(-1), {
    type: 'done',
    finishReason: 'length',
    usage: { input: null, output: 3, thinking: null, cached: null, cacheWrite: null, total: null },
    rawFinishReason: 'max_tokens',
  });
});

const sse = (data: string, event?: string): SseEvent => ({ data, event, id: undefined });

t.test('kit parser: protocol errors stick, events after the end are ignored, cut streams say so', async (t) => {
  const handler = {
    onEvent(event: SseEvent, stream: StreamBuilder) {
      if (event.data === 'bad') return providerError('protocol', { message: 'bad payload' });
      if (event.data === 'end') stream.finish('stop');
      else stream.text('0', event.data);
      return undefined;
    },
  };
  const options = { model: 'm', streamName: 'The Test stream', endMarker: 'end' };
  const events: StreamEvent[] = [];
  const emit = (e: StreamEvent): void => void events.push(e);
  const cut = createKitStreamParser(options, handler);
  t.equal(cut.onSse(sse('a'), emit), undefined);
  t.equal(cut.onEnd?.(emit), undefined, 'no end hook: the end adds nothing');
  t.match(errOf(cut.result()), { category: 'protocol', message: 'The Test stream ended before end (after 1 SSE events); the response is incomplete.' });
  const broken = createKitStreamParser(options, handler);
  t.match(broken.onSse(sse('bad'), emit), { message: 'bad payload' });
  t.match(broken.onSse(sse('a'), emit), { message: 'bad payload' }, 'later events return the same error');
  t.equal(broken.onEnd?.(emit), undefined);
  t.match(errOf(broken.result()), { message: 'bad payload' });
  const whole = createKitStreamParser(options, handler);
  whole.onSse(sse('x'), emit);
  whole.onSse(sse('end'), emit);
  t.equal(whole.finished, true);
  t.equal(whole.onSse(sse('bad'), emit), undefined, 'after the end nothing counts, errors included');
  t.equal(okOf(whole.result()).text, 'x');
});

t.test('kit parser: an end hook can finish a stream that has no end marker', async (t) => {
  const parser = createKitStreamParser(
    { model: 'm', streamName: 'The Gemini stream', endMarker: 'the end of the body' },
    {
      onEvent: (event, stream) => (stream.text('0', event.data), undefined),
      onEnd: (stream) => (stream.finish('stop', 'STOP'), undefined),
    },
  );
  const events: StreamEvent[] = [];
  parser.onSse(sse('Hello'), (e) => events.push(e));
  t.equal(parser.finished, false);
  t.equal(parser.onEnd?.((e) => events.push(e)), undefined);
  t.equal(parser.finished, true);
  t.same(eventLog(events), ['start m', 'text[0] "Hello"', 'done stop null']);
  t.equal(parser.onEnd?.((e) => events.push(e)), undefined, 'a second end changes nothing');
  t.equal(events.length, 3);
  const failing = createKitStreamParser(
    { model: 'm', streamName: 'S', endMarker: 'E' },
    { onEvent: () => undefined, onEnd: () => providerError('protocol', { message: 'truncated JSON array' }) },
  );
  t.match(failing.onEnd?.(() => {}), { message: 'truncated JSON array' });
  t.match(errOf(failing.result()), { message: 'truncated JSON array' });
});
