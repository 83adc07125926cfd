import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { HttpMulti } from '../../src/http/multi.js';
import { ioTurn } from '../helpers/harness.js';
import { describeOutcome, ScriptedSink } from '../helpers/scripted-sink.js';
import { pendingConnects, startStuckListener } from '../helpers/stuck-listener.js';

type Test = Parameters<Parameters<typeof t.test>[0]>[0];

/**
 * undici cannot abort a request whose socket is still connecting: the request has no
 * controller until a socket carries it, and undici's own connector runs its own 10 s
 * connect timer. Against a listener that never accepts, the engine's connect timeout,
 * cancel() and close() all "ended" the transfer while the connect stayed pending, keeping
 * the process alive for up to 10 s with ConnectWrap and TCPSocketWrap handles. The
 * engine's Agent now uses the engine's connector, which destroys a pending connect at once.
 */
async function scenario(t: Test, end: (multi: HttpMulti, clock: VirtualClock, id: number) => Promise<void>): Promise<void> {
  const listener = await startStuckListener();
  t.teardown(() => listener.close());
  // Let the fillers' connects settle into the accept queue (or stay pending) before ours.
  for (let i = 0; i < 5; i++) await ioTurn();
  const baseline = pendingConnects();
  const clock = new VirtualClock();
  const multi = new HttpMulti({ clock, maxRetries: 0, timeouts: { connectMs: 1_000 } });
  const sink = new ScriptedSink();
  const handle = multi.add({ method: 'POST', url: `${listener.url}/`, headers: {} }, sink);
  t.ok('id' in handle);
  for (let i = 0; i < 5; i++) await ioTurn();
  t.equal(pendingConnects(), baseline + 1, 'our connect is pending');
  await end(multi, clock, 'id' in handle ? handle.id : 0);
  for (let i = 0; i < 5 && pendingConnects() > baseline; i++) await ioTurn();
  t.equal(pendingConnects(), baseline, 'the pending connect was destroyed at once');
  multi.perform();
  multi.infoRead();
  t.equal(sink.outcomes.length, 1);
  t.comment(describeOutcome(sink.outcomes[0]));
  await multi.close();
}

t.test("the engine's connect timeout destroys a pending connect", (t) =>
  scenario(t, async (multi, clock) => {
    clock.advance(1_000);
    multi.perform();
    multi.infoRead();
  }),
);

t.test('cancel() destroys a pending connect', (t) =>
  scenario(t, async (multi, _clock, id) => {
    multi.cancel({ id });
  }),
);

t.test('close() destroys a pending connect', (t) =>
  scenario(t, async (multi) => {
    await multi.close();
  }),
);
