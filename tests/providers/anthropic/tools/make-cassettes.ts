// Writes vcr-fixtures/anthropic/*.jsonl: llmux's own Anthropic cassettes, in the shapes of
// real Messages API streams (event:/data: pairs, pings, no [DONE]). Requests come from
// cassette-cases.ts through the real adapter, so a cassette's `_request` is what llmux sends.
// Run after a build: node dist/tests/providers/anthropic/tools/make-cassettes.js
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createAnthropicAdapter } from '../../../../src/providers/anthropic/adapter.js';
import { redactHeaders } from '../../../../src/vcr/redact.js';
import { CASSETTE_API_KEY, CASSETTE_CASES } from '../cassette-cases.js';
import { ANTHROPIC_FIXTURES } from '../helpers.js';

type Json = Record<string, unknown>;

const MODEL = 'claude-sonnet-4-5-20250929';

function ev(type: string, fields: Json = {}): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;
}

function usage(input: number, output: number, cacheWrite = 0, cacheRead = 0): Json {
  return {
    input_tokens: input,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: cacheWrite },
    output_tokens: output,
    service_tier: 'standard',
  };
}

function start(id: string, input: number, cacheWrite = 0, cacheRead = 0): string {
  return ev('message_start', {
    message: {
      model: MODEL, id, type: 'message', role: 'assistant', content: [],
      stop_reason: null, stop_sequence: null, usage: usage(input, 1, cacheWrite, cacheRead),
    },
  });
}

const ping = ev('ping');
const blockStart = (index: number, block: Json): string => ev('content_block_start', { index, content_block: block });
const delta = (index: number, d: Json): string => ev('content_block_delta', { index, delta: d });
const text = (index: number, t: string): string => delta(index, { type: 'text_delta', text: t });
const json = (index: number, partial: string): string => delta(index, { type: 'input_json_delta', partial_json: partial });
const blockStop = (index: number): string => ev('content_block_stop', { index });
const stop = ev('message_stop');
function messageDelta(reason: string, output: number, extra: Json = {}, usageExtra: Json = {}): string {
  return ev('message_delta', { delta: { stop_reason: reason, stop_sequence: null, ...extra }, usage: { output_tokens: output, ...usageExtra } });
}
const overloaded = ev('error', { error: { details: null, type: 'overloaded_error', message: 'Overloaded' } });

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'anthropic-organization-id': 'org-test-0000' };
const JSON_HEADERS = { 'content-type': 'application/json' };

interface Response {
  readonly status: number;
  readonly headers: Json;
  /** The body, cut into the chunks the socket delivered. Strings are UTF-8. */
  readonly chunks: readonly (string | Buffer)[];
  readonly end?: Json;
}

/** Cuts a body into pieces at the given byte offsets (so a piece may split a character). */
function cut(body: string, ...at: number[]): Buffer[] {
  const bytes = Buffer.from(body, 'utf8');
  const out: Buffer[] = [];
  let from = 0;
  for (const to of [...at, bytes.length]) {
    if (to > from) out.push(bytes.subarray(from, to));
    from = to;
  }
  return out;
}

/** Cuts a body `offset` bytes into the first occurrence of each marker. */
function cutInside(body: string, ...markers: ReadonlyArray<readonly [string, number]>): Buffer[] {
  const bytes = Buffer.from(body, 'utf8');
  return cut(body, 120, ...markers.map(([marker, offset]) => bytes.indexOf(Buffer.from(marker, 'utf8')) + offset));
}

/** Every event its own chunk, except that some are joined and a few are split, as sockets do. */
function natural(events: readonly string[]): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as string;
    if (i % 5 === 2 && i + 1 < events.length) {
      out.push(Buffer.from(e + (events[i + 1] as string)));
      i++;
    } else if (i % 7 === 3 && e.length > 40) out.push(...cut(e, 17, 41));
    else out.push(Buffer.from(e));
  }
  return out;
}

function reqId(n: number): string {
  return `req_011CTest${String(n).padStart(14, '0')}`;
}

function ok(events: readonly string[], n: number, headers: Json = {}): Response {
  return { status: 200, headers: { ...SSE_HEADERS, 'request-id': reqId(n), ...headers }, chunks: natural(events) };
}

function error(status: number, type: string, message: string, n: number, headers: Json = {}): Response {
  const body = JSON.stringify({ type: 'error', error: { type, message }, request_id: reqId(n) });
  return { status, headers: { ...JSON_HEADERS, 'request-id': reqId(n), ...headers }, chunks: [body] };
}

const helloText = [start('msg_01HelloTest00000000000001', 9), blockStart(0, { type: 'text', text: '' }), text(0, 'Hello!'), text(0, ' How can I help you today?'), blockStop(0), messageDelta('end_turn', 12), stop];

