import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { HttpMulti } from '../../src/http/multi.js';
import { createFallback } from '../../src/providers/fallback.js';
import { createOpenAIAdapter } from '../../src/providers/openai/adapter.js';
import { EngineProvider } from '../../src/providers/provider.js';
import type { ChatResponse, StreamEvent } from '../../src/providers/types.js';
import type { ProviderError } from '../../src/errors/category.js';
import { PathScriptDispatcher } from '../helpers/path-script-dispatcher.js';
import { driveVirtual } from '../helpers/virtual-drive.js';

const chunk = (model: string, delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const whole = (model: string, text: string) => chunk(model, { role: 'assistant', content: text }) + chunk(model, {}, 'stop') + 'data: [DONE]\n\n';
const serverError = `data: ${JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error' } })}\n\n`;
const tooMany = { status: 429, headers: { 'retry-after': '1' }, body: JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }) };

function setup(on?: Parameters<typeof createFallback>[1]) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const dispatcher = new PathScriptDispatcher();
  const multi = new HttpMulti({ clock, dispatcher, maxRetries: 0 });
  const make = (path: string) => new EngineProvider(createOpenAIAdapter({ apiKey: 'sk-test-fallback', baseURL: `http://127.0.0.1:9/${path}`, env: {} }), { multi });
  const chain = createFallback([{ provider: make('a'), model: 'gpt-a' }, { provider: make('b'), model: 'gpt-b', request: { maxOutputTokens: 50 } }], on);
  if (chain.isErr()) throw new Error(chain.error.message);
  const events: StreamEvent[] = [];
  const results: Array<ChatResponse | ProviderError> = [];
  const stream = async () => {
    const started = chain.value.startStream({ messages: [{ role: 'user', content: 'hi' }] }, (event) => events.push(event), (result) => results.push(result.isOk() ? result.value : result.error));
    if (started.isErr()) throw new Error(started.error.message);
    await driveVirtual(multi, clock, () => results.length > 0);
    return results[0];
  };
  return { dispatcher, chain: chain.value, events, stream, multi, clock, results };
}

t.test('a 429 before the first event moves on to the next target, which serves the request', async (t) => {
  const { dispatcher, events, stream } = setup();
  dispatcher.scripts.set('/a', [tooMany]);
  dispatcher.scripts.set('/b', [{ status: 200, body: whole('gpt-b', 'from b') }]);
  const result = (await stream()) as ChatResponse;
  t.equal(result.text, 'from b');
  t.same(result.servedBy, { index: 1, provider: 'openai', model: 'gpt-b' }, 'the response names the target that served it');
  t.notOk(events.some((event) => event.type === 'error'), "the first target's error never reached the user");
  t.same(dispatcher.paths, ['/a/chat/completions', '/b/chat/completions']);
});

t.test('never after the first event: an in-band server error after a delta fails, it is not re-asked elsewhere', async (t) => {
  const { dispatcher, events, stream } = setup({ on: ['rate_limit', 'server'] });
  dispatcher.scripts.set('/a', [{ status: 200, body: chunk('gpt-a', { role: 'assistant', content: 'Hel' }) + serverError }]);
  dispatcher.scripts.set('/b', [{ status: 200, body: whole('gpt-b', 'from b') }]);
  const result = (await stream()) as ProviderError;
  t.equal(result.category, 'server');
  t.equal(result.retryable, true, 'retryable, yet the chain stops: a delta was already delivered');
  t.equal(events.filter((event) => event.type === 'text_delta').length, 1, 'the delta was delivered once');
  t.equal(events.at(-1)?.type, 'error');
  t.same(dispatcher.paths, ['/a/chat/completions'], 'the second target was never asked');
});

