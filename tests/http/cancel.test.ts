import t from 'tap';
import type { ServerResponse } from 'node:http';
import { VirtualClock } from '../../src/http/clock.js';
import { fakeProvider, ioTurn, pumpUntil, record } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';
import { BlackHoleDispatcher } from '../helpers/stub-dispatcher.js';

t.test('cancel mid-stream: no callback after it, one cancelled completion, socket closed', async (t) => {
  let response: ServerResponse | undefined;
  const server = await startLoopback((_req, res) => {
    response = res;
    res.writeHead(200, SSE_HEADERS);
    res.write('data: {"text":"one"}\n\n');
  });
  const provider = fakeProvider(server.url, { clock: new VirtualClock() });
  const run = record(provider);
  await pumpUntil(provider, () => run.events.length === 2);
  // Bytes that arrive after cancel must never surface.
  response?.write('data: {"text":"two"}\n\n');
  const closed = server.socketClosed();
  t.equal(provider.cancel(run.handle), true);
  t.equal(provider.cancel(run.handle), false, 'a second cancel is a no-op');
  await closed;
  t.pass('the server saw the socket close');
  for (let i = 0; i < 3; i++) {
    await ioTurn();
    provider.perform();
  }
  provider.infoRead();
  t.equal(run.events.length, 2, 'no event after cancel');
  t.equal(run.completions.length, 1);
  t.equal(run.completions[0]?.isErr() ? run.completions[0].error.category : '', 'cancelled');
  provider.infoRead();
  t.equal(run.completions.length, 1, 'exactly one completion');
  await provider.cleanup();
  await server.close();
});

t.test('cancel before connecting, and cancel of a queued transfer', async (t) => {
  const dispatcher = new BlackHoleDispatcher();
  const provider = fakeProvider('http://127.0.0.1:9', { dispatcher, maxInFlight: 1 });
  const first = record(provider);
  const second = record(provider);
  const third = record(provider);
  t.ok(provider.cancel(second.handle), 'queued transfer cancelled');
  t.ok(provider.cancel(first.handle), 'connecting transfer cancelled');
  t.equal(dispatcher.dispatched, 2, 'the slot went to the third, not the cancelled second');
  provider.infoRead();
  t.equal(first.completions[0]?.isErr() ? first.completions[0].error.category : '', 'cancelled');
  t.equal(second.completions[0]?.isErr() ? second.completions[0].error.category : '', 'cancelled');
  t.equal(third.completions.length, 0);
  t.equal(provider.cancelAll(), 1);
  provider.infoRead();
  t.equal(third.completions.length, 1);
  t.equal(provider.cancel({ id: 999 }), false, 'unknown handles are ignored');
  await provider.cleanup();
});

t.test('a callback may cancel its own stream from inside perform()', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    res.write('data: {"text":"a"}\n\ndata: {"text":"b"}\n\ndata: {"text":"c"}\n\n');
  });
  const provider = fakeProvider(server.url);
  const seen: string[] = [];
  const completions: string[] = [];
  const started = provider.startStream(
    { messages: [{ role: 'user', content: 'x' }] },
    (event) => {
      seen.push(event.type === 'text_delta' ? event.text : event.type);
      if (event.type === 'text_delta' && event.text === 'a' && started.isOk()) provider.cancel(started.value);
    },
    (result) => completions.push(result.isErr() ? result.error.category : 'ok'),
  );
  await pumpUntil(provider, () => completions.length > 0);
  t.same(seen, ['start', 'a'], 'nothing after the cancelling callback');
  t.same(completions, ['cancelled']);
  await provider.cleanup();
  await server.close();
});

t.test('a throwing onEvent stops its request with an unknown error, the pump survives', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    res.end('data: {"text":"a"}\n\ndata: [DONE]\n\n');
  });
  const provider = fakeProvider(server.url);
  const completions: string[] = [];
  provider.startStream(
    { messages: [{ role: 'user', content: 'x' }] },
    (event) => {
      if (event.type === 'text_delta') throw new Error('user bug');
    },
    (result) => completions.push(result.isErr() ? result.error.message : 'ok'),
  );
  const healthy = record(provider);
  await provider.run();
  t.match(completions[0] ?? '', /onEvent callback threw: user bug/);
  t.ok(healthy.completions[0]?.isOk(), 'other streams are unaffected');
  await provider.cleanup();
  await server.close();
});

t.test('a throwing completion callback is reported, and later completions still run', async (t) => {
  const dispatcher = new BlackHoleDispatcher();
  const reported: unknown[] = [];
  const provider = fakeProvider('http://127.0.0.1:9', { dispatcher, onCallbackError: (error) => reported.push(error) });
  let later = 0;
  const first = provider.startStream({ messages: [{ role: 'user', content: 'x' }] }, () => undefined, () => {
    throw new Error('completion bug');
  });
  const second = provider.startStream({ messages: [{ role: 'user', content: 'x' }] }, () => undefined, () => later++);
  t.ok(first.isOk() && second.isOk());
  provider.cancelAll();
  t.equal(provider.infoRead(), 2);
  t.equal(reported.length, 1);
  t.equal(later, 1);
  await provider.cleanup();
});
