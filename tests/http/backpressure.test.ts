import t from 'tap';
import type { ServerResponse } from 'node:http';
import { fakeProvider, ioTurn, pumpUntil, record } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';

const EVENT = `data: ${JSON.stringify({ text: 'x'.repeat(1000) })}\n\n`;

t.test('a host that stops pumping pauses the socket; pumping resumes it', async (t) => {
  let response: ServerResponse | undefined;
  let written = 0;
  const server = await startLoopback((_req, res) => {
    response = res;
    res.writeHead(200, SSE_HEADERS);
    // Write until the kernel buffers are full and the socket pushes back.
    const writeMore = (): void => {
      while (res.write(EVENT)) written += EVENT.length;
      written += EVENT.length;
    };
    res.on('drain', writeMore);
    writeMore();
  });
  const highWaterMark = 64 * 1024;
  const provider = fakeProvider(server.url, { highWaterMark });
  const run = record(provider);
  // Never pump; let I/O run until the server's writes stop making progress.
  let still = 0;
  for (let turn = 0; turn < 200_000 && still < 200; turn++) {
    const seen = written;
    await ioTurn();
    still = written === seen ? still + 1 : 0;
  }
  const before = written;
  t.equal(still, 200, 'the server cannot write more while the host does not pump');
  t.ok(written < 16 * 1024 * 1024, `bounded: ${written} bytes written in all`);
  const rss = process.memoryUsage().rss;
  t.ok(rss < 512 * 1024 * 1024, `RSS stays bounded (${Math.round(rss / 1048576)} MiB)`);
  t.equal(run.events.length, 0, 'nothing delivered without a pump');

  // Pump once: everything queued is delivered, the socket resumes and writing goes on.
  provider.perform();
  const delivered = run.events.length;
  t.ok(delivered > 10, `the queued events are delivered (${delivered})`);
  // Keep pumping: the socket resumes and the server's buffered writes drain.
  for (let turn = 0; turn < 200_000 && written === before; turn++) {
    provider.perform();
    await ioTurn();
  }
  t.ok(written > before, 'the server writes again once the host pumps');
  response?.end('data: [DONE]\n\n');
  await pumpUntil(provider, () => run.completions.length > 0);
  t.ok(run.completions[0]?.isOk());
  await provider.cleanup();
  await server.close();
});