t.test('the same category before any event does move on', async (t) => {
  const { dispatcher, stream, events } = setup({ on: ['server'] });
  dispatcher.scripts.set('/a', [{ status: 200, body: serverError }]);
  dispatcher.scripts.set('/b', [{ status: 200, body: whole('gpt-b', 'from b') }]);
  t.equal(((await stream()) as ChatResponse).servedBy?.index, 1);
  t.notOk(events.some((event) => event.type === 'error'));
});

t.test('non-retryable errors (a spent quota) stop the chain; the last failure reaches the user', async (t) => {
  const quota = { status: 429, body: JSON.stringify({ error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } }) };
  const { dispatcher, events, stream } = setup();
  dispatcher.scripts.set('/a', [quota]);
  const result = (await stream()) as ProviderError;
  t.equal(result.category, 'rate_limit');
  t.equal(result.retryable, false);
  t.equal(events.at(-1)?.type, 'error', 'the held-back error event is delivered when the failure is final');
  t.same(dispatcher.paths, ['/a/chat/completions']);

  const both = setup();
  both.dispatcher.scripts.set('/a', [tooMany]);
  both.dispatcher.scripts.set('/b', [tooMany]);
  t.equal(((await both.stream()) as ProviderError).category, 'rate_limit', 'every target failed: the last error');
  t.equal(both.events.filter((event) => event.type === 'error').length, 1);
});

t.test('non-streaming requests fall over too; an empty chain is an invalid_arg', async (t) => {
  const { dispatcher, chain, multi, clock, results } = setup();
  dispatcher.scripts.set('/a', [{ status: 503, body: '{"error":{"message":"overloaded"}}' }]);
  dispatcher.scripts.set('/b', [{ status: 200, body: JSON.stringify({ id: 'x', object: 'chat.completion', model: 'gpt-b', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }) }]);
  t.ok(chain.startRequest({ messages: [{ role: 'user', content: 'hi' }] }, (result) => results.push(result.isOk() ? result.value : result.error)).isOk());
  await driveVirtual(multi, clock, () => results.length > 0);
  t.equal((results[0] as ChatResponse).servedBy?.model, 'gpt-b');
  t.ok(createFallback([]).isErr());
  await chain.cleanup();
});

t.test('complete() and stream() on a chain pump every target engine and fall over the same way', async (t) => {
  const { dispatcher, chain, multi } = setup();
  dispatcher.scripts.set('/a', [tooMany]);
  const body = JSON.stringify({ id: 'c2', object: 'chat.completion', model: 'gpt-b', choices: [{ index: 0, message: { role: 'assistant', content: 'from b' }, finish_reason: 'stop' }] });
  dispatcher.scripts.set('/b', [{ status: 200, body }, { status: 200, body: whole('gpt-b', 'streamed b') }]);
  const completed = await chain.complete({ messages: [{ role: 'user', content: 'hi' }] });
  t.equal(completed.isOk() ? completed.value.text : completed.error.message, 'from b');
  // The 429 paused bucket a on the (virtual) clock: a fresh chain for the stream.
  const second = setup();
  second.dispatcher.scripts.set('/a', [tooMany]);
  second.dispatcher.scripts.set('/b', [{ status: 200, body: whole('gpt-b', 'streamed b') }]);
  const stream = second.chain.stream({ messages: [{ role: 'user', content: 'hi' }] });
  const types: string[] = [];
  for await (const event of stream) types.push(event.type);
  t.same(types, ['start', 'text_delta', 'done']);
  const result = await stream.result;
  t.same(result.isOk() ? result.value.servedBy : undefined, { index: 1, provider: 'openai', model: 'gpt-b' });
  t.equal(chain.pendingCompletions, 0);
  const aborted = new AbortController();
  aborted.abort();
  const refused = await chain.complete({ messages: [{ role: 'user', content: 'hi' }] }, { signal: aborted.signal });
  t.equal(refused.isErr() ? refused.error.category : 'ok', 'cancelled', 'an aborted signal reaches the target');
  const stop = chain.autoPump();
  stop();
  await multi.close();
  await second.multi.close();
});