const RESPONSES: Record<string, readonly Response[]> = {
  text: [
    {
      status: 200,
      headers: { ...SSE_HEADERS, 'request-id': reqId(1) },
      // Cuts inside こ (3 bytes) and inside the emoji (4 bytes).
      chunks: cutInside(
        [start('msg_01TextTest000000000000001', 21), ping, blockStart(0, { type: 'text', text: '' }), text(0, 'こんにちは 👋'), text(0, ' (konnichiwa) means hello.'), blockStop(0), ping, messageDelta('end_turn', 17), stop].join(''),
        ['こ', 1], ['👋', 2], ['means', 0],
      ),
    },
  ],
  thinking: [
    ok(
      [
        start('msg_01ThinkTest00000000000001', 14), blockStart(0, { type: 'thinking', thinking: '', signature: '' }),
        delta(0, { type: 'thinking_delta', thinking: '1001 = 7 × 143' }), delta(0, { type: 'thinking_delta', thinking: ' = 7 × 11 × 13.' }),
        delta(0, { type: 'signature_delta', signature: 'EqQBCkgIARABGAIiQGsig0FAKESIGNATUREnotRealButShapedLikeOne==' }), blockStop(0), ping,
        blockStart(1, { type: 'text', text: '' }), text(1, 'No: 1001 = 7 × 11 × 13.'), blockStop(1),
        messageDelta('end_turn', 61, {}, { output_tokens_details: { thinking_tokens: 38 } }), stop,
      ],
      2,
    ),
  ],
  'parallel-tools': [
    ok(
      [
        start('msg_01ToolsTest00000000000001', 402), blockStart(0, { type: 'text', text: '' }), text(0, "I'll check both."), blockStop(0),
        blockStart(1, { type: 'tool_use', id: 'toolu_01WeatherTest0000000001', name: 'get_weather', input: {} }), json(1, ''), json(1, '{"city": '), json(1, '"Paris"}'), blockStop(1),
        blockStart(2, { type: 'tool_use', id: 'toolu_01TimeTest000000000002', name: 'get_time', input: {} }), json(2, '{"timezone"'), ping, json(2, ': "Asia/Tokyo"}'), blockStop(2),
        messageDelta('tool_use', 96), stop,
      ],
      3,
    ),
  ],
  'tool-no-args': [
    ok(
      [
        start('msg_01NoArgsTest0000000000001', 380), blockStart(0, { type: 'tool_use', id: 'toolu_01RefreshTest00000001', name: 'refresh_issues', input: {} }),
        ping, json(0, ''), blockStop(0), messageDelta('tool_use', 31), stop,
      ],
      4,
    ),
  ],
  'server-tools': [
    ok(
      [
        start('msg_01SearchTest000000000001', 2210), blockStart(0, { type: 'server_tool_use', id: 'srvtoolu_01SearchTest00000001', name: 'web_search', input: {} }),
        json(0, ''), json(0, '{"query": "Node.js LTS'), json(0, ' release"}'), blockStop(0),
        blockStart(1, {
          type: 'web_search_tool_result', tool_use_id: 'srvtoolu_01SearchTest00000001',
          content: [{ type: 'web_search_result', title: 'Node.js releases', url: 'https://nodejs.org/en/about/previous-releases', encrypted_content: 'EpcBCioIBxgCIiQ0ZmFrZS1lbmNyeXB0ZWQ=', page_age: null }],
        }),
        blockStop(1), blockStart(2, { type: 'text', text: '' }),
        delta(2, { type: 'citations_delta', citation: { type: 'web_search_result_location', cited_text: 'Node.js 24 is the active LTS line.', url: 'https://nodejs.org/en/about/previous-releases', title: 'Node.js releases', encrypted_index: 'EoUBCioIBxgCIiQ=' } }),
        text(2, 'The active LTS line is Node.js 24.'), blockStop(2),
        messageDelta('end_turn', 88, {}, { server_tool_use: { web_search_requests: 1 } }), stop,
      ],
      5,
    ),
  ],
  refusal: [
    ok(
      [
        start('msg_01RefusalTest00000000001', 18), ping,
        messageDelta('refusal', 5, { stop_details: { type: 'refusal', category: 'cyber', explanation: 'This request was blocked under the Usage Policy.' } }), stop,
      ],
      6,
    ),
  ],
  'max-tokens': [
    ok([start('msg_01MaxTokensTest000000001', 13), blockStart(0, { type: 'text', text: '' }), text(0, 'Once upon a time, in a'), text(0, ' quiet harbour town'), blockStop(0), messageDelta('max_tokens', 12), stop], 7),
  ],
  'pause-turn': [
    ok(
      [
        start('msg_01PauseTest0000000000001', 3120), blockStart(0, { type: 'text', text: '' }), text(0, 'Searching the first topic.'), blockStop(0),
        blockStart(1, { type: 'server_tool_use', id: 'srvtoolu_01PauseTest000000001', name: 'web_search', input: {} }), json(1, '{"query": "topic one"}'), blockStop(1),
        blockStart(2, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_01PauseTest000000001', content: [] }), blockStop(2),
        messageDelta('pause_turn', 40, {}, { server_tool_use: { web_search_requests: 1 } }), stop,
      ],
      8,
    ),
  ],
  'cache-usage': [
    ok(
      [
        start('msg_01CacheTest0000000000001', 12, 1850, 0), blockStart(0, { type: 'text', text: '' }), text(0, 'Call cancel(handle): one cancelled completion follows.'), blockStop(0),
        messageDelta('end_turn', 15, {}, { input_tokens: 12, cache_creation_input_tokens: 1850, cache_read_input_tokens: 0 }), stop,
      ],
      9,
    ),
  ],
  'overloaded-then-200': [
    { status: 200, headers: { ...SSE_HEADERS, 'request-id': reqId(10) }, chunks: [Buffer.from(overloaded)] },
    ok(helloText, 11),
  ],
  'overloaded-after-delta': [
    ok([start('msg_01PartialTest0000000001', 9), blockStart(0, { type: 'text', text: '' }), text(0, 'Hello! How'), overloaded], 12),
  ],
  '401': [error(401, 'authentication_error', 'invalid x-api-key', 13)],
  '429': [
    error(429, 'rate_limit_error', 'This request would exceed the rate limit for your organization of 50 requests per minute.', 14, {
      'retry-after': '7',
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': '2026-12-01T12:00:07Z',
      'anthropic-ratelimit-tokens-limit': '40000',
      'anthropic-ratelimit-tokens-remaining': '38000',
      'anthropic-ratelimit-tokens-reset': '2026-12-01T12:00:03Z',
      'anthropic-ratelimit-input-tokens-limit': '30000',
      'anthropic-ratelimit-input-tokens-remaining': '29000',
      'anthropic-ratelimit-input-tokens-reset': '2026-12-01T12:00:02Z',
      'anthropic-ratelimit-output-tokens-limit': '10000',
      'anthropic-ratelimit-output-tokens-remaining': '9000',
      'anthropic-ratelimit-output-tokens-reset': '2026-12-01T12:00:03Z',
    }),
  ],
  '529-then-200': [error(529, 'overloaded_error', 'Overloaded', 15), ok(helloText, 16)],
  nonstream: [
    {
      status: 200,
      headers: { ...JSON_HEADERS, 'request-id': reqId(17) },
      chunks: cut(
        JSON.stringify({
          model: MODEL, id: 'msg_01NonStreamTest000000001', type: 'message', role: 'assistant',
          content: [{ type: 'text', text: 'Let me look that up.' }, { type: 'tool_use', id: 'toolu_01NonStreamTest0000001', name: 'get_weather', input: { city: 'Paris' } }],
          stop_reason: 'tool_use', stop_sequence: null,
          usage: { input_tokens: 380, cache_creation_input_tokens: 0, cache_read_input_tokens: 120, output_tokens: 54, service_tier: 'standard' },
        }),
        100,
      ),
    },
  ],
  truncated: [ok([start('msg_01TruncatedTest00000001', 9), blockStart(0, { type: 'text', text: '' }), text(0, 'Hello! How can'), 'event: content_block_delta\ndata: {"type":"content_bl'], 18)],
};

function chunkLine(chunk: string | Buffer, t: number): string {
  const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  const asText = bytes.toString('utf8');
  if (Buffer.from(asText, 'utf8').equals(bytes)) return JSON.stringify({ _chunk: asText, t });
  return JSON.stringify({ _chunk_b64: bytes.toString('base64'), t });
}

const adapter = createAnthropicAdapter({ apiKey: CASSETTE_API_KEY });
for (const testCase of CASSETTE_CASES) {
  const caseAdapter = testCase.options === undefined ? adapter : createAnthropicAdapter({ apiKey: CASSETTE_API_KEY, ...testCase.options });
  const prepared = caseAdapter.prepare(testCase.request, testCase.mode ?? 'stream');
  if (prepared.isErr()) throw new Error(`${testCase.name}: ${prepared.error.message}`);
  const { http } = prepared.value;
  const request = { method: http.method, url: http.url, headers: redactHeaders(http.headers), body: JSON.parse(http.body ?? 'null') as unknown };
  const lines: string[] = [];
  let t = 0;
  for (const response of RESPONSES[testCase.name] ?? []) {
    lines.push(JSON.stringify({ _request: request }));
    t += 180;
    lines.push(JSON.stringify({ _response: { status: response.status, headers: response.headers }, t }));
    for (const chunk of response.chunks) {
      t += 23;
      lines.push(chunkLine(chunk, t));
    }
    t += 2;
    lines.push(JSON.stringify({ _end: 'ok', t }));
    t += 400;
  }
  writeFileSync(resolve(ANTHROPIC_FIXTURES, `${testCase.name}.jsonl`), `${lines.join('\n')}\n`);
}
console.log(`wrote ${CASSETTE_CASES.length} cassettes to ${ANTHROPIC_FIXTURES}`);
