/**
 * Old-style handlers (onConnect / onHeaders / onData / onComplete / onError), as undici's own
 * request(), fetch() and stream() pass them, through both VCR dispatchers.
 */
import { Buffer } from 'node:buffer';
import t from 'tap';
import { Agent, fetch, type Dispatcher } from 'undici';
import { VirtualClock } from '../../src/http/clock.js';
import type { Exchange } from '../../src/vcr/cassette.js';
import { isLegacyHandler, rawHeaderPairs, toControllerHandler } from '../../src/vcr/legacy-handler.js';
import { RecordingDispatcher } from '../../src/vcr/recording-dispatcher.js';
import { NO_MATCH_CODE, ReplayDispatcher } from '../../src/vcr/replay-dispatcher.js';
import { startLoopback } from '../helpers/loopback.js';
import { flush } from './util.js';

function plain(body: string[], headers: Record<string, string | readonly string[]> = { 'content-type': 'text/plain' }): Exchange {
  return {
    request: { method: 'GET', url: 'http://vcr.test/a', headers: {} },
    response: { status: 200, headers, t: 1 },
    chunks: body.map((text, i) => ({ bytes: Buffer.from(text), t: 2 + i })),
    end: { kind: 'ok', t: 9 },
  };
}

const GET: Dispatcher.DispatchOptions = { origin: 'http://vcr.test', path: '/a', method: 'GET', headers: {} };

interface LegacyLog {
  readonly calls: string[];
  readonly handler: Dispatcher.DispatchHandler;
  readonly done: Promise<void>;
  abort?: (reason?: Error) => void;
  resume?: () => void;
  context?: unknown;
}

/** A legacy handler that logs; `pauseOnData` returns false from onData (backpressure) for those chunk indexes. */
function legacy(options: { pauseOnHeaders?: boolean; pauseOnData?: readonly number[] } = {}): LegacyLog {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let dataIndex = 0;
  const log: LegacyLog = {
    calls: [],
    done,
    handler: {
      onConnect(abort: (reason?: Error) => void, context?: unknown) {
        log.calls.push('connect');
        log.abort = abort;
        log.context = context;
      },
      onResponseStarted() {
        log.calls.push('started');
      },
      onHeaders(status, rawHeaders, resume, statusText) {
        log.calls.push(`headers ${status} ${statusText} ${rawHeaders.map((item) => String(item)).join(',')}`);
        log.resume = resume;
        return options.pauseOnHeaders !== true;
      },
      onData(chunk) {
        log.calls.push(`data ${chunk.toString()}`);
        return !(options.pauseOnData ?? []).includes(dataIndex++);
      },
      onComplete(trailers) {
        log.calls.push(`complete ${JSON.stringify(trailers)}`);
        finish();
      },
      onError(error) {
        log.calls.push(`error ${(error as Error & { code?: string }).code ?? error.name}: ${error.message}`);
        finish();
      },
    },
  };
  return log;
}

t.test('which handlers are adapted', async (t) => {
  const old = legacy().handler;
  t.ok(isLegacyHandler(old));
  t.not(toControllerHandler(old), old, 'an old-style handler gets an adapter');
  const modern: Dispatcher.DispatchHandler = { onResponseError: () => undefined };
  t.notOk(isLegacyHandler(modern), 'any new-style callback makes it new-style, even without onRequestStart');
  t.equal(toControllerHandler(modern), modern);
  t.ok(isLegacyHandler({}), 'a handler with no callbacks at all is harmless either way');
});

