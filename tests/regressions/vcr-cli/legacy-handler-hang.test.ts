/**
 * ReplayDispatcher and RecordingDispatcher only call the new-style handler callbacks
 * (onRequestStart/onResponseStart/...). undici's own APIs (request(), fetch(), stream())
 * dispatch with legacy handlers (onConnect/onHeaders/onData/onComplete/onError), which every
 * undici Dispatcher accepts. Through a VCR dispatcher they get no callback at all: the
 * request hangs forever.
 */
import { Buffer } from 'node:buffer';
import t from 'tap';
import { Agent, request, type Dispatcher } from 'undici';
import { VirtualClock } from '../../../src/http/clock.js';
import { RecordingDispatcher } from '../../../src/vcr/recording-dispatcher.js';
import { ReplayDispatcher } from '../../../src/vcr/replay-dispatcher.js';
import { startLoopback } from '../../helpers/loopback.js';

async function settledWithin<T>(promise: Promise<T>, turns: number): Promise<{ done: boolean; value?: T }> {
  let state: { done: boolean; value?: T } = { done: false };
  promise.then(
    (value) => (state = { done: true, value }),
    () => (state = { done: true }),
  );
  for (let i = 0; i < turns && !state.done; i++) await new Promise((resolve) => setImmediate(resolve));
  return state;
}

t.test('undici request() through a ReplayDispatcher gets its recorded answer', async (t) => {
  const replay = new ReplayDispatcher(
    {
      exchanges: [
        {
          request: { method: 'GET', url: 'http://vcr.test/a', headers: {} },
          response: { status: 200, headers: { 'content-type': 'text/plain' }, t: 1 },
          chunks: [{ bytes: Buffer.from('hello'), t: 2 }],
          end: { kind: 'ok', t: 3 },
        },
      ],
    },
    { clock: new VirtualClock(), speed: 'instant' },
  );
  t.teardown(() => replay.destroy());
  const answer = request('http://vcr.test/a', { dispatcher: replay }).then(async (res) => `${res.statusCode} ${await res.body.text()}`);
  const state = await settledWithin(answer, 2000);
  t.ok(state.done, 'request() settles (it hangs: the legacy handler never hears a callback)');
  t.equal(state.value, '200 hello');
});

t.test('undici request() through a RecordingDispatcher completes and is recorded', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('live');
  });
  t.teardown(() => server.close());
  const inner: Dispatcher = new Agent();
  const recorder = new RecordingDispatcher({ dispatcher: inner, clock: new VirtualClock() });
  t.teardown(() => recorder.destroy());
  const answer = request(`${server.url}/b`, { dispatcher: recorder }).then(async (res) => `${res.statusCode} ${await res.body.text()}`);
  const state = await settledWithin(answer, 200_000);
  t.ok(state.done, 'request() settles (it hangs: the legacy handler never hears a callback)');
  t.equal(state.value, '200 live');
});
