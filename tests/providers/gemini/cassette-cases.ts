/**
 * The Gemini cassettes: the request behind each (so tests can issue exactly it) and the
 * wire bytes of each exchange, in the shapes of the real API (corpus google/, the reference's
 * section 2). tools/make-cassettes.ts writes vcr-fixtures/gemini/ from this file; ids, times
 * and signatures are made up.
 */
import type { RequestMode } from '../../../src/providers/adapter.js';
import type { GeminiAdapterOptions } from '../../../src/providers/gemini/config.js';
import type { ChatRequest } from '../../../src/providers/types.js';

export const CASSETTE_API_KEY = 'AIzaSyTEST-cassette-key-0000000000000';
export const CASSETTE_TOKEN = 'ya29.test-cassette-token-000000000000';

export interface WireExchange {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The body, cut into network reads at these byte offsets. */
  readonly body: string;
  readonly cuts?: readonly number[];
}

export interface GeminiCase {
  readonly name: string;
  readonly proves: string;
  readonly request: ChatRequest;
  readonly mode?: RequestMode;
  readonly options?: GeminiAdapterOptions;
  readonly exchanges: readonly WireExchange[];
}

const SSE = { 'content-type': 'text/event-stream', 'x-content-type-options': 'nosniff', 'server-timing': 'gfet4t7; dur=412' };
const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8', 'x-content-type-options': 'nosniff' };

/** One `data:` event, CRLF-framed as Gemini frames them (or LF). */
function data(payload: unknown, eol = '\r\n'): string {
  return `data: ${JSON.stringify(payload)}${eol}${eol}`;
}

type Part = Record<string, unknown>;

function chunk(parts: Part[], extra: Record<string, unknown> = {}, model = 'gemini-2.5-flash', id = 'rsp-LMX-0001'): Record<string, unknown> {
  const { finishReason, usage, ...rest } = extra;
  return {
    candidates: [{ content: { parts, role: 'model' }, ...(finishReason === undefined ? {} : { finishReason }), index: 0 }],
    ...(usage === undefined ? {} : { usageMetadata: usage }),
    modelVersion: model,
    responseId: id,
    ...rest,
  };
}

function usage(prompt: number, candidates: number, thoughts?: number, cached?: number): Record<string, unknown> {
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    totalTokenCount: prompt + candidates + (thoughts ?? 0),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
    ...(thoughts === undefined ? {} : { thoughtsTokenCount: thoughts }),
    ...(cached === undefined ? {} : { cachedContentTokenCount: cached }),
  };
}

/** Byte offsets of every occurrence of `needle` plus `shift`: cuts that land inside characters or lines. */
function at(body: string, needle: string, shift = 0): number[] {
  const bytes = Buffer.from(body);
  const find = Buffer.from(needle);
  const out: number[] = [];
  for (let i = bytes.indexOf(find); i !== -1; i = bytes.indexOf(find, i + 1)) out.push(i + shift);
  return out;
}

function googleError(code: number, status: string, message: string, details: unknown[] = []): string {
  return `${JSON.stringify({ error: { code, message, status, ...(details.length === 0 ? {} : { details }) } }, null, 2)}\n`;
}

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Say hello in Japanese, with an emoji.' }] };

const textBody =
  data(chunk([{ text: 'こんにちは' }], { usage: usage(11, 3, 20) }, 'gemini-2.5-flash', 'rsp-LMX-text-01')) +
  data(chunk([{ text: '! 👋🏽 That is *konnichiwa*.' }], { usage: usage(11, 12, 20) }, 'gemini-2.5-flash', 'rsp-LMX-text-01')) +
  data(chunk([{ text: '', thoughtSignature: 'Q2FzU2lnLXRleHQtMDE=' }], { finishReason: 'STOP', usage: usage(11, 12, 20) }, 'gemini-2.5-flash', 'rsp-LMX-text-01'));

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } }, required: ['city'] },
};

