// Defects: (1) an Anthropic stream that failed after content arrived (an in-band error, a
// cut, a timeout) completed with a bare error: the StreamBuilder's fail() and the session's
// failure path dropped the assembled content, and Anthropic's parser wrapper exposed nothing
// of it; the error now carries it as `partial`. (2) content_block_start with a negative (or
// fractional) index was accepted as a block of its own.
import t from 'tap';
import type { Result } from 'neverthrow';
import type { ProviderError } from '../../../src/errors/category.js';
import { VirtualClock } from '../../../src/http/clock.js';
import { createAnthropicAdapter } from '../../../src/providers/anthropic/adapter.js';
import { createAnthropicStreamParser } from '../../../src/providers/anthropic/stream-parser.js';
import { EngineProvider } from '../../../src/providers/provider.js';
import type { ChatResponse, StreamEvent } from '../../../src/providers/types.js';
import { ManualDispatcher } from '../../helpers/manual-dispatcher.js';
import { errOf, runParser, sse } from '../../providers/openai/helpers.js';

type Json = Record<string, unknown>;
const e = (type: string, fields: Json = {}) => sse(JSON.stringify({ type, ...fields }));
const start = e('message_start', { message: { id: 'msg_p', type: 'message', role: 'assistant', model: 'claude-real', content: [], usage: { input_tokens: 3, output_tokens: 1 } } });
const blockStart = (index: number, block: Json) => e('content_block_start', { index, content_block: block });
const text = (index: number, s: string) => e('content_block_delta', { index, delta: { type: 'text_delta', text: s } });
const parser = () => createAnthropicStreamParser({ model: 'claude-asked' });

t.test('an in-band error after content: the error result keeps what arrived', async (t) => {
  const run = runParser(parser(), [
    start,
    blockStart(0, { type: 'text', text: '' }),
    text(0, 'Half an '),
    text(0, 'answer'),
    e('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }),
  ]);
  const error = errOf(run.result);
  t.equal(error.category, 'server');
  t.equal(error.partial?.text, 'Half an answer');
  t.same(error.partial?.content, [{ type: 'text', text: 'Half an answer' }]);
});

t.test('an error before any content has no partial', async (t) => {
  const run = runParser(parser(), [start, e('error', { error: { type: 'api_error', message: 'boom' } })]);
  t.equal(run.error?.partial, undefined);
});

t.test('negative (or fractional) content block indices are a protocol error', async (t) => {
  for (const index of [-1, 1.5]) {
    const run = runParser(parser(), [start, blockStart(index, { type: 'text', text: 'x' })]);
    t.equal(run.error?.category, 'protocol', `index ${index}`);
    t.match(run.error?.message ?? '', /block indices count from 0/);
  }
  const ok = runParser(parser(), [start, blockStart(0, { type: 'text', text: 'x' })]);
  t.equal(ok.error, undefined, 'index 0 is fine');
});

t.test('through the engine: a stream cut mid-way completes with its error and the content that arrived', async (t) => {
  const dispatcher = new ManualDispatcher();
  const provider = new EngineProvider(createAnthropicAdapter({ apiKey: 'sk-ant-test', baseURL: 'http://127.0.0.1:9', env: {} }), {
    engine: { dispatcher, clock: new VirtualClock(), governor: false, maxRetries: 0 },
  });
  const events: StreamEvent[] = [];
  let result: Result<ChatResponse, ProviderError> | undefined;
  const started = provider.startStream({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'hi' }] }, (event) => events.push(event), (r) => (result = r));
  if (started.isErr()) throw new Error(started.error.message);
  const wire = (data: Json) => `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;
  dispatcher
    .at(0)
    .start()
    .respond()
    .data(wire(JSON.parse(start.data) as Json))
    .data(wire({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }))
    .data(wire({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Cut short' } }))
    .end();
  provider.perform();
  provider.infoRead();
  t.equal(result?.isErr(), true);
  const error = result !== undefined && result.isErr() ? result.error : undefined;
  t.equal(error?.category, 'protocol');
  t.match(error?.message ?? '', /ended before message_stop/);
  t.equal(error?.partial?.text, 'Cut short', 'the error carries the text that arrived');
  t.same(events.map((event) => event.type), ['start', 'text_delta', 'error']);
  await provider.cleanup();
});
