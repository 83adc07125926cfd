import t from 'tap';
import { providerError } from '../../src/errors/category.js';
import { VirtualClock } from '../../src/http/clock.js';
import { HttpMulti, type HttpMultiOptions } from '../../src/http/multi.js';
import type { RequestHandle } from '../../src/http/types.js';
import { ManualDispatcher } from '../helpers/manual-dispatcher.js';
import { describeOutcome, ScriptedSink, type SinkScript } from '../helpers/scripted-sink.js';

const REQUEST = { method: 'POST', url: 'http://127.0.0.1:9/stream', headers: {} } as const;

function setup(options: HttpMultiOptions = {}): { multi: HttpMulti; dispatcher: ManualDispatcher; clock: VirtualClock } {
  const dispatcher = new ManualDispatcher();
  const clock = new VirtualClock();
  return { multi: new HttpMulti({ dispatcher, clock, random: () => 0, ...options }), dispatcher, clock };
}

function start(multi: HttpMulti, script: SinkScript = {}): { sink: ScriptedSink; handle: RequestHandle } {
  const sink = new ScriptedSink(script);
  const handle = multi.add(REQUEST, sink);
  if (!('id' in handle)) throw new Error(handle.message);
  return { sink, handle };
}

function pump(multi: HttpMulti): void {
  multi.perform();
  multi.infoRead();
}

t.test('a sink that fails on the 2nd chunk ends the transfer there and the socket is aborted', async (t) => {
  const { multi, dispatcher } = setup();
  const { sink } = start(multi, { onData: (_chunk, n) => (n === 2 ? providerError('protocol', { message: 'bad 2nd chunk' }) : undefined) });
  const wire = dispatcher.at(0).start().respond().data('one').data('two').data('three');
  pump(multi);
  t.same(sink.calls, ['response 200', 'data one', 'data two', 'finish failed', 'complete failed']);
  t.equal(describeOutcome(sink.outcomes[0]), 'protocol: bad 2nd chunk');
  t.equal(sink.outcomes[0]?.kind === 'failed' ? sink.outcomes[0].error.attempts : 0, 1);
  t.ok(wire.aborted, 'the attempt was aborted');
  t.equal(multi.running, 0);
  await multi.close();
});

t.test('a sink that throws from onData fails that transfer with unknown; perform() does not throw', async (t) => {
  const { multi, dispatcher } = setup();
  const { sink } = start(multi, {
    onData: () => {
      throw new Error('boom');
    },
  });
  dispatcher.at(0).start().respond().data('x');
  t.doesNotThrow(() => pump(multi));
  t.equal(describeOutcome(sink.outcomes[0]), 'unknown: a sink callback threw: boom');
  t.ok(dispatcher.at(0).aborted);
  await multi.close();
});

t.test('cancel from inside onData: nothing more is delivered, one cancelled completion, no finish', async (t) => {
  const { multi, dispatcher } = setup();
  let handle: RequestHandle | undefined;
  const started = start(multi, {
    onData: (_chunk, n) => {
      if (n === 1 && handle !== undefined) multi.cancel(handle);
      return undefined;
    },
  });
  handle = started.handle;
  dispatcher.at(0).start().respond().data('a').data('b');
  pump(multi);
  pump(multi);
  t.same(started.sink.calls, ['response 200', 'data a', 'cancel', 'complete cancelled']);
  t.ok(dispatcher.at(0).aborted);
  await multi.close();
});

t.test('onResponse refusing the response fails it before any body byte', async (t) => {
  const { multi, dispatcher } = setup();
  const { sink } = start(multi, { onResponse: () => providerError('protocol', { message: 'HTML where SSE was due' }) });
  dispatcher.at(0).start().respond(200, { 'content-type': 'text/html' }).data('<html>');
  pump(multi);
  t.same(sink.calls, ['response 200', 'finish failed', 'complete failed']);
  await multi.close();
});

t.test('an error body is collected whole, described once, and a retryable answer retries on a new attempt', async (t) => {
  const { multi, dispatcher, clock } = setup();
  const { sink } = start(multi, { describeHttpError: (status, body) => providerError('server', { message: `${status} ${body}`, retryable: true }) });
  dispatcher.at(0).start().respond(503).data('over').data('loaded').end();
  pump(multi);
  t.same(sink.calls, ['http-error 503', 'reset'], 'described from the whole body, then reset for the retry');
  t.equal(multi.timeout(), 500, 'backing off: the retry deadline is next');
  clock.advance(500);
  pump(multi);
  t.equal(dispatcher.exchanges.length, 2, 'the retry is a new dispatch');
  dispatcher.at(1).start().respond().data('fine').end();
  // A late callback of the first attempt is ignored.
  dispatcher.at(0).data('stale');
  pump(multi);
  t.same(sink.calls.slice(2), ['response 200', 'data fine', 'finish ok', 'complete ok']);
  await multi.close();
});

