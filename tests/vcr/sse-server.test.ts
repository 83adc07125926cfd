/** The loopback server helper itself: scripts, resets, stalls, client-close and backpressure. */
import t from 'tap';
import { Agent } from 'undici';
import { deferred, SseServer } from '../helpers/sse-server.js';
import { run, shape } from './util.js';

const get = (origin: string, path = '/') => ({ origin, path, method: 'GET' as const });

t.test('scripts answer requests in order; unscripted requests get a 500; the request is visible', async (t) => {
  const server = await SseServer.start();
  t.teardown(() => server.close());
  const agent = new Agent();
  t.teardown(() => agent.close());
  server.respond({ status: 201, headers: { 'x-a': '1' }, steps: ['one'] }).respond(async (exchange) => {
    exchange.start(200, { 'content-type': 'text/plain' });
    exchange.write(exchange.body);
    exchange.end();
  });
  const first = run(agent, get(server.origin, '/a'));
  await first.done;
  t.match(first.events[1], { kind: 'response', status: 201, headers: { 'x-a': '1' } });
  const second = run(agent, { ...get(server.origin, '/b'), method: 'POST', body: 'echo me' });
  await second.done;
  t.equal(second.events.flatMap((e) => (e.kind === 'data' ? [e.bytes.toString()] : [])).join(''), 'echo me');
  const third = run(agent, get(server.origin, '/c'));
  await third.done;
  t.match(third.events[1], { kind: 'response', status: 500 });
  t.same(server.exchanges.map((e) => `${e.method} ${e.url}`), ['GET /a', 'POST /b', 'GET /c']);
  t.equal((await server.request(1)).body, 'echo me');
});

t.test('request(n) waits for the n-th request; a throwing script is recorded and the socket cut', async (t) => {
  const server = await SseServer.start();
  t.teardown(() => server.close());
  const agent = new Agent();
  t.teardown(() => agent.close());
  const arrived = server.request(0);
  server.respond(() => {
    throw new Error('script bug');
  });
  const r = run(agent, get(server.origin));
  t.equal((await arrived).url, '/');
  await r.done;
  t.equal(r.events.at(-1)?.kind, 'error');
  t.equal(server.errors.length, 1);
});

t.test('a stall ends when the client cancels; closed and cut say so', async (t) => {
  const server = await SseServer.start();
  t.teardown(() => server.close());
  const agent = new Agent();
  t.teardown(() => agent.close());
  server.respond({ steps: ['data: 1\n\n', { stall: true }] });
  const r = run(agent, get(server.origin), undefined, { onData: (c) => c.abort(new Error('cancel')) });
  await r.done;
  const exchange = await server.request(0);
  await exchange.closed;
  t.equal(exchange.cut, true);
  t.same(shape(r.events).at(-1), 'error ');
});

t.test('writes block while the client is paused, and drain after it resumes', async (t) => {
  const server = await SseServer.start();
  t.teardown(() => server.close());
  const agent = new Agent();
  t.teardown(() => agent.close());
  const blocked = deferred();
  const paused = deferred();
  // Below the 16 KiB high-water mark: a write returns false only once the kernel buffers are full.
  const big = Buffer.alloc(8 * 1024, 0x61);
  server.respond(async (exchange) => {
    exchange.start();
    await paused.promise;
    while (exchange.blockedWrites === 0) {
      exchange.write(big);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    blocked.resolve();
    await exchange.drain();
    await exchange.drain();
    exchange.end();
  });
  let bytes = 0;
  const r = run(agent, get(server.origin), undefined, {
    onResponse: (c) => {
      c.pause();
      paused.resolve();
    },
    onData: (_c, chunk) => void (bytes += chunk.length),
  });
  await blocked.promise;
  t.ok((server.exchanges[0]?.blockedWrites ?? 0) > 0, 'a write returned false');
  r.controller()?.resume();
  await r.done;
  t.ok(bytes > 0);
  t.equal(r.events.at(-1)?.kind, 'end');
  t.equal(server.exchanges[0]?.cut, false);
});