const thinkingBody =
  data(chunk([{ text: '**Counting the letters**\n\nI spell out s-t-r-a-w-b-e-r-r-y and mark each r.', thought: true }], { usage: { trafficType: 'ON_DEMAND' } }, 'gemini-2.5-flash', 'rsp-LMX-think-1')) +
  data(chunk([{ text: '\n\n**Checking**\n\nPositions 3, 8 and 9: three.', thought: true }], {}, 'gemini-2.5-flash', 'rsp-LMX-think-1')) +
  data(chunk([{ text: 'There are **3** r’s in “strawberry”.', thoughtSignature: 'Q2FzU2lnLXRoaW5rLTAx' }], { usage: usage(12, 11, 96) }, 'gemini-2.5-flash', 'rsp-LMX-think-1')) +
  data(chunk([{ text: '' }], { finishReason: 'STOP', usage: usage(12, 11, 96) }, 'gemini-2.5-flash', 'rsp-LMX-think-1'));

const toolCallBody =
  data(chunk([{ functionCall: { name: 'get_weather', args: { city: 'Zürich', unit: 'c' } }, thoughtSignature: 'Q2FzU2lnLWNhbGwtMDE=' }], { usage: usage(58, 18, 41) }, 'gemini-3-flash-preview', 'rsp-LMX-call-01')) +
  data(chunk([{ text: '' }], { finishReason: 'STOP', usage: usage(58, 18, 41) }, 'gemini-3-flash-preview', 'rsp-LMX-call-01'));

const parallelBody = data(
  chunk(
    [
      { text: 'Checking both cities.' },
      { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'Q2FzU2lnLXBhci0wMQ==' },
      { functionCall: { id: 'fc-LMX-tokyo', name: 'get_weather', args: { city: 'Tokyo', unit: 'c' } } },
    ],
    { finishReason: 'STOP', usage: usage(64, 31) },
    'gemini-2.5-flash',
    'rsp-LMX-par-01',
  ),
);

const roundTripRequest: ChatRequest = {
  model: 'gemini-3-flash-preview',
  messages: [
    { role: 'user', content: 'What is the weather in Zürich?' },
    {
      role: 'assistant',
      blocks: [{ type: 'tool_call', id: 'gemini_call_rsp-LMX-call-01_0', name: 'get_weather', arguments: '{"city":"Zürich","unit":"c"}', signature: 'Q2FzU2lnLWNhbGwtMDE=' }],
    },
    { role: 'tool', toolCallId: 'gemini_call_rsp-LMX-call-01_0', content: '{"temperature":4,"sky":"fog"}' },
  ],
  tools: [weatherTool],
};

const roundTripBody =
  data(chunk([{ text: 'Zürich is foggy at 4 °C' }], { usage: usage(95, 8) }, 'gemini-3-flash-preview', 'rsp-LMX-turn-02')) +
  data(chunk([{ text: ' right now.', thoughtSignature: 'Q2FzU2lnLXR1cm4tMDI=' }], { finishReason: 'STOP', usage: usage(95, 12, 30) }, 'gemini-3-flash-preview', 'rsp-LMX-turn-02'));

