import t from 'tap';
import { geminiRequestOf, isGeminiExchange, providerOfHost, replayable, requestOfRecording } from '../../src/cli/demo-recordings.js';
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

t.test('the replayable exchange carries the request the provider builds now', async (t) => {
  const recorded = exchange(URL, { contents: [] });
  const request = { model: 'gemini-2.5-flash', messages: [{ role: 'user' as const, content: 'Why?' }] };
  const again = replayable({ provider: 'gemini', request, exchange: recorded }, 'demo-key');
  t.same(again.request.body, { kind: 'json', value: { contents: [{ role: 'user', parts: [{ text: 'Why?' }] }] } });
  t.same(again.request.headers, {}, 'no key in what the replay matches');
  t.equal(replayable({ provider: 'gemini', request: { messages: [] }, exchange: recorded }, 'demo-key'), recorded, 'a request that cannot be built keeps the recording');
  t.equal(replayable({ provider: 'nope', request, exchange: recorded }, 'demo-key'), recorded, 'an unknown provider keeps the recording');
});

t.test('recordings are told apart by host; chat bodies give model and first user message', async (t) => {
  t.equal(providerOfHost('api.anthropic.com'), 'anthropic');
  t.equal(providerOfHost('generativelanguage.googleapis.com'), 'gemini');
  t.equal(providerOfHost('api.openai.com'), 'openai');
  const chat = exchange('https://api.anthropic.com/v1/messages', { model: 'claude-sonnet-4-5', messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'Hi' }] });
  t.same(requestOfRecording(chat), { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] });
  t.equal(requestOfRecording(exchange('https://api.openai.com/v1/chat/completions', { messages: [{ role: 'user', content: 'Hi' }] })), undefined, 'no model');
  t.equal(requestOfRecording(exchange('https://api.openai.com/v1/chat/completions', [1])), undefined);
  t.same(requestOfRecording(exchange(URL, { contents: [{ role: 'user', parts: [{ text: 'Why?' }] }] })), { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Why?' }] });
});
