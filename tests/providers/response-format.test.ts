import t from 'tap';
import { serializeChatBody } from '../../src/providers/openai/serialize-chat.js';
import { serializeResponsesBody } from '../../src/providers/openai/serialize-responses.js';
import { serializeAnthropicBody } from '../../src/providers/anthropic/serialize.js';
import { serializeGeminiBody } from '../../src/providers/gemini/serialize.js';
import { parseStructuredOutput } from '../../src/providers/structured-output.js';
import type { ChatRequest, ChatResponse, OpaqueJson, ResponseFormat } from '../../src/providers/types.js';
import { NO_USAGE } from '../../src/providers/types.js';

const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
const named: ResponseFormat = { type: 'json_schema', name: 'place', schema, strict: true, description: 'a place' };
const json: ResponseFormat = { type: 'json' };
const ask = (responseFormat: ResponseFormat): ChatRequest => ({ messages: [{ role: 'user', content: 'where?' }], responseFormat });

t.test('Chat Completions: response_format', async (t) => {
  t.same(serializeChatBody(ask(named), 'm', false)._unsafeUnwrap().response_format, {
    type: 'json_schema',
    json_schema: { name: 'place', description: 'a place', schema, strict: true },
  });
  t.same(serializeChatBody(ask(json), 'm', true)._unsafeUnwrap().response_format, { type: 'json_object' });
  t.notOk('response_format' in serializeChatBody({ messages: [{ role: 'user', content: 'x' }] }, 'm', false)._unsafeUnwrap());
});

t.test('Responses API: text.format, flat', async (t) => {
  t.same(serializeResponsesBody(ask(named), 'm', false)._unsafeUnwrap().text, {
    format: { type: 'json_schema', name: 'place', description: 'a place', schema, strict: true },
  });
  const loose: ResponseFormat = { type: 'json_schema', name: 'p', schema };
  t.same(serializeResponsesBody(ask(loose), 'm', false)._unsafeUnwrap().text, { format: { type: 'json_schema', name: 'p', schema } }, 'unset options stay absent');
  t.same(serializeResponsesBody(ask(json), 'm', false)._unsafeUnwrap().text, { format: { type: 'json_object' } });
});

t.test('Anthropic: output_config.format beside effort; no schema-less mode', async (t) => {
  const body = serializeAnthropicBody(ask(named), 'claude-sonnet-4-5', false)._unsafeUnwrap();
  t.same(body.output_config, { format: { type: 'json_schema', schema } });
  const both = serializeAnthropicBody({ ...ask(named), reasoningEffort: 'low' }, 'claude-opus-4-5', false)._unsafeUnwrap();
  const config = both.output_config as Record<string, unknown> | undefined;
  t.same(config?.format, { type: 'json_schema', schema }, 'the format survives an effort setting');
  const refused = serializeAnthropicBody(ask(json), 'claude-sonnet-4-5', false);
  t.equal(refused.isErr() && refused.error.category, 'invalid_arg');
  t.match(refused.isErr() ? refused.error.message : '', /json_schema/);
  t.notOk('output_config' in serializeAnthropicBody({ messages: [{ role: 'user', content: 'x' }] }, 'claude-sonnet-4-5', false)._unsafeUnwrap());
});

t.test('Gemini: responseMimeType and responseJsonSchema in generationConfig', async (t) => {
  t.same(serializeGeminiBody(ask(named), 'gemini-2.5-flash')._unsafeUnwrap().generationConfig, { responseMimeType: 'application/json', responseJsonSchema: schema });
  t.same(serializeGeminiBody(ask(json), 'gemini-2.5-flash')._unsafeUnwrap().generationConfig, { responseMimeType: 'application/json' });
});

const answer = (text: string, finishReason: ChatResponse['finishReason'] = 'stop'): ChatResponse => ({
  model: 'm',
  content: [{ type: 'text', text }],
  text,
  toolCalls: [],
  finishReason,
  usage: NO_USAGE,
});

t.test('parseStructuredOutput: strict JSON, an optional guard, truncation named', async (t) => {
  t.same(parseStructuredOutput(answer('{"city":"Bern"}'))._unsafeUnwrap(), { city: 'Bern' });
  t.same(parseStructuredOutput('[1,2]')._unsafeUnwrap(), [1, 2], 'a plain string works too');
  t.match(parseStructuredOutput(answer('Sure! {"city":"Bern"}'))._unsafeUnwrapErr().message, /not valid JSON/);
  t.match(parseStructuredOutput(answer('{"city":"Be', 'length'))._unsafeUnwrapErr().message, /cut at the token limit/);
  const isPlace = (v: OpaqueJson): v is { city: string } => typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { city?: unknown }).city === 'string';
  const place = parseStructuredOutput(answer('{"city":"Bern"}'), isPlace);
  t.equal(place.isOk() ? place.value.city : '', 'Bern');
  const wrong = parseStructuredOutput(answer('{"town":"Bern"}'), isPlace);
  t.equal(wrong.isErr() && wrong.error.category, 'invalid_arg');
  t.match(wrong.isErr() ? wrong.error.message : '', /expected shape/);
});
