import type { ServerResponse } from 'node:http';
import t from 'tap';
import type { Clock, TimerId } from '../../src/http/clock.js';
import { HttpMulti } from '../../src/http/multi.js';
import { ioTurn } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';
import { ScriptedSink } from '../helpers/scripted-sink.js';

/** Time that the test moves; its timers never fire, so only perform() notices a deadline. */
class HostBusyClock implements Clock {
  at = 0;
  #id = 1;
  now(): number {
    return this.at;
  }
  setTimer(): TimerId {
    return this.#id++;
  }
  clearTimer(): void {}
}

/**
 * Found by the chaos run (run() wave, seed 1): a deadline that perform() itself found
 * overdue (the host was busy past it) marked its transfer ready and sent the one signal a
 * pump allows; the same perform then consumed that work, and the latch stayed set. The host
 * then waited with nothing pending, and the next readiness (another transfer's response)
 * sent no signal: wait(-1) and run() slept for ever. Now a pump or wait that finds no work
 * re-opens the latch.
 */
t.test('work that arrives after a pump consumed an overdue deadline still wakes wait()', async (t) => {
  let release: (() => void) | undefined;
  const server = await startLoopback((req, res: ServerResponse) => {
    if (req.url === '/stall') {
      res.writeHead(200, SSE_HEADERS); // and then silence: the idle deadline will pass
      res.flushHeaders();
      return;
    }
    release = () => {
      res.writeHead(200, SSE_HEADERS);
      res.end('data: late\n\n');
    };
  });
  const clock = new HostBusyClock();
  const multi = new HttpMulti({ clock, timeouts: { idleMs: 50 }, maxRetries: 1, retryPolicy: { baseDelayMs: 1_000_000, maxDelayMs: 1_000_000, jitter: 0, maxRetryAfterMs: 60_000 } });
  const stalled = new ScriptedSink();
  const late = new ScriptedSink();
  multi.add({ method: 'POST', url: `${server.url}/stall`, headers: {} }, stalled);
  multi.add({ method: 'POST', url: `${server.url}/late`, headers: {} }, late);
  // Both on the wire: the stalled one receiving, the late one waiting for its headers.
  for (let i = 0; i < 5000 && !(stalled.calls.includes('response 200') && release !== undefined); i++) {
    multi.perform();
    multi.infoRead();
    await ioTurn();
  }
  t.ok(stalled.calls.includes('response 200') && release !== undefined, 'both requests reached the server');

  clock.at += 100; // the host was busy: the idle deadline is overdue, and no timer told anyone
  multi.perform(); // fires it: the stalled attempt fails and goes to its (long) backoff
  multi.infoRead(); // nothing completed
  let woke = false;
  void multi.wait(-1).then(() => {
    woke = true;
  });
  release?.();
  for (let i = 0; i < 5000 && !woke && multi.timeout() !== 0; i++) await ioTurn();
  t.equal(multi.timeout(), 0, 'the late response is there to pump');
  for (let i = 0; i < 10 && !woke; i++) await ioTurn();
  t.ok(woke, 'and wait(-1) woke for it');
  multi.perform();
  t.match(late.text, 'data: late', 'the late stream is delivered');
  await multi.close();
  await server.close();
});
