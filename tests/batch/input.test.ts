import t from 'tap';
import { lineId, parseInput, parseLine, type InputEntry } from '../../src/batch/input.js';
import { requestKey } from '../../src/providers/worker.js';
import type { ChatRequest } from '../../src/providers/types.js';

const hello: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };

function line(value: unknown): string {
  return JSON.stringify(value);
}

function item(entry: InputEntry | undefined) {
  if (entry?.kind !== 'item') throw new Error(`expected an item, got ${JSON.stringify(entry)}`);
  return entry.item;
}

function invalid(entry: InputEntry | undefined) {
  if (entry?.kind !== 'invalid') throw new Error(`expected an invalid entry, got ${JSON.stringify(entry)}`);
  return entry.record;
}

t.test('an {id, request} line becomes an item with provider, model and request key', async (t) => {
  const parsed = parseInput(`${line({ id: 'a', request: hello })}\n`)._unsafeUnwrap();
  t.equal(parsed.lines, 1);
  const a = item(parsed.entries[0]);
  t.match(a, { id: 'a', line: 1, provider: 'openai', model: 'gpt-4o-mini' });
  t.equal(a.request.model, 'gpt-4o-mini', 'the resolved model is on the request the engine sends');
  t.equal(a.key, requestKey('openai', { ...hello, model: 'gpt-4o-mini' }));
});

t.test('model precedence: the line, then the request, then the default, then the provider', async (t) => {
  const text = [
    line({ id: 'l', model: 'line-m', request: { ...hello, model: 'req-m' } }),
    line({ id: 'r', request: { ...hello, model: 'req-m' } }),
    line({ id: 'd', request: hello }),
    line({ id: 'p', provider: 'anthropic', request: hello }),
  ].join('\n');
  const entries = parseInput(text, { model: 'default-m' })._unsafeUnwrap().entries;
  t.same(entries.map((entry) => item(entry).model), ['line-m', 'req-m', 'default-m', 'default-m']);
  const bare = parseInput(line({ id: 'p', provider: 'anthropic', request: hello }))._unsafeUnwrap().entries;
  t.match(item(bare[0]), { provider: 'anthropic', model: /^claude/ });
  const viaDefault = parseInput(line({ id: 'g', request: hello }), { provider: 'gemini' })._unsafeUnwrap().entries;
  t.equal(item(viaDefault[0]).provider, 'gemini');
});

t.test('the key changes with the provider, the model and the request, and not with transport fields', async (t) => {
  const base = item(parseLine(line({ id: 'a', request: hello }), 1));
  const retries = item(parseLine(line({ id: 'a', request: { ...hello, maxRetries: 5, timeouts: { idleMs: 5 } } }), 1));
  t.equal(retries.key, base.key);
  t.not(item(parseLine(line({ id: 'a', model: 'other', request: hello }), 1)).key, base.key);
  t.not(item(parseLine(line({ id: 'a', provider: 'gemini', request: hello }), 1)).key, base.key);
  t.not(item(parseLine(line({ id: 'a', request: { ...hello, temperature: 0 } }), 1)).key, base.key);
});

t.test('an OpenAI Batch chat line maps to a neutral request; unmodelled fields go to extraBody', async (t) => {
  const openai = {
    custom_id: 'req-1',
    method: 'POST',
    url: '/v1/chat/completions',
    body: {
      model: 'gpt-4.1-mini',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'done' },
      ],
      max_tokens: 50,
      temperature: 0.2,
      stop: 'END',
      seed: 7,
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
      response_format: { type: 'json_object' },
      logprobs: true,
    },
  };
  const a = item(parseLine(line(openai), 3));
  t.match(a, { id: 'req-1', line: 3, provider: 'openai', model: 'gpt-4.1-mini' });
  t.same(a.request, {
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image', url: 'https://x/y.png', detail: 'low' }] },
      { role: 'assistant', toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'c1', content: 'done' },
    ],
    system: 'be brief',
    model: 'gpt-4.1-mini',
    temperature: 0.2,
    toolChoice: { name: 'f' },
    tools: [{ name: 'f', parameters: { type: 'object' } }],
    api: 'chat',
    maxOutputTokens: 50,
    seed: 7,
    stop: ['END'],
    responseFormat: { type: 'json' },
    extraBody: { logprobs: true },
  });
  const onAnthropic = item(parseLine(line({ ...openai, provider: 'anthropic' }), 3));
  t.equal(onAnthropic.request.api, undefined, 'the OpenAI endpoint name is not sent to another provider');
});

