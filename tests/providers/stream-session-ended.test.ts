import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { createOpenAI } from '../../src/providers/factory.js';
import { eventTypes, ioTurn, record } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';

const chunk = (text: string): string =>
  `data: ${JSON.stringify({ id: 'c1', model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`;

/**
 * StreamSession tells the engine when the parser has delivered the terminal event, so a
 * server that sends `[DONE]` and keeps the socket open costs no idle timeout; an in-band
 * error is terminal too. Both on a virtual clock: nothing but the bytes can end them.
 */
for (const [name, tail, expected] of [
  ['[DONE]', 'data: [DONE]\n\n', 'ok'],
  ['an in-band error', `data: ${JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } })}\n\n`, 'server'],
] as const) {
  t.test(`a stream that ends with ${name} completes without the server closing`, async (t) => {
    const server = await startLoopback((_req, res) => {
      res.writeHead(200, SSE_HEADERS);
      res.write(chunk('Hel') + chunk('lo') + tail); // and never res.end()
    });
    const provider = createOpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, engine: { clock: new VirtualClock() } });
    const closed = server.socketClosed();
    const rec = record(provider, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    for (let i = 0; i < 2000 && rec.completions.length === 0; i++) {
      provider.perform();
      provider.infoRead();
      if (rec.completions.length === 0) await ioTurn();
    }
    t.equal(rec.completions.length, 1, 'one completion, with no timer fired');
    const result = rec.completions[0];
    if (expected === 'ok') {
      t.ok(result?.isOk());
      t.equal(result?.isOk() ? result.value.text : '', 'Hello');
      t.same(eventTypes(rec.events), ['start', 'text_delta', 'text_delta', 'done']);
    } else {
      t.equal(result?.isErr() ? result.error.category : 'ok', expected);
      t.same(eventTypes(rec.events), ['start', 'text_delta', 'text_delta', 'error']);
    }
    await closed;
    t.pass('the socket was released');
    await provider.cleanup();
    await server.close();
  });
}
