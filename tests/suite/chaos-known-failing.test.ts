import t from 'tap';
import { createOpenAI } from '../../src/index.js';
import { streamText } from '../fuzz/lib/chaos-server.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';

/**
 * What the chaos run finds broken today for a reason in src/http/, kept here as todos with
 * a deterministic reproduction, so they are switched on (FUZZ_KNOWN=1, then drop the todo)
 * once the fix lands. chaos.test.ts counts these apart from its mismatches.
 */
const RUN = process.env['FUZZ_KNOWN'] === '1';

t.test(
  'a stream that sent [DONE] but never closes: cancel() after done must not turn the completion into cancelled',
  { todo: RUN ? false : 'issue 16: the engine completes such a stream only at its idle timeout (the http agent fixes it)' },
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
