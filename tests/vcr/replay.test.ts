import { Buffer } from 'node:buffer';
import t from 'tap';
import type { Dispatcher } from 'undici';
import { RealClock, VirtualClock } from '../../src/http/clock.js';
import type { Exchange } from '../../src/vcr/cassette.js';
import { stallAfterEvent } from '../../src/vcr/faults.js';
import { NO_MATCH_CODE, ReplayDispatcher } from '../../src/vcr/replay-dispatcher.js';
import { chatBody, chunks, dispatchOptions, flush, run, shape, sseExchange } from './util.js';

/** Three events at 100, 250 and 400 ms; response at 10 ms; end at 401 ms. */
function timed(): Exchange {
  return sseExchange(chunks(['data: 1\n\n', 100], ['data: 2\n\n', 250], ['data: 3\n\n', 400]));
}

const times = (events: ReturnType<typeof run>['events']): Array<[string, number]> => events.map((e) => [e.kind, e.at]);

t.test('instant: everything asynchronously, in order, with no virtual time passing', async (t) => {
  const clock = new VirtualClock();
  const replay = new ReplayDispatcher({ exchanges: [timed()] }, { clock });
  const r = run(replay, dispatchOptions(), clock);
  t.equal(r.dispatched, true);
  t.equal(r.syncCallbacks, 0);
  t.equal(r.events.length, 0, 'nothing inside dispatch()');
  await new Promise<void>((resolve) => setImmediate(resolve));
  t.equal(r.events.length, 1, 'one callback per macrotask, like socket reads');
  await r.done;
  t.same(times(r.events), [['start', 0], ['response', 0], ['data', 0], ['data', 0], ['data', 0], ['end', 0]]);
  t.same(
    r.events.flatMap((e) => (e.kind === 'data' ? [e.bytes.toString()] : [])),
    ['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n'],
  );
  t.equal(clock.pending, 0, 'no timers used');
});

t.test('recorded: each callback at its recorded offset on the virtual clock', async (t) => {
  const clock = new VirtualClock(1000);
  const replay = new ReplayDispatcher({ exchanges: [timed()] }, { clock, speed: 'recorded' });
  const r = run(replay, dispatchOptions(), clock);
  await flush();
  t.same(times(r.events), [['start', 1000]], 'only what is due now');
  clock.advance(99);
  t.same(times(r.events).slice(1), [['response', 1010]]);
  clock.advance(1);
  t.same(times(r.events).at(-1), ['data', 1100]);
  clock.advance(1000);
  await r.done;
  t.same(times(r.events), [['start', 1000], ['response', 1010], ['data', 1100], ['data', 1250], ['data', 1400], ['end', 1401]]);
});

t.test('a number scales time: 2 is twice as fast, 0.5 half as fast', async (t) => {
  for (const [speed, expected] of [
    [2, [0, 5, 50, 125, 200, 200.5]],
    [0.5, [0, 20, 200, 500, 800, 802]],
    [0, [0, 10, 100, 250, 400, 401]],
  ] as const) {
    const clock = new VirtualClock();
    const replay = new ReplayDispatcher({ exchanges: [timed()] }, { clock, speed });
    const r = run(replay, dispatchOptions(), clock);
    await flush();
    clock.advance(10_000);
    await r.done;
    t.same(r.events.map((e) => e.at), expected, `speed ${speed}`);
  }
});

t.test('chunks due at the same moment are delivered in one go, in order', async (t) => {
  const clock = new VirtualClock();
  const exchange = sseExchange(chunks(['a', 20], ['b', 20], ['c', 20]), chatBody(), 20);
  const replay = new ReplayDispatcher({ exchanges: [exchange] }, { clock, speed: 'recorded' });
  const r = run(replay, dispatchOptions(), clock);
  await flush();
  clock.advance(20);
  await r.done;
  t.same(shape(r.events).slice(2), ['data YQ==', 'data Yg==', 'data Yw==', 'end']);
  t.same(r.events.map((e) => e.at), [0, 10, 20, 20, 20, 20]);
});

t.test('pause stops delivery; resume delivers what came due, then keeps the schedule', async (t) => {
  const clock = new VirtualClock();
  const replay = new ReplayDispatcher({ exchanges: [timed()] }, { clock, speed: 'recorded' });
  const r = run(replay, dispatchOptions(), clock, { onData: (c, _chunk, i) => i === 0 && c.pause() });
  await flush();
  clock.advance(300);
  t.equal(r.controller()?.paused, true);
  t.same(times(r.events).at(-1), ['data', 100], 'paused after the first chunk; the second (250) waits');
  r.controller()?.resume();
  r.controller()?.resume();
  t.equal(r.events.length, 3, 'resume never delivers synchronously');
  await flush();
  t.same(times(r.events).at(-1), ['data', 300], 'the overdue chunk arrives at once');
  clock.advance(101);
  await r.done;
  t.same(times(r.events).slice(-2), [['data', 400], ['end', 401]], 'the rest on schedule');
});

