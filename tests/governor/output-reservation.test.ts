import t from 'tap';
import { createAnthropicAdapter } from '../../src/providers/anthropic/adapter.js';
import { createOpenAIAdapter } from '../../src/providers/openai/adapter.js';
import { DEFAULT_OUTPUT_RESERVATION, outputReservation, rateTicket } from '../../src/providers/rate-ticket.js';
import type { ChatRequest } from '../../src/providers/types.js';

const HI: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };

t.test("a request reserves its own output cap, else the default", async (t) => {
  t.equal(outputReservation({ ...HI, maxOutputTokens: 300 }), 300, 'maxOutputTokens');
  t.equal(outputReservation({ ...HI, extraBody: { max_tokens: 200 } }), 200, 'max_tokens through extraBody');
  t.equal(outputReservation({ ...HI, extraBody: { max_completion_tokens: 150 } }), 150);
  t.equal(outputReservation({ ...HI, extraBody: { max_output_tokens: 120 } }), 120, 'the Responses name');
  t.equal(outputReservation(HI), DEFAULT_OUTPUT_RESERVATION, 'nothing set: the default');
  t.equal(outputReservation({ ...HI, maxOutputTokens: -5, extraBody: { max_tokens: 'lots' } }), DEFAULT_OUTPUT_RESERVATION, 'nonsense is ignored');
  t.equal(outputReservation({ ...HI, maxOutputTokens: 300 }, 9000), 9000, "the provider's own cap in the body wins");
});

t.test("Anthropic: without maxOutputTokens the ticket reserves the model's max_tokens default, which is what the body asks for", async (t) => {
  const adapter = createAnthropicAdapter({ apiKey: 'sk-ant-test', env: {} });
  const prepared = adapter.prepare({ ...HI, model: 'claude-haiku-4-5' }, 'stream');
  if (prepared.isErr()) throw new Error(prepared.error.message);
  const body = JSON.parse(prepared.value.http.body ?? '{}') as { max_tokens: number };
  t.equal(body.max_tokens, 8192);
  t.equal(rateTicket('anthropic', prepared.value, HI).outputTokens, 8192);
  const capped = adapter.prepare({ ...HI, model: 'claude-haiku-4-5', maxOutputTokens: 64 }, 'stream');
  if (capped.isErr()) throw new Error(capped.error.message);
  t.equal(rateTicket('anthropic', capped.value, { ...HI, maxOutputTokens: 64 }).outputTokens, 64);
});

t.test('OpenAI: maxOutputTokens is reserved; none set reserves the default', async (t) => {
  const adapter = createOpenAIAdapter({ apiKey: 'sk-test', env: {} });
  const request: ChatRequest = { ...HI, model: 'gpt-4o-mini', maxOutputTokens: 77 };
  const prepared = adapter.prepare(request, 'request');
  if (prepared.isErr()) throw new Error(prepared.error.message);
  t.equal(rateTicket('openai', prepared.value, request).outputTokens, 77);
  const plain = adapter.prepare({ ...HI, model: 'gpt-4o-mini' }, 'request');
  if (plain.isErr()) throw new Error(plain.error.message);
  t.equal(rateTicket('openai', plain.value, HI).outputTokens, DEFAULT_OUTPUT_RESERVATION);
});
