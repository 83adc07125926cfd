// AbortSignal: aborting is cancel(); an aborted signal refuses the start; no listener is left behind.
import t, { type Test } from 'tap';
import { getEventListeners } from 'node:events';
import { Dispatcher } from 'undici';
import { createOpenAI, HttpMulti, type ChatResponse, type Provider, type ProviderError } from '../../../src/index.js';
import type { Result } from 'neverthrow';
import { startLoopback, type LoopbackServer } from '../../helpers/loopback.js';
import { ask, chatChunk } from './helpers.js';

/** A server that sends one text chunk and then nothing, so only the abort can end the stream. */
async function oneChunkThenSilence(t: Test): Promise<{ server: LoopbackServer; openai: Provider; controller: AbortController }> {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(chatChunk('first'));
  });
  t.teardown(() => server.close());
  return { server, openai: createOpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1` }), controller: new AbortController() };
}

t.test('an already-aborted signal: an immediate cancelled error from every start call', async (t) => {
  const openai = createOpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1' });
  const controller = new AbortController();
  controller.abort(new Error('user left'));
  const started = openai.startStream({ ...ask('x'), signal: controller.signal }, () => t.fail('no event'), () => t.fail('no completion'));
  t.equal(started.isErr() && started.error.category, 'cancelled');
  t.match(started.isErr() ? started.error.message : '', /aborted before it started \(user left\)/);
  const completed = await openai.complete(ask('x'), { signal: controller.signal });
  t.equal(completed.isErr() && completed.error.category, 'cancelled');
  t.equal(openai.multi.running, 0, 'nothing was registered');
  t.same(getEventListeners(controller.signal, 'abort'), []);
  await openai.cleanup();
});

t.test('aborting mid-stream: one cancelled completion, no event after, the socket released', async (t) => {
  const { server, openai, controller } = await oneChunkThenSilence(t);
  const closed = server.socketClosed();
  const events: string[] = [];
  const completions: Result<ChatResponse, ProviderError>[] = [];
  const started = openai.startStream(
    { ...ask('x'), signal: controller.signal },
    (event) => {
      events.push(event.type);
      // Aborting from inside the stream's own callback is allowed too.
      if (event.type === 'text_delta') controller.abort();
    },
    (result) => completions.push(result),
  );
  t.ok(started.isOk());
  await openai.run();
  t.same(events, ['start', 'text_delta'], 'nothing after the abort');
  t.equal(completions.length, 1);
  t.equal(completions[0]?.isErr() && completions[0].error.category, 'cancelled');
  await closed;
  t.same(getEventListeners(controller.signal, 'abort'), [], 'the listener went with the completion');
  controller.abort();
  t.equal(completions.length, 1, 'a second abort changes nothing');
  await openai.cleanup();
});

t.test('stream() with a signal: aborting ends iteration with a cancelled error event', async (t) => {
  const { openai, controller } = await oneChunkThenSilence(t);
  const stream = openai.stream(ask('x'), { signal: controller.signal });
  const events: string[] = [];
  for await (const event of stream) {
    events.push(event.type === 'error' ? `error:${event.category}` : event.type);
    if (event.type === 'text_delta') controller.abort();
  }
  t.same(events, ['start', 'text_delta', 'error:cancelled']);
  t.equal((await stream.result).isErr(), true);
  await openai.cleanup();
});

/** Answers every request at once with a whole JSON completion, without sockets. */
class InstantDispatcher extends Dispatcher {
  override dispatch(_options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const body = Buffer.from(JSON.stringify({ id: 'c', object: 'chat.completion', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }));
    const controller = { abort: () => undefined, pause: () => undefined, resume: () => undefined, aborted: false, paused: false, reason: null, rawHeaders: [], rawTrailers: [] };
    queueMicrotask(() => {
      handler.onRequestStart?.(controller as unknown as Dispatcher.DispatchController, {});
      handler.onResponseStart?.(controller as unknown as Dispatcher.DispatchController, 200, { 'content-type': 'application/json' }, 'OK');
      handler.onResponseData?.(controller as unknown as Dispatcher.DispatchController, body);
      handler.onResponseEnd?.(controller as unknown as Dispatcher.DispatchController, {});
    });
    return true;
  }
  override close(): Promise<void> {
    return Promise.resolve();
  }
  override destroy(): Promise<void> {
    return Promise.resolve();
  }
}

t.test('10,000 requests on one long-lived signal leave no listener behind', async (t) => {
  const multi = new HttpMulti({ dispatcher: new InstantDispatcher() });
  const openai = createOpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1', multi });
  const controller = new AbortController();
  let ok = 0;
  for (let batch = 0; batch < 10; batch++) {
    const results = await Promise.all(Array.from({ length: 1000 }, () => openai.complete(ask('x'), { signal: controller.signal })));
    ok += results.filter((result) => result.isOk()).length;
  }
  t.equal(ok, 10_000);
  t.equal(getEventListeners(controller.signal, 'abort').length, 0);
  await multi.close();
});
