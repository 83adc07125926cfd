// The README's host-loop example (also compiled and run from the README itself by consumer-project.test.ts), run against a loopback server, with many
// streams at once: it must terminate, and every stream must complete exactly once.
import t from 'tap';
import { createOpenAI } from '../../src/index.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';

function chunk(content: string, finish: string | null = null): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;
}

t.test('the README host loop drives 50 streams to completion', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    res.write(chunk('Sockets '));
    setImmediate(() => res.end(chunk('hum', 'stop') + 'data: [DONE]\n\n'));
  });
  const openai = createOpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1` });
  const texts: string[] = [];
  const completions: string[] = [];
  for (let i = 0; i < 50; i++) {
    let text = '';
    const started = openai.startStream(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Write a haiku about sockets' }] },
      (event) => {
        if (event.type === 'text_delta') text += event.text;
      },
      (result) => {
        texts.push(text);
        completions.push(result.isOk() ? result.value.finishReason : result.error.category);
      },
    );
    t.ok(started.isOk());
  }
  while (openai.perform() > 0 || openai.pendingCompletions > 0) {
    openai.infoRead();
    await openai.wait(openai.timeout());
  }
  openai.infoRead();
  await openai.cleanup();
  t.equal(completions.length, 50);
  t.ok(completions.every((reason) => reason === 'stop'));
  t.ok(texts.every((text) => text === 'Sockets hum'));
  await server.close();
});
