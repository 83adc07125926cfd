import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { HttpMulti } from '../../src/http/multi.js';
import { ManualDispatcher } from '../helpers/manual-dispatcher.js';
import { describeOutcome, ScriptedSink } from '../helpers/scripted-sink.js';
import { ioTurn } from '../helpers/harness.js';

/**
 * The notify hook fired only on the idle -> busy edge ("nothing ready and no completion
 * queued" before this readiness). With a completion queued before a pump, a chunk that
 * undici's resume() handed back synchronously during that pump marked its transfer ready
 * without a notification, because the queued completion made the engine look busy; the
 * pump's infoRead() then drained the completion, and the transfer stayed in the ready list
 * with nobody told. From then on the engine never looked idle again, so no readiness
 * notified: autoPump() stopped for good and new requests got no event and no completion.
 */
t.test('a chunk delivered by resume() during a pump, with a completion queued before it, is notified', async (t) => {
  const dispatcher = new ManualDispatcher();
  const multi = new HttpMulti({ dispatcher, clock: new VirtualClock(), highWaterMark: 4 });
  const stop = multi.autoPump();
  const request = { method: 'POST', url: 'http://127.0.0.1:9/', headers: {} } as const;
  const cancelled = new ScriptedSink();
  const streaming = new ScriptedSink();
  const first = multi.add(request, cancelled);
  multi.add(request, streaming);
  const wire = dispatcher.at(1);
  // resume() hands the next bytes back at once, as undici does with bytes already buffered.
  wire.onResume = (exchange) => {
    exchange.onResume = undefined;
    exchange.data('more');
  };
  wire.start().respond().data('12345'); // past the high-water mark: paused, ready
  if ('id' in first) multi.cancel(first); // a completion queued before the pump runs

  for (let i = 0; i < 20 && streaming.calls.length < 3; i++) await ioTurn();
  t.same(streaming.calls, ['response 200', 'data 12345', 'data more']);
  t.equal(describeOutcome(cancelled.outcomes[0]), 'cancelled');

  // The engine must still notify: a new request's bytes are pumped without any manual call.
  const later = new ScriptedSink();
  multi.add(request, later);
  dispatcher.at(2).start().respond().data('hello').end();
  wire.end();
  for (let i = 0; i < 50 && (later.outcomes.length === 0 || streaming.outcomes.length === 0); i++) await ioTurn();
  t.equal(describeOutcome(later.outcomes[0]), 'ok', 'autoPump still drives new requests');
  t.equal(describeOutcome(streaming.outcomes[0]), 'ok');
  stop();
  await multi.close();
});
