import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { HttpMulti } from '../../src/http/multi.js';
import { BlackHoleDispatcher } from '../helpers/stub-dispatcher.js';
import { describeOutcome, ScriptedSink } from '../helpers/scripted-sink.js';

/**
 * A queued transfer whose total deadline passed was turned into a running one so that the
 * next pump could retire it: it left the queue by taking an in-flight slot it never had.
 * Until that pump, the engine counted one transfer too many on the wire and `running`
 * still counted it; a slot freed in that window (a cancel) went to nobody, so the next
 * queued transfer waited for a pump it had no reason to wait for.
 */
t.test('a queued transfer whose total deadline passes leaves the queue without taking a slot', async (t) => {
  const dispatcher = new BlackHoleDispatcher();
  const clock = new VirtualClock();
  const multi = new HttpMulti({ dispatcher, clock, maxInFlight: 1 });
  const request = { method: 'POST', url: 'http://127.0.0.1:9/', headers: {} } as const;
  const onWire = multi.add(request, new ScriptedSink(), { timeouts: { connectMs: 0 } });
  const expiring = new ScriptedSink();
  multi.add(request, expiring, { timeouts: { totalMs: 100 } });
  const waiting = new ScriptedSink();
  multi.add(request, waiting, { timeouts: { connectMs: 0 } });
  t.equal(dispatcher.dispatched, 1, 'one on the wire, two queued');

  clock.advance(100);
  t.equal(multi.running, 2, 'the expired transfer is no longer running');
  t.equal(dispatcher.dispatched, 1, 'it did not go on the wire');
  if ('id' in onWire) multi.cancel(onWire);
  t.equal(dispatcher.dispatched, 2, 'the freed slot goes to the next queued transfer at once');

  multi.perform();
  multi.infoRead();
  t.match(describeOutcome(expiring.outcomes[0]), /^timeout: timed out the whole request to 127\.0\.0\.1:9 after 100 ms \(total timeout\)/);
  t.same(expiring.calls, ['finish failed', 'complete failed'], 'its sink hears of it inside the pump');
  t.equal(multi.running, 1);
  multi.cancelAll();
  multi.infoRead();
  t.equal(waiting.outcomes.length, 1);
  await multi.close();
});
