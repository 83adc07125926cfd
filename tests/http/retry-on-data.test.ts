import t from 'tap';
import { providerError } from '../../src/errors/category.js';
import { VirtualClock } from '../../src/http/clock.js';
import { HttpMulti } from '../../src/http/multi.js';
import { ioTurn } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';
import { describeOutcome, ScriptedSink } from '../helpers/scripted-sink.js';

const overloaded = providerError('server', { message: 'Overloaded (in-band)', retryable: true });

// Retries at once (no backoff), so the virtual clock never has to move.
async function drive(multi: HttpMulti, sink: ScriptedSink): Promise<void> {
  for (let i = 0; i < 5000 && sink.outcomes.length === 0; i++) {
    multi.perform();
    multi.infoRead();
    if (sink.outcomes.length === 0) await ioTurn();
  }
}

/**
 * A sink may refuse a 2xx body with a retryable error before anything reached the user
 * (Anthropic's in-band `overloaded_error` as the stream's first event): the engine retries
 * it like the HTTP error it stands for. Once something was delivered, or when the error is
 * not retryable, it ends the transfer.
 */
t.test('a retryable onData failure before delivery is retried; after delivery it fails', async (t) => {
  let hits = 0;
  const server = await startLoopback((_req, res) => {
    hits++;
    res.writeHead(200, SSE_HEADERS);
    res.end(hits === 1 ? 'event: error\ndata: overloaded\n\n' : 'data: fine\n\n');
  });
  const multi = new HttpMulti({ clock: new VirtualClock(), retryPolicy: { baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 60_000, jitter: 0 } });
  const sink = new ScriptedSink({ onData: (chunk) => (chunk.toString().includes('overloaded') ? overloaded : undefined) });
  multi.add({ method: 'POST', url: `${server.url}/s`, headers: {} }, sink);
  await drive(multi, sink);
  t.equal(describeOutcome(sink.outcomes[0]), 'ok', 'the retry succeeded');
  t.equal(hits, 2, 'two attempts');
  t.ok(sink.calls.includes('reset'), 'the sink forgot the failed attempt');
  t.equal(sink.text, 'data: fine\n\n');

  hits = 0;
  const delivered = new ScriptedSink({ delivered: () => true, onData: () => overloaded });
  multi.add({ method: 'POST', url: `${server.url}/s`, headers: {} }, delivered);
  await drive(multi, delivered);
  t.equal(describeOutcome(delivered.outcomes[0]), 'server: Overloaded (in-band)', 'no retry once the user saw output');
  t.equal(hits, 1);

  hits = 0;
  const fatal = new ScriptedSink({ onData: () => providerError('protocol', { message: 'not SSE' }) });
  multi.add({ method: 'POST', url: `${server.url}/s`, headers: {} }, fatal);
  await drive(multi, fatal);
  t.equal(describeOutcome(fatal.outcomes[0]), 'protocol: not SSE', 'a non-retryable failure ends it at once');
  t.equal(hits, 1);
  await multi.close();
  await server.close();
});
