import t from 'tap';
import type { IncomingMessage } from 'node:http';
import { VirtualClock } from '../../src/http/clock.js';
import { fakeProvider, ioTurn, pumpUntil } from '../helpers/harness.js';

type Test = Parameters<Parameters<typeof t.test>[0]>[0];
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';

/**
 * A stream's onEvent cancels its own request, and the rest of the same chunk then makes
 * the sink report a failure (here: a malformed event after the cancel; equally a callback
 * that throws after cancelling). #pump checks the failure before it checks whether the
 * transfer is still running, so #failNow -> #retire runs a second time on a transfer that
 * cancel() already retired: two completions, and the in-flight slot released twice.
 */
async function scenario(t: Test, variant: 'malformed' | 'throw'): Promise<void> {
  const held: IncomingMessage[] = [];
  const server = await startLoopback((req, res, body) => {
    if (body.includes('hold')) {
      held.push(req); // never answered: occupies its in-flight slot
      res.writeHead(200, SSE_HEADERS);
      res.flushHeaders();
      return;
    }
    res.writeHead(200, SSE_HEADERS);
    // One write, so both events reach perform() in the same chunk.
    res.write(variant === 'malformed' ? 'data: {"text":"a"}\n\ndata: not-json\n\n' : 'data: {"text":"a"}\n\n');
  });
  const provider = fakeProvider(server.url, { clock: new VirtualClock(), maxInFlight: 1 });
  const completions: string[] = [];
  const started = provider.startStream(
    { messages: [{ role: 'user', content: 'first' }] },
    (event) => {
      if (event.type === 'text_delta' && started.isOk()) {
        provider.cancel(started.value);
        if (variant === 'throw') throw new Error('host bug after cancelling');
      }
    },
    (result) => completions.push(result.isErr() ? result.error.category : 'ok'),
  );
  t.ok(started.isOk());
  await pumpUntil(provider, () => completions.length > 0);
  for (let i = 0; i < 5; i++) {
    provider.perform();
    provider.infoRead();
  }
  t.same(completions, ['cancelled'], 'exactly one completion, and it says cancelled');

  // The slot accounting: with maxInFlight 1, two more transfers must go on the wire one at a time.
  const hold = { messages: [{ role: 'user' as const, content: 'hold' }] };
  const second = provider.startStream(hold, () => undefined, () => undefined);
  const third = provider.startStream(hold, () => undefined, () => undefined);
  t.ok(second.isOk() && third.isOk());
  // Let the loopback server see whatever was dispatched.
  for (let i = 0; i < 2000 && held.length < 2; i++) await ioTurn();
  t.equal(held.length, 1, 'maxInFlight 1: only one transfer on the wire');
  provider.cancelAll();
  provider.infoRead();
  await provider.cleanup();
  await server.close();
}

t.test('self-cancel then a malformed event in the same chunk', (t) => scenario(t, 'malformed'));
t.test('self-cancel then the callback throws', (t) => scenario(t, 'throw'));
