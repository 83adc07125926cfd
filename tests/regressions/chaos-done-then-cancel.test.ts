import t from 'tap';
import { createOpenAI } from '../../src/index.js';
import { streamText } from '../fuzz/lib/chaos-server.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';

/**
 * Found by the chaos run (seed 16): a stream that sent [DONE] and kept its socket open was
 * still running after `done`, so a cancel() then turned the completion into `cancelled`.
 * Now the session tells the engine the stream ended (TransferSink.ended) and the transfer
 * completes at its terminal event.
 */

t.test(
  'a stream that sent [DONE] but never closes: cancel() after done must not turn the completion into cancelled',
  async (t) => {
    const server = await startLoopback((_req, res) => {
      res.writeHead(200, SSE_HEADERS);
      res.write(streamText()); // the whole stream, [DONE] included, and the socket left open
    });
    const openai = createOpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1` });
    const events: string[] = [];
    const completions: string[] = [];
    const started = openai.startStream(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
      (event) => events.push(event.type),
      (result) => completions.push(result.isOk() ? 'ok' : result.error.category),
    );
    if (started.isErr()) throw new Error(started.error.message);
    while (!events.includes('done')) {
      openai.perform();
      openai.infoRead();
      if (!events.includes('done')) await openai.wait(openai.timeout());
    }
    const cancelled = openai.cancel(started.value);
    openai.infoRead();
    await openai.cleanup();
    openai.infoRead();
    await server.close();
    t.equal(cancelled, false, 'the request was complete at its terminal event');
    t.same(completions, ['ok'], 'the completion agrees with the done event');
  },
);