/** A Vertex stream: interim usage has only trafficType, every chunk a createTime. */
function vertex(parts: Part[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { finishReason, usage: u } = extra;
  return {
    candidates: [{ content: { role: 'model', parts }, ...(finishReason === undefined ? {} : { finishReason }) }],
    usageMetadata: u ?? { trafficType: 'ON_DEMAND' },
    modelVersion: 'gemini-3-pro-preview',
    createTime: '2026-11-30T10:15:02.118842Z',
    responseId: 'vtx-LMX-args-01',
  };
}

function fc(partialArgs: Part[] | undefined, willContinue = true): Part {
  return { functionCall: { ...(partialArgs === undefined ? {} : { partialArgs }), ...(willContinue ? { willContinue: true } : {}) } };
}

const vertexBody = [
  vertex([{ functionCall: { name: 'create_event', willContinue: true }, thoughtSignature: 'Q2FzU2lnLXZ0eC0wMQ==' }]),
  vertex([fc([{ jsonPath: '$.title', stringValue: 'Design review: ', willContinue: true }])]),
  vertex([fc([{ jsonPath: '$.title', stringValue: 'llmux ✨', willContinue: true }])]),
  vertex([fc([{ jsonPath: '$.title', stringValue: '' }])]),
  vertex([fc([{ jsonPath: '$.when.start', stringValue: '2026-12-03T14:00:00+01:00', willContinue: true }])]),
  vertex([fc([{ jsonPath: '$.when.start', stringValue: '' }])]),
  vertex([fc([{ jsonPath: '$.when.durationMinutes', numberValue: 45 }])]),
  vertex([fc([{ jsonPath: '$.attendees[0].name', stringValue: 'Ada', willContinue: true }])]),
  vertex([fc([{ jsonPath: '$.attendees[0].name', stringValue: '' }])]),
  vertex([fc([{ jsonPath: '$.attendees[0].optional', boolValue: false }])]),
  vertex([fc(undefined)]),
  vertex([fc([{ jsonPath: '$.attendees[1].name', stringValue: 'Grace', willContinue: true }])]),
  vertex([fc([{ jsonPath: '$.attendees[1].name', stringValue: '' }])]),
  vertex([fc([{ jsonPath: '$.attendees[1].optional', boolValue: true }])]),
  vertex([fc([{ jsonPath: '$.room', nullValue: 'NULL_VALUE' }])]),
  vertex([fc(undefined, false)]),
  vertex([{ text: '' }], {
    finishReason: 'STOP',
    usage: { promptTokenCount: 77, candidatesTokenCount: 52, totalTokenCount: 301, trafficType: 'ON_DEMAND', thoughtsTokenCount: 172 },
  }),
]
  .map((payload) => data(payload))
  .join('');

const lengthBody =
  data(chunk([{ text: 'The curl-multi pattern lets one thread drive' }], { usage: usage(14, 9) }, 'gemini-2.5-flash-lite', 'rsp-LMX-len-01'), '\n') +
  data(chunk([{ text: ' many transfers' }], { finishReason: 'MAX_TOKENS', usage: usage(14, 16) }, 'gemini-2.5-flash-lite', 'rsp-LMX-len-01'), '\n');

const safetyRatings = (blocked: string): unknown[] => [
  { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', ...(blocked === 'DANGEROUS' ? { blocked: true } : {}) },
  { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
];

const safetyBody =
  data(chunk([{ text: 'Here is an overview of the chemistry' }], { usage: usage(21, 7) }, 'gemini-2.5-flash', 'rsp-LMX-safe-01')) +
  data({
    candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'SAFETY', index: 0, safetyRatings: safetyRatings('DANGEROUS') }],
    usageMetadata: usage(21, 7),
    modelVersion: 'gemini-2.5-flash',
    responseId: 'rsp-LMX-safe-01',
  });

const blockedBody = data({
  promptFeedback: { blockReason: 'PROHIBITED_CONTENT', safetyRatings: safetyRatings('') },
  usageMetadata: { promptTokenCount: 18, totalTokenCount: 18, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 18 }] },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'rsp-LMX-block-1',
});

const overloaded = googleError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.');

const rawErrorParts = [
  data(chunk([{ text: 'Event loops are' }], { usage: usage(9, 4) }, 'gemini-2.5-flash', 'rsp-LMX-raw-01')),
  data(chunk([{ text: ' how one thread waits' }], { usage: usage(9, 9) }, 'gemini-2.5-flash', 'rsp-LMX-raw-01')),
  overloaded,
];

const cutBody =
  data(chunk([{ text: 'A stream that' }], { usage: usage(9, 4) }, 'gemini-2.5-flash', 'rsp-LMX-cut-01')) +
  data(chunk([{ text: ' never finishes' }], { usage: usage(9, 8) }, 'gemini-2.5-flash', 'rsp-LMX-cut-01')) +
  'data: {"candidates":[{"content":{"parts":[{"text":" cleanly';

const badKey = googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
  { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
  { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
]);

const rateLimited = googleError(
  429,
  'RESOURCE_EXHAUSTED',
  'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. Please retry in 1.2s.',
  [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
          quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
          quotaDimensions: { location: 'global', model: 'gemini-2.5-flash' },
          quotaValue: '10',
        },
      ],
    },
    { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
    { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' },
  ],
);

