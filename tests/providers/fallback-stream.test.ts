// A fallback chain's stream(): events wait in the chosen target's own transfer until the
// consumer pulls (backpressure as with one provider); until a target is chosen its start is
// held and an error a later target may answer is not shown.
import t from 'tap';
import { createOpenAI, type ChatResponse, type ProviderError, type StreamEvent } from '../../src/index.js';
import { createFallback } from '../../src/providers/fallback.js';
import type { ChatStream } from '../../src/providers/event-stream.js';
import { VirtualClock } from '../../src/http/clock.js';
import { HttpMulti } from '../../src/http/multi.js';
import { createOpenAIAdapter } from '../../src/providers/openai/adapter.js';
import { EngineProvider } from '../../src/providers/provider.js';
import type { ServerResponse } from 'node:http';
import { startEndlessWriter, untilWritesStall } from '../helpers/endless-writer.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';
import { PathScriptDispatcher } from '../helpers/path-script-dispatcher.js';
import { ask, chatChunk } from './conveniences/helpers.js';

const chunk = (model: string, delta: object, finish: string | null = null): string =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const whole = (model: string, text: string): string => chunk(model, { role: 'assistant', content: text }) + chunk(model, {}, 'stop') + 'data: [DONE]\n\n';
const serverError = `data: ${JSON.stringify({ error: { message: 'The server had an error.', type: 'server_error' } })}\n\n`;
const tooMany = { status: 429, body: JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }) };

/** Two OpenAI targets, /a and /b, on one scripted engine without retries. */
function chainOf() {
  const dispatcher = new PathScriptDispatcher();
  const multi = new HttpMulti({ clock: new VirtualClock(Date.UTC(2026, 0, 1)), dispatcher, maxRetries: 0, governor: false });
  const make = (path: string) => new EngineProvider(createOpenAIAdapter({ apiKey: 'sk-test-fallback', baseURL: `http://127.0.0.1:9/${path}`, env: {} }), { multi });
  const chain = createFallback([{ provider: make('a'), model: 'gpt-a' }, { provider: make('b'), model: 'gpt-b' }], { on: ['rate_limit', 'server'] });
  if (chain.isErr()) throw new Error(chain.error.message);
  return { dispatcher, multi, chain: chain.value };
}

async function drain(stream: ChatStream): Promise<string[]> {
  const seen: string[] = [];
  for await (const event of stream) seen.push(describe(event));
  return seen;
}

function describe(event: StreamEvent): string {
  if (event.type === 'start') return `start ${event.model}`;
  if (event.type === 'text_delta') return `text ${event.text}`;
  if (event.type === 'error') return `error ${event.category}`;
  return event.type;
}

const served = (result: Awaited<ChatStream['result']>): ChatResponse['servedBy'] | string => (result.isOk() ? result.value.servedBy : result.error.category);

t.test('a consumer that stops pulling holds the chosen target: the server cannot write on', async (t) => {
  const writer = await startEndlessWriter(chatChunk('x'.repeat(1000)), (req, res) => {
    if (!req.url?.startsWith('/a/')) return false;
    res.writeHead(429, { 'content-type': 'application/json' });
    res.end(tooMany.body);
    return true;
  });
  t.teardown(() => writer.server.close());
  const make = (path: string) => createOpenAI({ apiKey: 'sk-test', baseURL: `${writer.server.url}/${path}/v1`, engine: { highWaterMark: 64 * 1024, maxRetries: 0 } });
  const first = make('a');
  const second = make('b');
  const chain = createFallback([{ provider: first }, { provider: second }]);
  if (chain.isErr()) throw new Error(chain.error.message);
  const stream = chain.value.stream(ask('x'), { highWaterMark: 16 });
  const iterator = stream[Symbol.asyncIterator]();
  t.equal((await iterator.next()).value?.type, 'start', 'the second target was chosen once its content came');
  t.equal((await iterator.next()).value?.type, 'text_delta');
  t.equal(await untilWritesStall(writer), 200, 'the server cannot write more while the consumer does not pull');
  t.ok(writer.written < 64 * 1024 * 1024, `bounded: ${writer.written} bytes written in all`);
  t.equal(second.multi.running, 1, "the chosen target's request is alive, only held");
  const before = writer.written;
  let ended = false;
  for (let turn = 0; turn < 200_000 && writer.written === before && !ended; turn++) ended = (await iterator.next()).done === true;
  t.notOk(ended);
  t.ok(writer.written > before, 'pulling again resumes the socket');
  await iterator.return?.();
  t.equal(served(await stream.result), 'cancelled', 'return() cancels the chosen target');
  await chain.value.cleanup();
});