t.test('pause and resume in instant mode, and pause before the headers', async (t) => {
  const replay = new ReplayDispatcher({ exchanges: [timed()] });
  const r = run(replay, dispatchOptions(), undefined, { onStart: (c) => c.pause() });
  await flush();
  t.same(shape(r.events), ['start']);
  r.controller()?.resume();
  await r.done;
  t.equal(r.events.length, 6);
});

t.test('abort stops at once and delivers onResponseError with the reason, synchronously', async (t) => {
  const clock = new VirtualClock();
  const replay = new ReplayDispatcher({ exchanges: [timed(), timed()] }, { clock, speed: 'recorded' });
  const reason = new Error('cancelled by user');
  let afterAbort = 0;
  const r = run(replay, dispatchOptions(), clock, {
    onData(c) {
      c.abort(reason);
      afterAbort = r.events.length;
    },
  });
  await flush();
  clock.advance(1000);
  await r.done;
  t.same(shape(r.events).slice(-1), ['error ']);
  t.equal(afterAbort, 4, 'the error came inside abort()');
  const controller = r.controller();
  t.equal(controller?.aborted, true);
  t.equal(controller?.reason, reason);
  t.match(r.events.at(-1), { message: 'cancelled by user', hasController: true });
  controller?.abort(new Error('again'));
  controller?.pause();
  controller?.resume();
  await flush();
  t.equal(r.events.length, 4, 'nothing after the error');
  t.equal(clock.pending, 0, 'its timer was cleared');

  const second = run(replay, dispatchOptions(), clock, { onStart: (c) => (c as { abort(reason?: Error): void }).abort() });
  await second.done;
  t.match(second.events.at(-1), { kind: 'error', code: 'UND_ERR_ABORTED', message: 'Request aborted' });
});

t.test('abort after the end is a no-op', async (t) => {
  const replay = new ReplayDispatcher({ exchanges: [timed()] });
  const r = run(replay, dispatchOptions());
  await r.done;
  r.controller()?.abort(new Error('late'));
  t.equal(r.events.at(-1)?.kind, 'end');
  t.equal(r.controller()?.aborted, false);
});

t.test('a handler that throws is aborted with its error, as undici does; a throwing onResponseError is contained', async (t) => {
  const replay = new ReplayDispatcher({ exchanges: [timed(), timed()] });
  const r = run(replay, dispatchOptions(), undefined, {
    onData() {
      throw new Error('handler bug');
    },
  });
  await r.done;
  t.match(r.events.at(-1), { kind: 'error', message: 'handler bug' });

  const thrower: Dispatcher.DispatchHandler = {
    onResponseData() {
      throw 'not an error';
    },
    onResponseError() {
      throw new Error('worse');
    },
  };
  replay.dispatch(dispatchOptions(), thrower);
  await flush();
  t.equal(replay.active, 0, 'the playback ended');
});

t.test('a recorded error replays with its code, name and message', async (t) => {
  const exchange: Exchange = {
    ...timed(),
    end: { kind: 'error', t: 401, code: 'UND_ERR_SOCKET', name: 'SocketError', message: 'other side closed', started: true },
  };
  const replay = new ReplayDispatcher({ exchanges: [exchange, exchange] });
  let name = '';
  const r = run(replay, dispatchOptions());
  replay.dispatch(dispatchOptions(), { onResponseError: (_c, error) => (name = error.name) });
  await r.done;
  t.same(shape(r.events).slice(-1), ['error UND_ERR_SOCKET']);
  t.match(r.events.at(-1), { message: 'other side closed', hasController: true });
  await flush();
  t.equal(name, 'SocketError');
});

