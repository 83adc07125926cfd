import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { eventTypes, fakeProvider, ioTurn, pumpUntil, record } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';

/**
 * undici's controller.resume() flushes the socket's buffered bytes synchronously: it can
 * call onResponseData and onResponseEnd before resume() returns. #pump resumes the socket
 * after delivering the queued chunks and then, seeing `ended`, settles at once — retiring
 * the transfer with the chunks that resume() just queued never handed to the sink. The
 * tail of the stream (here its [DONE]) is lost and a whole response reads as cut.
 */
t.test('the bytes and the end delivered by resume() reach the stream', async (t) => {
  const big = `data: ${JSON.stringify({ text: 'x'.repeat(4000) })}\n\n`;
  let finished = false;
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    res.write(big); // past the high-water mark: the engine pauses the socket here
    res.write(`data: ${JSON.stringify({ text: 'tail' })}\n\n`);
    res.end('data: [DONE]\n\n');
    res.on('finish', () => {
      finished = true;
    });
  });
  const provider = fakeProvider(server.url, { clock: new VirtualClock(), highWaterMark: 1024 });
  const run = record(provider);
  // The host does not pump until the server has sent everything and it has reached our socket.
  for (let i = 0; i < 2000 && !finished; i++) await ioTurn();
  for (let i = 0; i < 50; i++) await ioTurn();
  t.ok(finished, 'the server sent the whole response');
  await pumpUntil(provider, () => run.completions.length > 0);
  const texts = run.events.flatMap((event) => (event.type === 'text_delta' ? [event.text.slice(0, 4)] : []));
  t.same(texts, ['xxxx', 'tail'], 'every text delta reached the user');
  t.same(eventTypes(run.events).at(-1), 'done', 'the stream ends with done');
  const completion = run.completions[0];
  t.ok(completion?.isOk(), `completion is ok (got ${completion?.isErr() ? completion.error.message : 'ok'})`);
  await provider.cleanup();
  await server.close();
});
