import t from 'tap';
import { geminiReplayable, geminiRequestOf, isGeminiExchange } from '../../src/cli/demo-gemini.js';
import type { Exchange } from '../../src/vcr/cassette.js';

const URL = 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse';

function exchange(url: string, value: unknown): Exchange {
  return { request: { method: 'POST', url, headers: {}, body: { kind: 'json', value: value as never } }, chunks: [], end: { kind: 'ok', t: 0 } };
}

t.test('a recorded Gemini request becomes its question', async (t) => {
  const recorded = exchange(URL, { contents: [{ role: 'user', parts: [{ text: 'Why?' }] }] });
  t.ok(isGeminiExchange(recorded));
  t.notOk(isGeminiExchange(exchange('https://api.openai.com/v1/chat/completions', {})));
  t.same(geminiRequestOf(recorded), { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Why?' }] });
  for (const bad of [
    exchange('https://x/v1/other', { contents: [] }),
    exchange(URL, [1]),
    exchange(URL, { contents: 'no' }),
    exchange(URL, { contents: [{ role: 'model', parts: [{ text: 'x' }] }] }),
    exchange(URL, { contents: [{ role: 'user', parts: [{ inlineData: {} }] }] }),
    exchange(URL, { contents: [{ role: 'user' }] }),
    { ...recorded, request: { ...recorded.request, body: { kind: 'text', text: 'x' } } } as Exchange,
  ]) {
    t.equal(geminiRequestOf(bad), undefined);
  }
});

t.test('the replayable exchange carries the request the adapter builds now', async (t) => {
  const recorded = exchange(URL, { contents: [] });
  const request = { model: 'gemini-2.5-flash', messages: [{ role: 'user' as const, content: 'Why?' }] };
  const replayable = geminiReplayable(recorded, request, 'demo-key');
  t.same(replayable.request.body, { kind: 'json', value: { contents: [{ role: 'user', parts: [{ text: 'Why?' }] }] } });
  t.same(replayable.request.headers, {}, 'no key in what the replay matches');
  t.equal(geminiReplayable(recorded, { messages: [] }, 'demo-key'), recorded, 'a request that cannot be built keeps the recording');
});