t.test('an OpenAI Batch responses line maps too', async (t) => {
  const a = item(
    parseLine(
      line({
        custom_id: 'r',
        method: 'POST',
        url: '/v1/responses',
        body: { model: 'gpt-5', input: 'hello', instructions: 'sys', max_output_tokens: 9, reasoning: { effort: 'low' }, text: { format: { type: 'json_schema', name: 'n', schema: { type: 'object' } } } },
      }),
      1,
    ),
  );
  t.same(a.request, {
    messages: [{ role: 'user', content: 'hello' }],
    system: 'sys',
    model: 'gpt-5',
    api: 'responses',
    maxOutputTokens: 9,
    reasoningEffort: 'low',
    responseFormat: { type: 'json_schema', name: 'n', schema: { type: 'object' } },
  });
});

t.test('bad lines become invalid_input records that name their line; the rest parse', async (t) => {
  const rows = [
    '{"id": "x", "request": ',
    '[1,2]',
    line({ request: hello }),
    line({ id: 'long', request: hello }).replace('"long"', JSON.stringify('x'.repeat(600))),
    line({ id: 'np', provider: 'nope', request: hello }),
    line({ id: 'nomsg', request: { messages: [] } }),
    line({ id: 'role', request: { messages: [{ role: 'robot', content: 'x' }] } }),
    line({ id: 'num', request: { ...hello, temperature: 'hot' } }),
    line({ custom_id: 'get', method: 'GET', url: '/v1/chat/completions', body: {} }),
    line({ custom_id: 'emb', method: 'POST', url: '/v1/embeddings', body: {} }),
    line({ id: 'ok', request: hello }),
    '{"id": "torn", "requ',
  ];
  const entries = parseInput(rows.join('\n'))._unsafeUnwrap().entries;
  t.equal(entries.length, rows.length);
  const messages = entries.slice(0, 10).map((entry) => invalid(entry));
  t.match(messages[0], { id: lineId(1), key: null, ok: false, line: 1, error: { category: 'invalid_input', message: /^line 1: not JSON/, retryable: false } });
  t.match(messages[1]?.error?.message, /line 2: a line must be a JSON object/);
  t.match(messages[2]?.error?.message, /line 3: "id" must be a non-empty string/);
  t.match(messages[3], { id: lineId(4), error: { message: /longer than 512/ } });
  t.match(messages[4], { id: 'np', provider: 'nope', error: { message: /line 5: unknown provider "nope"; known providers: openai/ } });
  t.match(messages[5]?.error?.message, /line 6: request.messages must be a non-empty array/);
  t.match(messages[6]?.error?.message, /line 7: request.messages\[0\].role must be one of/);
  t.match(messages[7]?.error?.message, /line 8: request.temperature must be a number/);
  t.match(messages[8]?.error?.message, /line 9: method must be "POST"/);
  t.match(messages[9]?.error?.message, /line 10: url must be one of \/v1\/chat\/completions/);
  t.equal(item(entries[10]).id, 'ok');
  t.match(invalid(entries[11]), { id: lineId(12), error: { message: /line 12: the last line is not complete JSON \(the file may have been cut off\)/ } });
});

t.test('blank lines, CRLF and a BOM are tolerated; line numbers count blank lines', async (t) => {
  const text = `\ufeff${line({ id: 'a', request: hello })}\r\n\n   \n${line({ id: 'b', request: hello })}\r\n`;
  const parsed = parseInput(text)._unsafeUnwrap();
  t.same(parsed.entries.map((entry) => item(entry).line), [1, 4]);
  t.equal(parsed.lines, 4);
});

t.test('duplicate ids refuse the whole file, naming every id and its lines', async (t) => {
  const text = [
    line({ id: 'a', request: hello }),
    line({ id: 'b', request: hello }),
    line({ id: 'a', request: hello }),
    line({ id: 'b', provider: 'nope', request: hello }),
    line({ id: 'a', request: hello }),
  ].join('\n');
  const failure = parseInput(text)._unsafeUnwrapErr();
  t.equal(failure.kind, 'duplicate_ids');
  t.same(failure.duplicates, [{ id: 'a', lines: [1, 3, 5] }, { id: 'b', lines: [2, 4] }]);
  t.same(failure.ids, ['a', 'b']);
  t.match(failure.message, /2 id\(s\) more than once: "a" \(lines 1, 3, 5\); "b" \(lines 2, 4\)/);
});