t.test('raw header pairs as old handlers expect them', async (t) => {
  const raw = rawHeaderPairs({ 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'], gone: undefined });
  t.equal(raw.length, 4, 'name, value pairs; undefined values dropped');
  t.ok(Buffer.isBuffer(raw[0]) && Buffer.isBuffer(raw[1]));
  t.equal(String(raw[1]), 'text/plain');
  const repeated = raw[3] as unknown as Buffer[];
  t.ok(Array.isArray(repeated) && repeated.every((item) => Buffer.isBuffer(item)), 'a repeated header is an array of Buffers');
  t.same(repeated.map(String), ['a=1', 'b=2']);
  t.same(rawHeaderPairs({}), []);
});

t.test('replay: every old-style callback, in order, with the context', async (t) => {
  const replay = new ReplayDispatcher({ exchanges: [plain(['he', 'llo'])] }, { clock: new VirtualClock() });
  t.teardown(() => replay.destroy());
  const log = legacy();
  t.equal(replay.dispatch(GET, log.handler), true);
  await log.done;
  t.same(log.calls, ['connect', 'started', 'headers 200  content-type,text/plain', 'data he', 'data llo', 'complete []']);
  t.equal(log.context, undefined, 'the context undici gives onRequestStart is passed on');
});

t.test('replay: returning false pauses; the resume callback goes on', async (t) => {
  const replay = new ReplayDispatcher({ exchanges: [plain(['a', 'b', 'c'])] }, { clock: new VirtualClock() });
  t.teardown(() => replay.destroy());
  const log = legacy({ pauseOnHeaders: true, pauseOnData: [0] });
  replay.dispatch(GET, log.handler);
  await flush();
  t.same(log.calls.slice(-1), ['headers 200  content-type,text/plain'], 'onHeaders returned false: paused');
  log.resume?.();
  await flush();
  t.same(log.calls.slice(-1), ['data a'], 'onData returned false: paused again');
  log.resume?.();
  await log.done;
  t.same(log.calls.slice(-3), ['data b', 'data c', 'complete []']);
});

t.test('replay: abort from onConnect ends it with onError', async (t) => {
  const replay = new ReplayDispatcher({ exchanges: [plain(['a']), plain(['b'])] }, { clock: new VirtualClock() });
  t.teardown(() => replay.destroy());
  const first = legacy();
  replay.dispatch(GET, first.handler);
  await flush(1);
  first.abort?.(new Error('changed my mind'));
  await first.done;
  t.same(first.calls, ['connect', 'error Error: changed my mind']);
  const second = legacy();
  replay.dispatch(GET, second.handler);
  await flush(1);
  second.abort?.();
  await second.done;
  t.same(second.calls, ['connect', 'error UND_ERR_ABORTED: Request aborted'], 'no reason: undici\'s RequestAbortedError');
});

t.test('replay: a request that matches nothing reaches onError', async (t) => {
  const replay = new ReplayDispatcher({ exchanges: [] }, { clock: new VirtualClock() });
  t.teardown(() => replay.destroy());
  const log = legacy();
  replay.dispatch(GET, log.handler);
  await log.done;
  t.equal(log.calls.length, 1);
  t.match(log.calls[0], new RegExp(`^error ${NO_MATCH_CODE}: VCR: `));
});

t.test('fetch() through a ReplayDispatcher: status, repeated headers and the streamed body', async (t) => {
  // GET: fetch() hands a request body over as a stream, which the cassette cannot compare.
  const headers = { 'content-type': 'text/event-stream', 'x-many': ['a', 'b'] };
  const replay = new ReplayDispatcher({ exchanges: [plain(['data: 1\n\n', 'data: 2\n\n'], headers)] }, { clock: new VirtualClock() });
  t.teardown(() => replay.destroy());
  const response = await fetch('http://vcr.test/a', { dispatcher: replay });
  t.equal(response.status, 200);
  t.equal(response.headers.get('x-many'), 'a, b');
  t.equal(await response.text(), 'data: 1\n\ndata: 2\n\n');
  t.same(replay.unusedExchanges(), []);
});

t.test('fetch() through a RecordingDispatcher is answered and recorded', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('one,');
    res.end('two');
  });
  t.teardown(() => server.close());
  const recorder = new RecordingDispatcher({ dispatcher: new Agent(), clock: new VirtualClock() });
  t.teardown(() => recorder.destroy());
  const response = await fetch(`${server.url}/c`, { dispatcher: recorder });
  t.equal(await response.text(), 'one,two');
  const [exchange] = recorder.exchanges();
  t.equal(exchange?.response?.status, 200);
  t.equal(Buffer.concat(exchange?.chunks.map((chunk) => chunk.bytes) ?? []).toString(), 'one,two');
  t.same(exchange?.end, { kind: 'ok', t: 0 });
});
