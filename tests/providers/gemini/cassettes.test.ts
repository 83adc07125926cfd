/**
 * Every cassette under vcr-fixtures/gemini: the file is what the generator writes from
 * cassette-cases.ts (the request exactly as prepare() builds it), no secret is in it, and it
 * replays through the real engine (ReplayDispatcher -> HttpMulti -> StreamSession or
 * RequestSession -> Gemini parser) to the expected events and result.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import t from 'tap';
import type { Result } from 'neverthrow';
import type { ProviderError } from '../../../src/errors/category.js';
import { VirtualClock } from '../../../src/http/clock.js';
import { HttpMulti } from '../../../src/http/multi.js';
import { createGemini } from '../../../src/providers/factory.js';
import type { ChatResponse, StreamEvent } from '../../../src/providers/types.js';
import { ReplayDispatcher } from '../../../src/vcr/replay-dispatcher.js';
import { CASSETTE_API_KEY, CASSETTE_TOKEN, GEMINI_CASES, type GeminiCase } from './cassette-cases.js';
import { cassetteNames, eventLog, FIXTURES, pumpVirtual, readCassette } from './helpers.js';
import { cassetteText } from './tools/make-cassettes.js';

interface Replayed {
  readonly events: StreamEvent[];
  readonly result: Result<ChatResponse, ProviderError>;
  readonly logs: string[];
}

async function replay(c: GeminiCase): Promise<Replayed> {
  const clock = new VirtualClock();
  const dispatcher = new ReplayDispatcher(readCassette(c.name), { clock, speed: 'instant' });
  const multi = new HttpMulti({ dispatcher, clock, random: () => 0 });
  const logs: string[] = [];
  const gemini = createGemini({ apiKey: CASSETTE_API_KEY, env: {}, multi, logger: (line) => logs.push(line), ...c.options });
  const events: StreamEvent[] = [];
  let result: Result<ChatResponse, ProviderError> | undefined;
  const started =
    c.mode === 'request'
      ? gemini.startRequest(c.request, (r) => (result = r))
      : gemini.startStream(c.request, (event) => events.push(event), (r) => (result = r));
  if (started.isErr()) throw new Error(started.error.message);
  await pumpVirtual(multi, clock, () => result !== undefined);
  await multi.close();
  if (result === undefined) throw new Error(`${c.name}: no completion`);
  return { events, result, logs };
}

function requestBody(name: string): unknown {
  const body = readCassette(name).exchanges[0]?.request.body;
  return body?.kind === 'json' ? body.value : undefined;
}

const byName = new Map(GEMINI_CASES.map((c) => [c.name, c]));
const results = new Map<string, Replayed>();

t.before(async () => {
  for (const c of GEMINI_CASES) results.set(c.name, await replay(c));
});

function run(name: string): Replayed {
  const found = results.get(name);
  if (found === undefined) throw new Error(`no case ${name}`);
  return found;
}

function ok(name: string): ChatResponse {
  const { result } = run(name);
  if (result.isErr()) throw new Error(`${name}: ${result.error.message}`);
  return result.value;
}

function failure(name: string): ProviderError {
  const { result } = run(name);
  if (result.isOk()) throw new Error(`${name}: expected an error`);
  return result.error;
}

t.test('every cassette is what the generator writes from its case, and holds no secret', async (t) => {
  t.same(cassetteNames(), [...byName.keys()].sort(), 'one case per cassette file');
  for (const c of GEMINI_CASES) {
    const text = readFileSync(resolve(FIXTURES, `${c.name}.jsonl`), 'utf8');
    t.equal(text, cassetteText(c), `${c.name}: up to date (node dist/tests/providers/gemini/tools/make-cassettes.js --write)`);
    t.notMatch(text, CASSETTE_API_KEY, `${c.name}: no key`);
    t.notMatch(text, CASSETTE_TOKEN, `${c.name}: no token`);
    t.notMatch(text, /[?&]key=/, `${c.name}: no key in a URL`);
  }
});

t.test('gemini-text: split characters, CRLF, the signature on the empty last part', async (t) => {
  t.same(eventLog(run('gemini-text').events), [
    'start gemini-2.5-flash rsp-LMX-text-01',
    'text[0] "こんにちは"',
    'text[0] "! 👋🏽 That is *konnichiwa*."',
    'done stop (STOP) {"input":11,"output":32,"thinking":20,"cached":null,"cacheWrite":null,"total":43}',
  ]);
  const response = ok('gemini-text');
  t.same(response.content, [{ type: 'text', text: 'こんにちは! 👋🏽 That is *konnichiwa*.', signature: 'Q2FzU2lnLXRleHQtMDE=' }]);
  t.equal(response.id, 'rsp-LMX-text-01');
  t.equal(response.model, 'gemini-2.5-flash');
  t.match(run('gemini-text').logs.join('\n'), /Gemini/);
});

t.test('gemini-thinking: thought parts are thinking, the answer keeps its signature', async (t) => {
  const request = requestBody('gemini-thinking') as { generationConfig: unknown };
  t.same(request.generationConfig, { thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } });
  const log = eventLog(run('gemini-thinking').events);
  t.same(log.filter((line) => line.startsWith('thinking')).length, 2);
  const response = ok('gemini-thinking');
  t.same(
    response.content.map((block) => [block.type, 'signature' in block ? block.signature : undefined]),
    [
      ['thinking', undefined],
      ['text', 'Q2FzU2lnLXRoaW5rLTAx'],
    ],
  );
  t.equal(response.text, 'There are **3** r’s in “strawberry”.');
  t.match(response.usage, { thinking: 96, output: 107 });
});

t.test('gemini-tool-call: a whole call, its id made up, its signature kept', async (t) => {
  t.same(eventLog(run('gemini-tool-call').events), [
    'start gemini-3-flash-preview rsp-LMX-call-01',
    'tool_start[0] gemini_call_rsp-LMX-call-01_0 get_weather',
    'tool_delta[0] {"city":"Zürich","unit":"c"}',
    'tool_done[0] gemini_call_rsp-LMX-call-01_0 get_weather {"city":"Zürich","unit":"c"}',
    'done tool_use (STOP) {"input":58,"output":59,"thinking":41,"cached":null,"cacheWrite":null,"total":117}',
  ]);
  t.match(ok('gemini-tool-call').content, [{ type: 'tool_call', signature: 'Q2FzU2lnLWNhbGwtMDE=' }]);
});

t.test('gemini-parallel-tools: text then two calls, a Gemini id kept', async (t) => {
  const response = ok('gemini-parallel-tools');
  t.same(response.content.map((block) => block.type), ['text', 'tool_call', 'tool_call']);
  t.same(response.toolCalls.map((call) => call.id), ['gemini_call_rsp-LMX-par-01_0', 'fc-LMX-tokyo']);
  t.equal(response.finishReason, 'tool_use');
});

t.test('gemini-tool-roundtrip: the previous call goes back with its signature, the result as functionResponse', async (t) => {
  const body = requestBody('gemini-tool-roundtrip') as { contents: unknown[] };
  t.same(body.contents.slice(1), [
    { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Zürich', unit: 'c' } }, thoughtSignature: 'Q2FzU2lnLWNhbGwtMDE=' }] },
    { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temperature: 4, sky: 'fog' } } }] },
  ]);
  t.equal(ok('gemini-tool-roundtrip').text, 'Zürich is foggy at 4 °C right now.');
});

t.test('vertex-streamed-args: partialArgs assembled into one JSON text', async (t) => {
  const exchange = readCassette('vertex-streamed-args').exchanges[0]!;
  t.equal(exchange.request.url, 'https://us-central1-aiplatform.googleapis.com/v1beta1/projects/llmux-demo/locations/us-central1/publishers/google/models/gemini-3-pro-preview:streamGenerateContent?alt=sse');
  t.equal(exchange.request.headers.authorization, '[REDACTED]');
  t.notOk('x-goog-api-key' in exchange.request.headers, 'Vertex with a token sends no key');
  const args = {
    title: 'Design review: llmux ✨',
    when: { start: '2026-12-03T14:00:00+01:00', durationMinutes: 45 },
    attendees: [
      { name: 'Ada', optional: false },
      { name: 'Grace', optional: true },
    ],
    room: null,
  };
  const response = ok('vertex-streamed-args');
  t.same(response.toolCalls.map((call) => call.arguments), [JSON.stringify(args)]);
  t.equal(run('vertex-streamed-args').events.filter((event) => event.type === 'tool_call_delta').length, 1, 'one delta, at the close');
  t.match(response.usage, { input: 77, output: 224, thinking: 172, total: 301 });
});

t.test('finish reasons: MAX_TOKENS is length, SAFETY content_filter (the partial text kept)', async (t) => {
  t.match(ok('gemini-max-tokens'), { finishReason: 'length', rawFinishReason: 'MAX_TOKENS', text: 'The curl-multi pattern lets one thread drive many transfers' });
  t.match(ok('gemini-safety'), { finishReason: 'content_filter', rawFinishReason: 'SAFETY', text: 'Here is an overview of the chemistry' });
});

t.test('gemini-prompt-blocked: a content_filter error, not an empty success', async (t) => {
  t.match(failure('gemini-prompt-blocked'), { category: 'content_filter', providerCode: 'PROHIBITED_CONTENT', retryable: false });
  t.same(eventLog(run('gemini-prompt-blocked').events).map((line) => line.split(' ')[0]), ['start', 'error']);
});

t.test('gemini-raw-error: the raw error object ends the stream with its error', async (t) => {
  const error = failure('gemini-raw-error');
  t.match(error, { category: 'server', retryable: true, providerCode: 'UNAVAILABLE' });
  t.same(eventLog(run('gemini-raw-error').events).map((line) => line.split(' ')[0]), ['start', 'text[0]', 'text[0]', 'error'], 'no done, and no retry after text was delivered');
});

t.test('gemini-cut: the body ended before a finishReason', async (t) => {
  const error = failure('gemini-cut');
  t.equal(error.category, 'protocol');
  t.match(error.message, /The Gemini stream ended before a finishReason/);
  t.equal(run('gemini-cut').events.at(-1)?.type, 'error');
});

t.test('HTTP errors: 400 API_KEY_INVALID, 429 RetryInfo then 200, 503 retried', async (t) => {
  t.match(failure('gemini-400-key'), { category: 'auth', httpStatus: 400, providerCode: 'API_KEY_INVALID', retryable: false, attempts: 1 });
  t.match(failure('gemini-400-key').hint, /GEMINI_API_KEY/);
  t.equal(ok('gemini-429-then-200').text, 'こんにちは 👋');
  t.match(run('gemini-429-then-200').logs.join('\n'), /retry/i, 'the retry is logged');
  t.match(failure('gemini-503'), { category: 'server', httpStatus: 503, retryable: true, attempts: 3 });
  for (const name of byName.keys()) {
    for (const line of run(name).logs) t.notMatch(line, CASSETTE_API_KEY, `${name}: no key in a log line`);
  }
});

t.test('gemini-nonstream: the same response shape from :generateContent', async (t) => {
  t.equal(readCassette('gemini-nonstream').exchanges[0]!.request.url, 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent');
  const response = ok('gemini-nonstream');
  t.same(response.content, [{ type: 'text', text: 'Paris is the capital of France.', signature: 'Q2FzU2lnLW5zLTAx' }]);
  t.same(response.usage, { input: 10, output: 42, thinking: 35, cached: 4, cacheWrite: null, total: 52 });
});