t.test('a start followed by a server error is not shown: the next target answers', async (t) => {
  const { dispatcher, multi, chain } = chainOf();
  dispatcher.scripts.set('/a', [{ status: 200, body: chunk('gpt-a', { role: 'assistant' }) + serverError }]);
  dispatcher.scripts.set('/b', [{ status: 200, body: whole('gpt-b', 'from b') }]);
  const stream = chain.stream({ messages: [{ role: 'user', content: 'hi' }] });
  t.same(await drain(stream), ['start gpt-b', 'text from b', 'done']);
  t.same(served(await stream.result), { index: 1, provider: 'openai', model: 'gpt-b' });
  await multi.close();
});

const UNREAD = [
  { why: 'a 429', answer: tooMany },
  // Its delta waited unread in the target's stream when it failed: it never reached the user.
  { why: 'content that failed before anyone read it', answer: { status: 200, body: chunk('gpt-a', { role: 'assistant', content: 'Hel' }) + serverError } },
];

for (const { why, answer } of UNREAD) {
  t.test(`${why}: the chain moves on from completions, the result settles with nobody iterating`, async (t) => {
    const { dispatcher, multi, chain } = chainOf();
    dispatcher.scripts.set('/a', [answer]);
    dispatcher.scripts.set('/b', [{ status: 200, body: whole('gpt-b', 'from b') }]);
    const stream = chain.stream({ messages: [{ role: 'user', content: 'hi' }] });
    t.same(served(await stream.result), { index: 1, provider: 'openai', model: 'gpt-b' });
    t.same(await drain(stream), ['start gpt-b', 'text from b', 'done'], 'then the events, of the target that answered only');
    await multi.close();
  });
}

t.test('content read before the failure: the chain stops, the error ends the stream', async (t) => {
  let response: ServerResponse | undefined;
  const server = await startLoopback((_req, res) => {
    response = res;
    res.writeHead(200, SSE_HEADERS);
    res.write(chunk('gpt-a', { role: 'assistant', content: 'Hel' }));
  });
  t.teardown(() => server.close());
  const make = (path: string) => createOpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/${path}/v1`, engine: { maxRetries: 0, governor: false } });
  const chain = createFallback([{ provider: make('a') }, { provider: make('b') }], { on: ['server'] });
  if (chain.isErr()) throw new Error(chain.error.message);
  const stream = chain.value.stream(ask('hi'));
  const iterator = stream[Symbol.asyncIterator]();
  const seen = [describe((await iterator.next()).value as StreamEvent), describe((await iterator.next()).value as StreamEvent)];
  // The delta reached the user; only now does the target fail.
  response?.end(serverError);
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) seen.push(describe(next.value));
  t.same(seen, ['start gpt-a', 'text Hel', 'error server']);
  t.equal(served(await stream.result), 'server');
  t.same(server.requests.map((req) => req.url), ['/a/v1/chat/completions'], 'the second target was never asked');
  await chain.value.cleanup();
});

t.test('every target fails: the last error, once, with its held start', async (t) => {
  const { dispatcher, multi, chain } = chainOf();
  dispatcher.scripts.set('/a', [tooMany]);
  dispatcher.scripts.set('/b', [{ status: 200, body: chunk('gpt-b', { role: 'assistant' }) + serverError }]);
  const stream = chain.stream({ messages: [{ role: 'user', content: 'hi' }] });
  t.same(await drain(stream), ['start gpt-b', 'error server']);
  const result = await stream.result;
  t.equal(result.isErr() ? (result.error as ProviderError).category : 'ok', 'server');
  await multi.close();
});

t.test('an aborted signal and a start error of the only remaining target', async (t) => {
  const { multi, chain } = chainOf();
  const aborted = new AbortController();
  aborted.abort();
  const stream = chain.stream({ messages: [{ role: 'user', content: 'hi' }] }, { signal: aborted.signal });
  t.same(await drain(stream), ['error cancelled']);
  t.equal(served(await stream.result), 'cancelled');
  await multi.close();
});
