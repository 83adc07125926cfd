// stream() backpressure: a consumer that stops pulling holds its transfer, the engine's
// queue fills, the socket pauses and the server's writes block; pulling again resumes it.
import t from 'tap';
import { createOpenAI } from '../../../src/index.js';
import type { EventQueue } from '../../../src/providers/event-stream.js';
import { startEndlessWriter, untilWritesStall } from '../../helpers/endless-writer.js';
import { ask, chatChunk } from './helpers.js';

const EVENT = chatChunk('x'.repeat(1000));

t.test('a stream() consumer that does not pull pauses the socket; pulling resumes it', async (t) => {
  const writer = await startEndlessWriter(EVENT);
  const server = writer.server;
  t.teardown(() => server.close());
  const highWaterMark = 16;
  const openai = createOpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, engine: { highWaterMark: 64 * 1024 } });
  const stream = openai.stream(ask('x'), { highWaterMark });
  const queue = stream as EventQueue;
  const iterator = stream[Symbol.asyncIterator]();
  t.equal((await iterator.next()).value?.type, 'start');
  // Stop pulling; let I/O and the self-pump run until the server's writes stop making progress.
  t.equal(await untilWritesStall(writer), 200, 'the server cannot write more while the consumer does not pull');
  const written = writer.written;
  t.ok(written < 64 * 1024 * 1024, `bounded: ${written} bytes written in all`);
  // One batch of bytes may land after the buffer filled; far fewer than the server wrote.
  t.ok(queue.buffered >= highWaterMark, `the buffer filled (${queue.buffered} events)`);
  t.ok(queue.buffered < 200, `and then stopped growing (${queue.buffered} events buffered, ${Math.round(written / EVENT.length)} written)`);
  t.equal(openai.multi.running, 1, 'the request is alive, only held');

  // Pull again: the held bytes are pumped, the socket resumes, the server writes on.
  const before = writer.written;
  let pulled = 0;
  let ended = false;
  for (let turn = 0; turn < 200_000 && writer.written === before && !ended; turn++) {
    ended = (await iterator.next()).done === true;
    pulled++;
  }
  t.notOk(ended, 'the stream goes on');
  t.ok(writer.written > before, `the server writes again once the consumer pulls (${pulled} events pulled)`);
  await iterator.return?.();
  const result = await stream.result;
  t.equal(result.isErr() && result.error.category, 'cancelled', 'return() cancels the held stream');
  await openai.cleanup();
});
