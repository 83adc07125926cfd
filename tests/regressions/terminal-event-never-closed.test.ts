import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { HttpMulti } from '../../src/http/multi.js';
import { ioTurn } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';
import { describeOutcome, ScriptedSink } from '../helpers/scripted-sink.js';

/**
 * A stream whose server sent its terminal event ([DONE], response.completed) and then kept
 * the connection open completed only when the idle timeout fired, 300 s later by default:
 * the engine waited for the end of the body and had no way to hear that the sink already
 * had everything. Now a sink's `ended` is read after each chunk.
 */
t.test('the terminal event completes the transfer and releases the socket without the server closing', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    res.write('data: {"text":"hi"}\n\ndata: [DONE]\n\n'); // and never res.end()
  });
  const multi = new HttpMulti({ clock: new VirtualClock() });
  const sink = new ScriptedSink({ endMarker: '[DONE]' });
  multi.add({ method: 'POST', url: `${server.url}/stream`, headers: {} }, sink);
  const closed = server.socketClosed();
  for (let i = 0; i < 2000 && sink.outcomes.length === 0; i++) {
    multi.perform();
    multi.infoRead();
    if (sink.outcomes.length === 0) await ioTurn();
  }
  t.equal(describeOutcome(sink.outcomes[0]), 'ok', 'complete on the virtual clock, with no timeout');
  t.equal(sink.finished[0]?.kind === 'ok' ? sink.finished[0].status : 0, 200);
  await closed;
  t.pass('the server saw the socket close');
  await multi.close();
  await server.close();
});