const afterLimitBody =
  data(chunk([{ text: 'こんにちは 👋' }], { usage: usage(11, 4) }, 'gemini-2.5-flash', 'rsp-LMX-429-02')) +
  data(chunk([{ text: '' }], { finishReason: 'STOP', usage: usage(11, 4) }, 'gemini-2.5-flash', 'rsp-LMX-429-02'));

const nonStreamBody = `${JSON.stringify(
  {
    candidates: [
      {
        content: { parts: [{ text: 'Paris is the capital of France.', thoughtSignature: 'Q2FzU2lnLW5zLTAx' }], role: 'model' },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: { ...usage(10, 7, 35, 4) },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'rsp-LMX-ns-0001',
  },
  null,
  2,
)}\n`;

export const VERTEX_OPTIONS: GeminiAdapterOptions = { vertex: { project: 'llmux-demo', location: 'us-central1', accessToken: CASSETTE_TOKEN } };

export const GEMINI_CASES: readonly GeminiCase[] = [
  {
    name: 'gemini-text',
    proves: 'CRLF framing, text deltas whose characters are split across reads (stored as `_chunk_b64`), the signature on the last, empty part kept on the text block, cumulative usage (output = candidates + thoughts), `STOP` -> `stop`.',
    request: hello,
    exchanges: [{ status: 200, headers: SSE, body: textBody, cuts: [...at(textBody, 'こ', 1), ...at(textBody, '🏽', 2), ...at(textBody, '\r\n\r\n', 1)] }],
  },
  {
    name: 'gemini-thinking',
    proves: '`reasoningEffort` -> `thinkingConfig` with `includeThoughts`; `thought: true` parts -> `thinking_delta` and one thinking block; the answer after them a text block with its signature; `thinking` = thoughtsTokenCount.',
    request: { messages: [{ role: 'user', content: 'How many r are in strawberry?' }], reasoningEffort: 'low' },
    exchanges: [{ status: 200, headers: SSE, body: thinkingBody, cuts: at(thinkingBody, 'data:', 3) }],
  },
  {
    name: 'gemini-tool-call',
    proves: 'A whole-argument `functionCall` with no id (Gemini 3, signature on the part) -> start, one delta with the whole arguments, done; the id is made from the response id; the signature stays on the tool_call block; `STOP` with a call -> `tool_use`.',
    request: { model: 'gemini-3-flash-preview', messages: [{ role: 'user', content: 'What is the weather in Zürich?' }], tools: [weatherTool], toolChoice: 'auto' },
    exchanges: [{ status: 200, headers: SSE, body: toolCallBody, cuts: at(toolCallBody, 'ü', 1) }],
  },
  {
    name: 'gemini-parallel-tools',
    proves: 'Text then two calls in one chunk, one with Gemini\'s own id (kept), one without (made up); `toolChoice: required` -> mode ANY.',
    request: { messages: [{ role: 'user', content: 'Weather in Paris and Tokyo?' }], tools: [weatherTool], toolChoice: 'required' },
    exchanges: [{ status: 200, headers: SSE, body: parallelBody, cuts: [40, 200, 201, 202] }],
  },
  {
    name: 'gemini-tool-roundtrip',
    proves: 'The next turn: the previous response\'s blocks go back as a `functionCall` part with its `thoughtSignature` (and without the id llmux made up), the tool result as a `functionResponse` in a user turn; the answer streams as text.',
    request: roundTripRequest,
    exchanges: [{ status: 200, headers: SSE, body: roundTripBody }],
  },
  {
    name: 'vertex-streamed-args',
    proves: 'Vertex AI: the project URL, a bearer token (redacted), `partialArgs` with nested paths, strings continued across fragments (one split inside a character), a number, booleans and a null, assembled into one JSON text; interim usage with only `trafficType` ignored.',
    request: { model: 'gemini-3-pro-preview', messages: [{ role: 'user', content: 'Book the design review on Thursday at 2pm with Ada and Grace (optional).' }], tools: [{ name: 'create_event', parameters: { type: 'object' } }] },
    options: VERTEX_OPTIONS,
    exchanges: [{ status: 200, headers: SSE, body: vertexBody, cuts: [...at(vertexBody, '✨', 2), ...at(vertexBody, 'partialArgs', 4)] }],
  },
  {
    name: 'gemini-max-tokens',
    proves: '`MAX_TOKENS` -> `length` with the raw reason kept; LF framing (as some proxies send) reads the same; `maxOutputTokens` and `temperature` in generationConfig.',
    request: { model: 'gemini-2.5-flash-lite', messages: [{ role: 'user', content: 'Explain the curl-multi pattern.' }], maxOutputTokens: 16, temperature: 0.2 },
    exchanges: [{ status: 200, headers: SSE, body: lengthBody }],
  },
  {
    name: 'gemini-safety',
    proves: '`SAFETY` after partial text -> `done content_filter` (the text so far is kept), not an error.',
    request: { messages: [{ role: 'user', content: 'Describe the chemistry of energetic materials.' }] },
    exchanges: [{ status: 200, headers: SSE, body: safetyBody }],
  },
  {
    name: 'gemini-prompt-blocked',
    proves: 'A 200 whose only chunk has `promptFeedback.blockReason` and no candidates -> a `content_filter` error, never an empty success.',
    request: { messages: [{ role: 'user', content: 'Something the filters refuse.' }] },
    exchanges: [{ status: 200, headers: SSE, body: blockedBody }],
  },
  {
    name: 'gemini-raw-error',
    proves: 'A pretty-printed `{"error": {...}}` written raw into the 200 body after two events (no `data:` prefix; eventsource-parser drops such lines) ends the stream with its error: `server`, retryable, no `done`.',
    request: { messages: [{ role: 'user', content: 'Explain event loops.' }] },
    exchanges: [{ status: 200, headers: SSE, body: rawErrorParts.join(''), cuts: [Buffer.byteLength(rawErrorParts[0]!), Buffer.byteLength(rawErrorParts[0]! + rawErrorParts[1]!)] }],
  },
  {
    name: 'gemini-cut',
    proves: 'The body ends cleanly in the middle of a `data:` line, before any finishReason -> `protocol` error ("ended before a finishReason").',
    request: { messages: [{ role: 'user', content: 'Tell me about streams.' }] },
    exchanges: [{ status: 200, headers: SSE, body: cutBody }],
  },
  {
    name: 'gemini-400-key',
    proves: 'A bad key is HTTP 400 `INVALID_ARGUMENT` with `ErrorInfo.reason` `API_KEY_INVALID` -> `auth`, not retried, with the hint to set GEMINI_API_KEY.',
    request: hello,
    exchanges: [{ status: 400, headers: JSON_HEADERS, body: badKey }],
  },
  {
    name: 'gemini-429-then-200',
    proves: '429 `RESOURCE_EXHAUSTED` (per-minute quota) -> `retryAfterMs` from `RetryInfo.retryDelay` (Gemini sends no rate-limit headers); the engine waits 1 s and the retry streams normally.',
    request: hello,
    exchanges: [
      { status: 429, headers: JSON_HEADERS, body: rateLimited },
      { status: 200, headers: SSE, body: afterLimitBody },
    ],
  },
  {
    name: 'gemini-503',
    proves: '503 `UNAVAILABLE` ("The model is overloaded") -> retryable `server`; the engine retries twice and reports the third 503 with `attempts: 3`.',
    request: hello,
    exchanges: [1, 2, 3].map(() => ({ status: 503, headers: JSON_HEADERS, body: overloaded })),
  },
  {
    name: 'gemini-nonstream',
    proves: 'Non-streaming `:generateContent`: the pretty-printed body split over two reads -> the same ChatResponse shape (signature, cached tokens).',
    request: { system: 'Answer in one sentence.', messages: [{ role: 'user', content: 'What is the capital of France?' }] },
    mode: 'request',
    exchanges: [{ status: 200, headers: JSON_HEADERS, body: nonStreamBody, cuts: [100] }],
  },
];
