import t from 'tap';
import { parseAnthropicResponse } from '../../../src/providers/anthropic/response.js';
import { errOf, okOf } from '../openai/helpers.js';
import { ANTHROPIC_CORPUS } from './helpers.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

t.test('a Message body: every block kind, usage and stop details', async (t) => {
  const body = {
    id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x',
    content: [
      { type: 'thinking', thinking: 'Hmm', signature: 'sig' },
      { type: 'thinking', thinking: 'unsigned', signature: '' },
      { type: 'redacted_thinking', data: 'blob' },
      { type: 'text', text: 'A', citations: [{ type: 'char_location', cited_text: 'c' }] },
      { type: 'text', text: 'B', citations: [] },
      { type: 'tool_use', id: 't1', name: 'f', input: { a: 1 } },
      { type: 'tool_use', id: 't2', name: 'g', input: {} },
      { type: 'tool_use' },
      { type: 'text' },
      { type: 'thinking' },
      'not a block',
    ],
    stop_reason: 'refusal', stop_details: { type: 'refusal', category: 'bio' },
    usage: { input_tokens: 3, cache_read_input_tokens: 4, output_tokens: 5, output_tokens_details: { thinking_tokens: 2 } },
  };
  const response = okOf(parseAnthropicResponse(JSON.stringify(body), 'asked'));
  t.same(response.content, [
    { type: 'thinking', text: 'Hmm', signature: 'sig' },
    { type: 'thinking', text: 'unsigned' },
    { type: 'provider', provider: 'anthropic', data: { type: 'redacted_thinking', data: 'blob' } },
    { type: 'text', text: 'A', citations: [{ type: 'char_location', cited_text: 'c' }] },
    { type: 'text', text: 'B' },
    { type: 'tool_call', id: 't1', name: 'f', arguments: '{"a":1}' },
    { type: 'tool_call', id: 't2', name: 'g', arguments: '{}' },
    { type: 'tool_call', id: '', name: '', arguments: '{}' },
    { type: 'text', text: '' },
    { type: 'thinking', text: '' },
  ]);
  t.equal(response.text, 'AB');
  t.equal(response.finishReason, 'content_filter');
  t.same(response.stopDetails, { type: 'refusal', category: 'bio' });
  t.same(response.usage, { input: 7, output: 5, thinking: 2, cached: 4, cacheWrite: null, total: 12 });
  t.equal(response.model, 'claude-x');
});

t.test('the requested model stands in; no usage is null, not zeros', async (t) => {
  const response = okOf(parseAnthropicResponse(JSON.stringify({ content: [], model: '' }), 'asked'));
  t.equal(response.model, 'asked');
  t.equal(response.usage, null);
  t.equal(response.finishReason, 'unknown');
  t.same(okOf(parseAnthropicResponse(JSON.stringify({ content: [], usage: { output_tokens: 3 } }), 'm')).usage, { input: null, output: 3, thinking: null, cached: null, cacheWrite: null, total: null });
});

t.test('bodies that are not a Message are protocol errors', async (t) => {
  t.match(errOf(parseAnthropicResponse('<html>', 'm')).message, /not a JSON object/);
  t.match(errOf(parseAnthropicResponse('{"type":"error","error":{"type":"api_error"}}', 'm')).message, /error object in a 2xx body/);
  t.match(errOf(parseAnthropicResponse('{"id":"x"}', 'm')).message, /no content array/);
  t.equal(errOf(parseAnthropicResponse('[]', 'm')).category, 'protocol');
});

t.test('every non-streaming corpus body parses', { skip: existsSync(ANTHROPIC_CORPUS) ? false : 'no corpus' }, async (t) => {
  let messages = 0;
  for (const name of readdirSync(ANTHROPIC_CORPUS).filter((file) => file.endsWith('.json')).sort()) {
    const text = readFileSync(resolve(ANTHROPIC_CORPUS, name), 'utf8');
    const parsed = JSON.parse(text) as { type?: string };
    const result = parseAnthropicResponse(text, 'm');
    if (parsed.type === 'message') {
      messages++;
      t.ok(result.isOk(), name);
      if (result.isOk()) t.not(result.value.finishReason, 'unknown', `${name}: ${result.value.rawFinishReason}`);
    } else t.ok(result.isErr(), `${name}: not a message`);
  }
  t.ok(messages >= 25, `${messages} message bodies`);
});
