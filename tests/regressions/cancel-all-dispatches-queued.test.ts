import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { fakeProvider, record } from '../helpers/harness.js';
import { BlackHoleDispatcher } from '../helpers/stub-dispatcher.js';

/**
 * cancelAll() (and close(), which calls it) cancels in id order. Cancelling the transfer
 * on the wire frees its slot, and #releaseSlot immediately dispatches the next queued
 * transfer — which cancelAll cancels a moment later. Every queued request is put on the
 * wire (a connection opened, a POST started) only to be aborted; close() does so even
 * though the engine is already marked closed.
 */
t.test('cancelAll does not dispatch the transfers it is about to cancel', async (t) => {
  const dispatcher = new BlackHoleDispatcher();
  const provider = fakeProvider('http://127.0.0.1:9', { dispatcher, clock: new VirtualClock(), maxInFlight: 1 });
  const runs = [record(provider), record(provider), record(provider), record(provider)];
  t.equal(dispatcher.dispatched, 1, 'one on the wire, three queued');
  t.equal(provider.cancelAll(), 4);
  t.equal(dispatcher.dispatched, 1, 'no queued transfer was dispatched by cancelAll');
  provider.infoRead();
  t.same(runs.map((run) => run.completions.length), [1, 1, 1, 1]);
  await provider.cleanup();
});

t.test('close() does not dispatch queued transfers', async (t) => {
  const dispatcher = new BlackHoleDispatcher();
  const provider = fakeProvider('http://127.0.0.1:9', { dispatcher, clock: new VirtualClock(), maxInFlight: 2, governor: false }); // admission alone: the governor's slow start would send one first
  for (let i = 0; i < 6; i++) record(provider);
  t.equal(dispatcher.dispatched, 2);
  await provider.multi.close();
  t.equal(dispatcher.dispatched, 2, 'a closing engine puts nothing new on the wire');
});