t.test('a request that matches nothing fails loudly, asynchronously, and is kept for inspection', async (t) => {
  const replay = new ReplayDispatcher({ exchanges: [timed()] }, { name: 'vcr-fixtures/openai/x.jsonl' });
  const r = run(replay, dispatchOptions(chatBody({ model: 'gpt-5' })));
  t.equal(r.syncCallbacks, 0);
  await r.done;
  t.same(shape(r.events), [`error ${NO_MATCH_CODE}`]);
  t.match(r.events[0], {
    hasController: false,
    message: /^VCR in vcr-fixtures\/openai\/x\.jsonl: no recorded exchange matches POST .*; nearest is exchange #1 .*: body\.model: recorded "gpt-4o-mini", got "gpt-5"$/,
  });
  t.equal(replay.unmatched.length, 1);
  t.match(replay.unmatched[0], { request: { method: 'POST' }, message: /nearest is exchange #1/ });
  t.same(replay.unusedExchanges().map((u) => u.index), [0]);

  const ok = run(replay, dispatchOptions());
  await ok.done;
  t.same(replay.unusedExchanges(), []);
  const noName = new ReplayDispatcher({ exchanges: [] });
  const none = run(noName, dispatchOptions());
  await none.done;
  t.match(none.events[0], { message: /^VCR: no recorded exchange matches .*the cassette is empty$/ });
});

t.test('repeated identical requests take successive exchanges (a 429, then the 200)', async (t) => {
  const limited: Exchange = {
    ...timed(),
    response: { status: 429, headers: { 'retry-after': '1' }, t: 5 },
    chunks: chunks(['{"error":{"message":"slow down"}}', 6]),
  };
  const replay = new ReplayDispatcher({ exchanges: [limited, timed()] }, { ignoreBodyFields: ['user'] });
  const first = run(replay, dispatchOptions(chatBody({ user: 'a' })));
  const second = run(replay, dispatchOptions());
  await Promise.all([first.done, second.done]);
  t.match(first.events[1], { kind: 'response', status: 429, headers: { 'retry-after': '1' } });
  t.match(second.events[1], { kind: 'response', status: 200 });
});

t.test('faults apply to every exchange, or per exchange through a function', async (t) => {
  const clock = new VirtualClock();
  const replay = new ReplayDispatcher({ exchanges: [timed()] }, { clock, faults: [{ kind: 'stall_after_event', event: 1 }] });
  const r = run(replay, dispatchOptions(), clock);
  await flush();
  t.same(shape(r.events), ['start', 'response 200', `data ${Buffer.from('data: 1\n\n').toString('base64')}`]);
  t.equal(replay.active, 1, 'stalled: the client must time out');
  r.controller()?.abort(new Error('idle timeout'));
  await r.done;

  const seen: number[] = [];
  const perExchange = new ReplayDispatcher(
    { exchanges: [timed(), timed()] },
    { faults: (exchange, index) => (seen.push(index), index === 1 ? stallAfterEvent(exchange, 0) : exchange) },
  );
  const a = run(perExchange, dispatchOptions());
  await a.done;
  const b = run(perExchange, dispatchOptions());
  await flush();
  t.same(seen, [0, 1]);
  t.equal(a.events.length, 6);
  t.same(shape(b.events), ['start', 'response 200']);
  await perExchange.destroy();
  t.match(b.events.at(-1), { kind: 'error', code: 'UND_ERR_DESTROYED' });
});

t.test('close waits for what is in flight and refuses new requests; destroy aborts', async (t) => {
  const clock = new VirtualClock();
  const replay = new ReplayDispatcher({ exchanges: [timed(), timed()] }, { clock, speed: 'recorded' });
  const r = run(replay, dispatchOptions(), clock);
  let closed = false;
  const closing = replay.close().then(() => (closed = true));
  const refused = run(replay, dispatchOptions(), clock);
  t.equal(refused.dispatched, false);
  t.equal(refused.syncCallbacks, 0);
  await refused.done;
  t.match(refused.events, [{ kind: 'error', code: 'UND_ERR_CLOSED', hasController: false }]);
  await flush();
  t.equal(closed, false, 'still playing');
  clock.advance(1000);
  await closing;
  t.equal(r.events.at(-1)?.kind, 'end');
  await new Promise<void>((resolve) => replay.close(resolve));

  const other = new ReplayDispatcher({ exchanges: [timed()] }, { clock, speed: 'recorded' });
  const cut = run(other, dispatchOptions(), clock);
  await flush();
  const reason = new Error('shutdown');
  await new Promise<void>((resolve) => other.destroy(reason, resolve));
  t.match(cut.events.at(-1), { kind: 'error', message: 'shutdown' });
  const late = run(other, dispatchOptions(), clock);
  await late.done;
  t.match(late.events, [{ kind: 'error', code: 'UND_ERR_DESTROYED' }]);
  await new Promise<void>((resolve) => other.destroy(resolve));
  await other.destroy(null);
});

t.test('on a real clock the replay holds the process open while it plays, and lets go after', async (t) => {
  const replay = new ReplayDispatcher({ exchanges: [timed()] }, { clock: new RealClock() });
  const r = run(replay, dispatchOptions());
  t.equal(replay.active, 1);
  await r.done;
  t.equal(replay.active, 0);
  const held = new ReplayDispatcher({ exchanges: [timed()] }, { clock: new VirtualClock(), holdProcess: true, speed: 'recorded' });
  const h = run(held, dispatchOptions());
  await flush();
  t.equal(held.active, 1);
  await held.destroy();
  await h.done;
  t.equal(held.active, 0);
});
