import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { HttpMulti } from '../../src/http/multi.js';
import { ManualDispatcher } from '../helpers/manual-dispatcher.js';
import { describeOutcome, ScriptedSink } from '../helpers/scripted-sink.js';

/**
 * perform() took the ready list, cleared it, and pumped each transfer after marking it not
 * ready only as it reached it. A sink callback that threw (a parser calling JSON.stringify
 * on a 7,000-level value, a host bug) escaped perform(): the throwing transfer never got a
 * completion (cancel() on it returned false afterwards, so nothing could end it), and every
 * transfer behind it in the same batch stayed marked ready but outside the ready list, so
 * none of them was ever pumped again.
 */
t.test('a throw from one sink ends that transfer alone; the rest of the batch completes', async (t) => {
  const dispatcher = new ManualDispatcher();
  const multi = new HttpMulti({ dispatcher, clock: new VirtualClock() });
  const thrower = new ScriptedSink({
    onData: () => {
      throw new RangeError('Maximum call stack size exceeded');
    },
  });
  const others = [new ScriptedSink(), new ScriptedSink(), new ScriptedSink()];
  for (const sink of [thrower, ...others]) multi.add({ method: 'POST', url: 'http://127.0.0.1:9/', headers: {} }, sink);
  dispatcher.exchanges.forEach((exchange) => exchange.start().respond().data('body').end());

  t.doesNotThrow(() => multi.perform(), 'nothing escapes perform()');
  t.doesNotThrow(() => multi.infoRead(), 'nothing escapes infoRead()');
  t.equal(describeOutcome(thrower.outcomes[0]), 'unknown: a sink callback threw: Maximum call stack size exceeded');
  t.same(others.map((sink) => describeOutcome(sink.outcomes[0])), ['ok', 'ok', 'ok'], 'every other transfer of the batch completed');
  t.equal(multi.running, 0);
  t.equal(multi.timeout(), -1, 'nothing left marked ready');
  await multi.close();
});

t.test('a throw from onResponse, from the error mapper or from finish is contained the same way', async (t) => {
  const dispatcher = new ManualDispatcher();
  const multi = new HttpMulti({ dispatcher, clock: new VirtualClock(), maxRetries: 0 });
  const boom = (): never => {
    throw new Error('sink bug');
  };
  const sinks = [new ScriptedSink({ onResponse: boom }), new ScriptedSink({ describeHttpError: boom }), new ScriptedSink({ finish: boom }), new ScriptedSink()];
  for (const sink of sinks) multi.add({ method: 'POST', url: 'http://127.0.0.1:9/', headers: {} }, sink);
  dispatcher.at(0).start().respond().data('x').end();
  dispatcher.at(1).start().respond(500).data('oops').end();
  dispatcher.at(2).start().respond().data('x').end();
  dispatcher.at(3).start().respond().data('x').end();
  t.doesNotThrow(() => {
    multi.perform();
    multi.infoRead();
  });
  t.same(
    sinks.map((sink) => describeOutcome(sink.outcomes[0])),
    ['unknown: a sink callback threw: sink bug', 'unknown: a sink callback threw: sink bug', "unknown: the sink's finish threw: sink bug", 'ok'],
  );
  await multi.close();
});
