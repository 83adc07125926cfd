import { Buffer } from 'node:buffer';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Agent } from 'undici';
import { VirtualClock } from '../../src/http/clock.js';
import { parseCassette, serializeCassette } from '../../src/vcr/cassette.js';
import { RecordingDispatcher, serializeWithoutSecrets } from '../../src/vcr/recording-dispatcher.js';
import { ReplayDispatcher } from '../../src/vcr/replay-dispatcher.js';
import { deferred, SseServer, type Deferred } from '../helpers/sse-server.js';
import { flush, run, shape } from './util.js';

const euro = Buffer.from('€', 'utf8');
const secretKey = ['sk', 'proj', 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'].join('-');

function post(origin: string, path = '/v1/chat/completions', body = '{"model":"m","stream":true}') {
  return {
    origin,
    path,
    method: 'POST' as const,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secretKey}` },
    body,
  };
}

function gates(n: number): Deferred[] {
  return Array.from({ length: n }, () => deferred());
}

t.test('record through a real Agent, replay: same callbacks, same chunk boundaries, same times', async (t) => {
  const server = await SseServer.start();
  t.teardown(() => server.close());
  const parts = [
    Buffer.from('data: {"text":"'),
    Buffer.concat([Buffer.from('h'), euro.subarray(0, 1)]),
    Buffer.concat([euro.subarray(1), Buffer.from('"}\r')]),
    Buffer.from('\n\r\ndata: [DONE]\n\n'),
  ];
  const got = gates(parts.length);
  server.respond({
    headers: { 'content-type': 'text/event-stream', 'x-request-id': 'req_1' },
    steps: parts.flatMap((part, i) => [part, { wait: got[i]!.promise }]),
  });

  const clock = new VirtualClock(1000);
  const agent = new Agent();
  t.teardown(() => agent.close());
  const recorder = new RecordingDispatcher({ dispatcher: agent, clock, name: 'rec.jsonl' });
  const live = run(recorder, post(server.origin), clock, {
    onData(_c, _chunk, i) {
      clock.advance(7); // the next chunk is recorded 7 ms later
      got[i]!.resolve();
    },
  });
  await live.done;

  t.same(
    live.events.filter((e) => e.kind === 'data').map((e) => (e.kind === 'data' ? e.bytes.toString('hex') : '')),
    parts.map((part) => part.toString('hex')),
    'each gated write arrived as its own chunk',
  );
  t.equal(recorder.inFlight, 0);
  const jsonl = recorder.toJSONL();
  t.ok(jsonl.isOk(), 'no secret left');
  const text = jsonl._unsafeUnwrap();
  t.notMatch(text, secretKey);
  t.match(text, /"authorization":"\[REDACTED\]"/);
  t.match(text, /"body":\{"model":"m","stream":true\}/);
  t.match(text, /_chunk_b64/, 'the split character is stored as base64');

  const cassette = parseCassette(text, 'rec.jsonl')._unsafeUnwrap();
  const exchange = cassette.exchanges[0]!;
  t.equal(exchange.request.url, `${server.origin}/v1/chat/completions`);
  t.same(exchange.chunks.map((chunk) => chunk.t), [0, 7, 14, 21]);
  t.same(exchange.end, { kind: 'ok', t: 28 });
  t.equal(exchange.response?.headers['x-request-id'], 'req_1');
  t.equal(exchange.response?.statusMessage, 'OK');

  const replayClock = new VirtualClock(5000);
  const replay = new ReplayDispatcher(cassette, { clock: replayClock, speed: 'recorded' });
  const again = run(replay, post(server.origin), replayClock);
  t.equal(again.syncCallbacks, 0, 'nothing inside dispatch()');
  await flush();
  replayClock.advance(100);
  await again.done;
  t.same(shape(again.events), shape(live.events), 'the same callback sequence and chunk boundaries');
  t.same(
    again.events.map((e) => e.at - 5000),
    live.events.map((e) => e.at - 1000),
    'delivered at the recorded offsets',
  );
  const response = again.events[1];
  t.equal(response?.kind === 'response' ? response.headers['x-request-id'] : undefined, 'req_1');
  t.same(again.events.at(-1)?.kind === 'end' ? again.events.at(-1) : undefined, { kind: 'end', at: 5028, trailers: {} });
  t.same(replay.unusedExchanges(), []);
});

t.test('a connection reset mid-stream is recorded and replayed with its code', async (t) => {
  const server = await SseServer.start();
  t.teardown(() => server.close());
  const got = deferred();
  server.respond({ steps: ['data: 1\n\n', { wait: got.promise }, { reset: true }] });
  const recorder = new RecordingDispatcher();
  t.teardown(() => recorder.close());
  const live = run(recorder, post(server.origin), undefined, { onData: () => got.resolve() });
  await live.done;
  t.same(shape(live.events), ['start', 'response 200', `data ${Buffer.from('data: 1\n\n').toString('base64')}`, 'error ECONNRESET']);
  const exchange = recorder.exchanges()[0]!;
  t.match(exchange.end, { kind: 'error', code: 'ECONNRESET', message: 'read ECONNRESET', started: true });

  const replay = new ReplayDispatcher({ exchanges: recorder.exchanges() }, { clock: new VirtualClock() });
  const again = run(replay, post(server.origin));
  await again.done;
  t.same(shape(again.events), shape(live.events));
  const last = again.events.at(-1);
  t.equal(last?.kind === 'error' ? last.message : '', 'read ECONNRESET');
});

t.test('a socket closed mid-stream keeps undici\'s error name', async (t) => {
  const server = await SseServer.start();
  t.teardown(() => server.close());
  const got = deferred();
  server.respond({ steps: ['data: 1\n\n', { wait: got.promise }, { destroy: true }] });
  const recorder = new RecordingDispatcher();
  t.teardown(() => recorder.close());
  await run(recorder, post(server.origin), undefined, { onData: () => got.resolve() }).done;
  const end = recorder.exchanges()[0]?.end;
  t.match(end, { kind: 'error', code: 'UND_ERR_SOCKET', name: 'SocketError' });
  const text = recorder.toJSONL()._unsafeUnwrap();
  t.match(text, /"name":"SocketError"/);
});

t.test('a refused connection: no onRequestStart and no controller, live and replayed', async (t) => {
  const server = await SseServer.start();
  const origin = server.origin;
  await server.close();
  const recorder = new RecordingDispatcher();
  t.teardown(() => recorder.close());
  const live = run(recorder, post(origin));
  await live.done;
  t.same(shape(live.events), ['error ECONNREFUSED']);
  t.match(live.events[0], { hasController: false });
  const exchange = recorder.exchanges()[0]!;
  t.equal(exchange.response, undefined);
  t.match(exchange.end, { kind: 'error', code: 'ECONNREFUSED', started: false });
  t.match(recorder.toJSONL()._unsafeUnwrap(), /"started":false/);

  const replay = new ReplayDispatcher({ exchanges: [exchange] });
  const again = run(replay, post(origin));
  await again.done;
  t.same(again.events.map(({ at: _at, ...rest }) => rest), live.events.map(({ at: _at, ...rest }) => rest));
  await replay.close();
});

t.test('a client abort is recorded as a stream that never ended', async (t) => {
  const server = await SseServer.start();
  t.teardown(() => server.close());
  server.respond({ steps: ['data: 1\n\n', { stall: true }] });
  const clock = new VirtualClock();
  const recorder = new RecordingDispatcher({ clock });
  t.teardown(() => recorder.close());
  const reason = new Error('idle timeout');
  const live = run(recorder, post(server.origin), clock, {
    onData(c) {
      clock.advance(50);
      c.abort(reason);
    },
  });
  await live.done;
  await server.exchanges[0]?.closed;
  t.ok(server.exchanges[0]?.cut, 'the server saw the socket go');
  t.same(shape(live.events).at(-1), 'error ');
  t.same(recorder.exchanges()[0]?.end, { kind: 'none', t: 50, message: 'client aborted: idle timeout' });

  const replay = new ReplayDispatcher({ exchanges: recorder.exchanges() }, { clock: new VirtualClock(), speed: 'recorded' });
  const again = run(replay, post(server.origin));
  await flush();
  t.same(shape(again.events), shape(live.events).slice(0, -1), 'everything but the end');
  t.equal(replay.active, 1, 'still waiting for the client');
  again.controller()?.abort(reason);
  await again.done;
  t.same(again.events.at(-1), { kind: 'error', at: 0, code: undefined, message: 'idle timeout', hasController: true });
  t.equal(replay.active, 0);
});

t.test('pause and resume pass straight through the recorder to undici', async (t) => {
  const server = await SseServer.start();
  t.teardown(() => server.close());
  const paused = deferred();
  server.respond({ steps: [{ wait: paused.promise }, 'data: 1\n\n'] });
  const recorder = new RecordingDispatcher();
  t.teardown(() => recorder.close());
  const live = run(recorder, post(server.origin), undefined, {
    onResponse(c) {
      c.pause();
      paused.resolve();
    },
  });
  await paused.promise;
  await flush();
  const controller = live.controller();
  t.equal(controller?.paused, true, 'the caller sees undici\'s own controller');
  t.equal(live.events.filter((e) => e.kind === 'data').length, 0, 'nothing while paused');
  controller?.resume();
  await live.done;
  t.same(shape(live.events).slice(-2), [`data ${Buffer.from('data: 1\n\n').toString('base64')}`, 'end']);
});

t.test('the recorder refuses to save a cassette that still holds a secret, and writes nothing', async (t) => {
  const server = await SseServer.start();
  t.teardown(() => server.close());
  server.respond({ steps: [`data: {"leak":"${secretKey}"}\n\n`] });
  const dir = await mkdtemp(join(tmpdir(), 'llmux-vcr-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const recorder = new RecordingDispatcher({ name: 'leaky.jsonl' });
  t.teardown(() => recorder.close());
  await run(recorder, post(server.origin)).done;
  const result = recorder.toJSONL();
  t.ok(result.isErr());
  const error = result._unsafeUnwrapErr();
  t.equal(error.kind, 'secret');
  t.match(error.message, /^refusing to save leaky\.jsonl: .*line 3, column \d+: an OpenAI API key/);
  t.notMatch(error.message, secretKey);
  t.equal(error.line, 3);
  const path = join(dir, 'leaky.jsonl');
  t.equal((await recorder.save(path))._unsafeUnwrapErr().kind, 'secret');
  await t.rejects(stat(path), 'no file written');
});

t.test('a secret split across chunks, or inside a base64 chunk, is still found', async (t) => {
  const server = await SseServer.start();
  t.teardown(() => server.close());
  const half = secretKey.length / 2;
  const got = deferred();
  server.respond({ steps: [`data: ${secretKey.slice(0, half)}`, { wait: got.promise }, `${secretKey.slice(half)}\u00e9\n\n`] });
  const recorder = new RecordingDispatcher({ name: 'split.jsonl' });
  t.teardown(() => recorder.close());
  await run(recorder, post(server.origin), undefined, { onData: () => got.resolve() }).done;
  t.equal(recorder.exchanges()[0]?.chunks.length, 2, 'the key arrived in two chunks');
  const error = recorder.toJSONL()._unsafeUnwrapErr();
  t.match(error.message, /at exchange #1 response body, line 1, column 7: an OpenAI API key/);
  t.equal(error.line, undefined);
  t.notMatch(error.message, secretKey);
});

t.test('save writes atomically, creating directories; several secrets are summarized', async (t) => {
  const server = await SseServer.start();
  t.teardown(() => server.close());
  server.respond({ steps: ['data: ok\n\n'] });
  const dir = await mkdtemp(join(tmpdir(), 'llmux-vcr-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const recorder = new RecordingDispatcher();
  t.teardown(() => recorder.close());
  await run(recorder, { ...post(server.origin), path: '/v1?key=AIzaSyB1c2D3e4F5g6H7i8J9k0LmNoPqRsTuVwX' }).done;
  const path = join(dir, 'a', 'b', 'ok.jsonl');
  t.ok((await recorder.save(path)).isOk());
  const text = await readFile(path, 'utf8');
  t.match(text, /\?key=\[REDACTED\]/);
  t.equal(parseCassette(text)._unsafeUnwrap().exchanges.length, 1);

  const blocked = await recorder.save(join(path, 'under-a-file.jsonl'));
  t.equal(blocked._unsafeUnwrapErr().kind, 'io');

  server.respond({ steps: [Array.from({ length: 5 }, (_, i) => `data: sk-${'Zq8Wx7Ec6Rv5Tb4Yn3Um2' + i}\n\n`).join('')] });
  await run(recorder, post(server.origin)).done;
  t.match(recorder.toJSONL()._unsafeUnwrapErr().message, /and 2 more$/);
});

t.test('saving while a request is in flight is an error; close and destroy reach the real dispatcher', async (t) => {
  const server = await SseServer.start();
  t.teardown(() => server.close());
  server.respond({ steps: [{ stall: true }] });
  const recorder = new RecordingDispatcher({ name: 'busy.jsonl' });
  const live = run(recorder, post(server.origin));
  await server.request(0);
  t.equal(recorder.inFlight, 1);
  const error = recorder.toJSONL()._unsafeUnwrapErr();
  t.equal(error.kind, 'in_flight');
  t.match(error.message, /busy\.jsonl: 1 exchange\(s\) still in flight/);
  await new Promise<void>((resolve) => recorder.destroy(new Error('shutting down'), resolve));
  await live.done;
  t.match(live.events.at(-1), { kind: 'error', message: 'shutting down' });
  t.equal(recorder.inFlight, 0);

  const other = new RecordingDispatcher();
  await new Promise<void>((resolve) => other.close(resolve));
  const third = new RecordingDispatcher();
  await new Promise<void>((resolve) => third.destroy(resolve));
  await third.destroy(null);
  await third.destroy();
  t.pass('every close/destroy form forwards');
});

t.test('a secret in a request body stored as base64 is found too', async (t) => {
  const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`{"key":"${secretKey}"}`)]);
  const cassette = {
    exchanges: [
      {
        request: { method: 'POST', url: 'https://x.test/upload', headers: {}, body: { kind: 'bytes' as const, bytes } },
        response: { status: 200, headers: {}, t: 1 },
        chunks: [],
        end: { kind: 'ok' as const, t: 2 },
      },
    ],
  };
  t.notMatch(serializeCassette(cassette), secretKey, 'base64 hides it from the text scan');
  const error = serializeWithoutSecrets(cassette, 'upload.jsonl')._unsafeUnwrapErr();
  t.equal(error.kind, 'secret');
  t.match(error.message, /at exchange #1 request body, line 1, column \d+: an OpenAI API key/);
  t.notMatch(error.message, secretKey);
  const clean = { exchanges: [{ ...cassette.exchanges[0]!, request: { ...cassette.exchanges[0]!.request, body: { kind: 'bytes' as const, bytes: Buffer.from([0xff, 1, 2]) } } }] };
  t.ok(serializeWithoutSecrets(clean, 'clean.jsonl').isOk(), 'harmless bytes save');
});