t.test('a throwing describeHttpError or finish ends the transfer with unknown, and the others still complete', async (t) => {
  const { multi, dispatcher } = setup();
  const describe = start(multi, {
    describeHttpError: () => {
      throw new Error('mapper bug');
    },
  });
  const finish = start(multi, {
    finish: () => {
      throw new Error('finish bug');
    },
  });
  const healthy = start(multi);
  dispatcher.at(0).start().respond(500).data('x').end();
  dispatcher.at(1).start().respond().data('y').end();
  dispatcher.at(2).start().respond().data('z').end();
  t.doesNotThrow(() => pump(multi));
  t.equal(describeOutcome(describe.sink.outcomes[0]), 'unknown: a sink callback threw: mapper bug');
  t.equal(describeOutcome(finish.sink.outcomes[0]), "unknown: the sink's finish threw: finish bug");
  t.equal(describeOutcome(healthy.sink.outcomes[0]), 'ok');
  await multi.close();
});

t.test('more bytes than the high-water mark pause the attempt; the pump resumes it', async (t) => {
  const { multi, dispatcher } = setup({ highWaterMark: 4 });
  const { sink } = start(multi);
  const wire = dispatcher.at(0).start().respond().data('12345');
  t.ok(wire.paused, 'paused while nobody pumps');
  pump(multi);
  t.notOk(wire.paused, 'resumed once the bytes were handed on');
  t.same(sink.calls, ['response 200', 'data 12345']);
  wire.end();
  pump(multi);
  t.equal(describeOutcome(sink.outcomes[0]), 'ok');
  await multi.close();
});

t.test('a sink that reports its terminal event completes at once, without the server closing', async (t) => {
  const { multi, dispatcher } = setup();
  const { sink } = start(multi, { endMarker: '[DONE]' });
  const wire = dispatcher.at(0).start().respond().data('data: x\n\n').data('data: [DONE]\n\n').data('trailing');
  pump(multi);
  t.same(sink.calls, ['response 200', 'data data: x\n\n', 'data data: [DONE]\n\n', 'finish ok', 'complete ok'], 'nothing after the terminal event');
  t.ok(wire.aborted, 'the socket is released');
  t.equal(multi.running, 0);
  await multi.close();
});

t.test('a network error after connecting is retried when nothing was delivered, never after', async (t) => {
  const { multi, dispatcher, clock } = setup();
  let delivered = false;
  const { sink } = start(multi, { delivered: () => delivered });
  dispatcher.at(0).start().fail(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
  pump(multi);
  t.equal(sink.outcomes.length, 0, 'backing off');
  clock.advance(multi.timeout());
  pump(multi);
  dispatcher.at(1).start().respond().data('a');
  pump(multi);
  delivered = true;
  dispatcher.at(1).fail(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
  pump(multi);
  t.match(describeOutcome(sink.outcomes[0]), /^network: connection reset by peer talking to 127\.0\.0\.1:9 \(after connecting, ECONNRESET\)/);
  t.equal(sink.outcomes[0]?.kind === 'failed' ? sink.outcomes[0].error.attempts : 0, 2);
  await multi.close();
});

t.test('a throwing onCancel is reported; the transfer still ends cancelled', async (t) => {
  const reported: unknown[] = [];
  const { multi } = setup({ onCallbackError: (error) => reported.push(error) });
  const { sink, handle } = start(multi, {
    onCancel: () => {
      throw new Error('cancel bug');
    },
  });
  t.equal(multi.cancel(handle), true);
  multi.infoRead();
  t.equal(describeOutcome(sink.outcomes[0]), 'cancelled');
  t.equal(reported.length, 1);
  await multi.close();
});

t.test('a dispatcher that throws inside dispatch() fails that attempt like a network error', async (t) => {
  const { multi, dispatcher } = setup({ maxRetries: 0 });
  dispatcher.dispatch = () => {
    throw Object.assign(new Error('invalid method'), { code: 'UND_ERR_INVALID_ARG' });
  };
  const { sink } = start(multi);
  pump(multi);
  t.match(describeOutcome(sink.outcomes[0]), /^invalid_arg: the HTTP client refused the request as malformed/);
  await multi.close();
});

t.test('a transfer its total deadline ended is finished by the next pump, or by close() if that comes first', async (t) => {
  const { multi, dispatcher, clock } = setup();
  const pumped = new ScriptedSink();
  multi.add(REQUEST, pumped, { timeouts: { totalMs: 100 } });
  const closed = new ScriptedSink();
  multi.add(REQUEST, closed, { timeouts: { totalMs: 200 } });
  dispatcher.at(0).start().respond().data('late');
  clock.advance(100);
  t.ok(dispatcher.at(0).aborted, 'the attempt is aborted when the deadline fires');
  t.same(pumped.calls, [], 'no sink callback outside a pump');
  pump(multi);
  t.same(pumped.calls, ['finish failed', 'complete failed']);
  t.match(describeOutcome(pumped.outcomes[0]), /\(total timeout\)$/);
  clock.advance(100);
  await multi.close();
  multi.infoRead();
  t.match(describeOutcome(closed.outcomes[0]), /\(total timeout\)$/, 'close() keeps its completion');
});
