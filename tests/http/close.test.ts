import t from 'tap';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../../src/http/clock.js';
import { HttpMulti } from '../../src/http/multi.js';
import { fakeStream } from '../helpers/fake-adapter.js';
import { fakeProvider, HELLO, record } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';
import { BlackHoleDispatcher } from '../helpers/stub-dispatcher.js';
import { outcomeSink } from '../helpers/outcome-sink.js';
import { startStuckListener } from '../helpers/stuck-listener.js';

t.test('close() leaves no open handle: the process exits by itself', async (t) => {
  // The child also has a request whose connect never completes: close() must destroy it too.
  const stuck = await startStuckListener();
  t.teardown(() => stuck.close());
  const child = spawn(process.execPath, [fileURLToPath(new URL('./fixtures/close-child.js', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, STUCK_URL: stuck.url },
  });
  let out = '';
  child.stdout.on('data', (part: Buffer) => (out += part.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  t.equal(code, 0, 'the child exited on its own (tap would time out otherwise)');
  const report = JSON.parse(out) as { events: number; left: string[] };
  t.same(report.left, [], 'no socket, timer or server left');
});

t.test('after close, start calls fail cleanly and close is idempotent', async (t) => {
  const provider = fakeProvider('http://127.0.0.1:9', { dispatcher: new BlackHoleDispatcher() });
  await provider.cleanup();
  await provider.cleanup();
  const started = provider.startStream(HELLO, () => undefined, () => undefined);
  t.ok(started.isErr());
  t.match(started.isErr() ? started.error.message : '', /closed/);
});

t.test('notify runs outside start calls, once per batch of ready work; autoPump drives the engine', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    res.end(fakeStream(['auto']));
  });
  let notified = 0;
  let insideStart = false;
  const provider = fakeProvider(server.url, {
    notify: () => {
      notified++;
      t.notOk(insideStart, 'never inside a start call');
    },
  });
  const stop = provider.multi.autoPump();
  insideStart = true;
  const run = record(provider);
  insideStart = false;
  await new Promise<void>((resolve) => {
    const check = (): void => (run.completions.length > 0 ? resolve() : void setImmediate(check));
    check();
  });
  t.ok(run.completions[0]?.isOk(), 'completed without an explicit pump');
  t.ok(notified >= 1);
  stop();
  await provider.cleanup();
  await server.close();
});

t.test('wait() resolves at once when idle, on its timeout, or when closed', async (t) => {
  const clock = new VirtualClock();
  const multi = new HttpMulti({ clock, dispatcher: new BlackHoleDispatcher() });
  await multi.wait(1_000);
  t.pass('nothing running: resolves at once');
  const provider = fakeProvider('http://127.0.0.1:9', { clock, dispatcher: new BlackHoleDispatcher() });
  record(provider);
  let woke = false;
  const waiting = provider.wait(500).then(() => (woke = true));
  clock.advance(499);
  await Promise.resolve();
  t.equal(woke, false);
  clock.advance(1);
  await waiting;
  t.equal(woke, true, 'woke on its own timeout, on the virtual clock');
  const forever = provider.wait(-1);
  await provider.cleanup();
  await forever;
  t.pass('close wakes a waiter');
  await multi.close();
});

t.test('an invalid or non-http URL is an immediate error', async (t) => {
  const multi = new HttpMulti({ dispatcher: new BlackHoleDispatcher() });
  const sink = outcomeSink();
  const bad = multi.add({ method: 'POST', url: 'not a url?key=SECRET', headers: {} }, sink);
  t.ok('category' in bad && bad.category === 'invalid_arg');
  t.notMatch('message' in bad ? bad.message : '', /SECRET/, 'a key in the URL is redacted');
  const ftp = multi.add({ method: 'POST', url: 'ftp://example.com/x', headers: {} }, sink);
  t.match('message' in ftp ? ftp.message : '', /only http and https/);
  await multi.close();
});
