// The deterministic stream generator. The server builds its SSE bodies from it and the
// client harness recomputes the expected text and tool-call arguments from the same
// parameters, so every delivered byte can be checked. Wire shapes follow real OpenAI
// captures (Chat Completions `chat.completion.chunk` + `data: [DONE]`, Responses
// `event: <type>` + `data:` with no [DONE]); the content is our own.

import { anthropicFrames, geminiFrames } from './wire-providers.js';

export type Api = 'chat' | 'responses' | 'anthropic' | 'gemini';
/** text and tool are SSE streams; whole is a non-streaming answer of the same text (one JSON body). */
export type Kind = 'text' | 'tool' | 'whole';

/** What one request asks the server for; it travels in the URL path (see pathPrefix). */
export interface StreamSpec {
  readonly api: Api;
  readonly kind: Kind;
  /** Text deltas (kind text) or tool-call argument deltas (kind tool, over all tool calls). */
  readonly deltas: number;
  /** Milliseconds between two writes of deltas; 0 = as fast as the socket takes them. */
  readonly paceMs: number;
  /** Delta events per socket write. */
  readonly coalesce: number;
}

export interface ExpectedTool {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

export interface Expected {
  readonly text: string;
  readonly tools: readonly ExpectedTool[];
}

/** The SSE body split into the head (sent at once), the deltas (paced) and the tail. */
export interface Frames {
  readonly head: string[];
  readonly deltas: string[];
  readonly tail: string[];
}

export const MODEL = 'gpt-4.1-mini';
const MODEL_SNAPSHOT = 'gpt-4.1-mini-2025-04-14';
export const STREAM_HEADER = 'x-bench-stream';

/**
 * The path that selects a scenario: /b/<kind>/<deltas>/<pace>/<coalesce>. OpenAI clients put
 * /v1 after it, Anthropic's append /v1/messages, Gemini's /v1beta/models/<model>:...
 */
export function pathPrefix(spec: Pick<StreamSpec, 'kind' | 'deltas' | 'paceMs' | 'coalesce'>): string {
  return `/b/${spec.kind}/${spec.deltas}/${spec.paceMs}/${spec.coalesce}`;
}

const ENDPOINTS: Readonly<Record<string, Api>> = { 'v1/chat/completions': 'chat', 'v1/responses': 'responses', 'v1/messages': 'anthropic' };

/** Parses what pathPrefix built plus the API path; undefined for anything else. */
export function parsePath(path: string): StreamSpec | undefined {
  const match = /^\/b\/(text|tool|whole)\/(\d+)\/(\d+)\/(\d+)\/(v1\/chat\/completions|v1\/responses|v1\/messages|v1beta\/models\/[\w.-]+:(?:streamGenerateContent|generateContent))(?:\?.*)?$/.exec(path);
  if (match === null) return undefined;
  const [, kind, deltas, pace, coalesce, endpoint] = match;
  const spec: StreamSpec = {
    api: ENDPOINTS[endpoint as string] ?? 'gemini',
    kind: kind as Kind,
    deltas: Number(deltas),
    paceMs: Number(pace),
    coalesce: Math.max(1, Number(coalesce)),
  };
  if (spec.deltas < 1 || spec.deltas > 100_000) return undefined;
  return spec;
}

// ---------------------------------------------------------------- deterministic randomness

/** mulberry32: small, fast, good enough to pick words. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(spec: Pick<StreamSpec, 'api' | 'kind' | 'deltas'>, stream: number): number {
  const api = spec.api === 'chat' ? 1 : spec.api === 'responses' ? 2 : spec.api === 'anthropic' ? 3 : 4;
  const kind = spec.kind === 'text' ? 3 : 5;
  return (Math.imul(stream + 1, 2654435761) ^ Math.imul(spec.deltas, 40503) ^ (api * 7919 + kind * 104729)) >>> 0;
}

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const HEX = '0123456789abcdef';

export function pick(random: () => number, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

/**
 * Token-sized pieces, as a model emits them: mostly ASCII words with a leading space, with
 * multi-byte text (2-, 3- and 4-byte UTF-8, combining marks, ZWJ emoji), JSON escapes
 * (quotes, backslashes, newlines, tabs) and punctuation mixed in.
 */
const TOKENS: readonly string[] = [
  ' the', ' stream', ' engine', ' of', ' and', ' to', ' a', ' in', ' is', ' that', ' for',
  ' model', ' request', ' token', ' latency', ' socket', ' buffer', ' event', ' parser',
  ' with', ' each', ' byte', ' loop', ' host', ' pump', ' transfer', ' delta', ' text',
  ',', '.', ':', ';', ' (', ')', '!', '?', ' -', '**', '`', '\n', '\n\n', '\n- ', '\t',
  ' café', ' naïve', ' Zürich', ' señor', ' façade', ' Ærø', ' Ωmega', ' π≈3.14', ' €42',
  ' 東京', ' データ', ' 日本語', ' 中文字符', ' 한국어', ' Привет', ' مرحبا', ' שלום',
  ' 🚀', ' 👍🏽', ' 👩‍💻', ' 🇯🇵', ' 𝔘𝔫𝔦𝔠𝔬𝔡𝔢', ' e\u0301', ' ∑x²',
  ' "quoted"', ' \\path\\to', ' {"k": 1}', ' <tag/>', " it's", ' 50%', ' a&b',
];

const CITIES: readonly string[] = ['São Paulo', 'Zürich', '東京', 'Reykjavík', 'Kraków', 'New York', 'Dübendorf', 'Ōsaka'];

function tokens(random: () => number, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(TOKENS[Math.floor(random() * TOKENS.length)] as string);
  return out;
}

/** Splits a string into exactly `parts` non-empty pieces at code point boundaries. */
function splitInto(text: string, parts: number): string[] {
  const points = Array.from(text);
  if (points.length < parts) throw new Error('splitInto: text too short');
  const out: string[] = [];
  let from = 0;
  for (let i = 1; i <= parts; i++) {
    const to = Math.round((i * points.length) / parts);
    out.push(points.slice(from, to).join(''));
    from = to;
  }
  return out;
}

// ---------------------------------------------------------------- one stream, in pieces

export interface Plan {
  readonly random: () => number;
  readonly textPieces: string[];
  readonly tools: { id: string; name: string; arguments: string; pieces: string[] }[];
}

export function plan(spec: Pick<StreamSpec, 'api' | 'kind' | 'deltas'>, stream: number): Plan {
  const random = rng(seedOf(spec, stream));
  if (spec.kind !== 'tool') return { random, textPieces: tokens(random, spec.deltas), tools: [] };
  // The Gemini API sends each function call whole (no argument deltas): one call per delta.
  if (spec.api === 'gemini') return { random, textPieces: [], tools: Array.from({ length: spec.deltas }, (_, k) => wholeCall(random, k)) };
  // Two parallel tool calls; the argument deltas are split between them.
  const firstCount = Math.max(1, Math.floor(spec.deltas / 2));
  const counts = spec.deltas >= 2 ? [firstCount, spec.deltas - firstCount] : [spec.deltas];
  const names = ['get_weather', 'search_documents'];
  const tools = counts.map((count, k) => {
    const args = JSON.stringify({
      location: CITIES[Math.floor(random() * CITIES.length)],
      unit: random() < 0.5 ? 'celsius' : 'fahrenheit',
      query: tokens(random, count).join('').trim(),
      limit: 1 + Math.floor(random() * 20),
    });
    return { id: `call_${pick(random, ALNUM, 24)}`, name: names[k] as string, arguments: args, pieces: splitInto(args, count) };
  });
  return { random, textPieces: [], tools };
}

function wholeCall(random: () => number, k: number): Plan['tools'][number] {
  const args = JSON.stringify({
    location: CITIES[Math.floor(random() * CITIES.length)],
    unit: random() < 0.5 ? 'celsius' : 'fahrenheit',
    query: tokens(random, 8).join('').trim(),
    limit: 1 + Math.floor(random() * 20),
  });
  return { id: `call_${pick(random, ALNUM, 24)}`, name: k % 2 === 0 ? 'get_weather' : 'search_documents', arguments: args, pieces: [args] };
}

/** What a correct client delivers for this stream. */
export function expectedFor(spec: Pick<StreamSpec, 'api' | 'kind' | 'deltas'>, stream: number): Expected {
  const p = plan(spec, stream);
  return {
    text: p.textPieces.join(''),
    tools: p.tools.map(({ id, name, arguments: args }) => ({ id, name, arguments: args })),
  };
}

export function framesFor(spec: StreamSpec, stream: number): Frames {
  switch (spec.api) {
    case 'chat':
      return chatFrames(spec, stream);
    case 'responses':
      return responsesFrames(spec, stream);
    case 'anthropic':
      return anthropicFrames(spec, stream);
    case 'gemini':
      return geminiFrames(spec, stream);
  }
}

/** The non-streaming answer (kind whole): the stream's text in one JSON body, as the API sends it. */
export function wholeBody(spec: StreamSpec, stream: number): string {
  const p = plan(spec, stream);
  const { random } = p;
  const text = p.textPieces.join('');
  const created = 1_771_000_000 + (stream % 86_400);
  const input = 20 + (stream % 50);
  if (spec.api === 'chat') {
    return JSON.stringify({
      id: `chatcmpl-${pick(random, ALNUM, 29)}`,
      object: 'chat.completion',
      created,
      model: MODEL_SNAPSHOT,
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: input,
        completion_tokens: spec.deltas,
        total_tokens: input + spec.deltas,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
      service_tier: 'default',
      system_fingerprint: `fp_${pick(random, HEX, 10)}`,
    });
  }
  const itemId = `msg_${pick(random, HEX, 50)}`;
  const item = { id: itemId, type: 'message', status: 'completed', content: [{ type: 'output_text', annotations: [], logprobs: [], text }], role: 'assistant' };
  return JSON.stringify(
    responseObject(`resp_${pick(random, HEX, 50)}`, created, 'completed', [item], {
      input_tokens: input,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: spec.deltas,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: input + spec.deltas,
    }),
  );
}

// ---------------------------------------------------------------- Chat Completions

function chatFrames(spec: StreamSpec, stream: number): Frames {
  const p = plan(spec, stream);
  const { random } = p;
  const id = `chatcmpl-${pick(random, ALNUM, 29)}`;
  const created = 1_771_000_000 + (stream % 86_400);
  const fingerprint = `fp_${pick(random, HEX, 10)}`;
  // Key order as the API sends it.
  const chunk = (choices: unknown[], usage: unknown): string =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model: MODEL_SNAPSHOT,
      service_tier: 'default',
      system_fingerprint: fingerprint,
      choices,
      usage,
      obfuscation: pick(random, ALNUM, 1 + Math.floor(random() * 12)),
    })}\n\n`;
  const choice = (delta: unknown, finish: string | null = null) => [{ index: 0, delta, logprobs: null, finish_reason: finish }];

  const head: string[] = [];
  const deltas: string[] = [];
  let finish = 'stop';
  if (spec.kind === 'text') {
    head.push(chunk(choice({ role: 'assistant', content: '', refusal: null }), null));
    for (const piece of p.textPieces) deltas.push(chunk(choice({ content: piece }), null));
  } else {
    finish = 'tool_calls';
    p.tools.forEach((tool, index) => {
      const start = { index, id: tool.id, type: 'function', function: { name: tool.name, arguments: '' } };
      const first = index === 0 ? { role: 'assistant', content: null, tool_calls: [start], refusal: null } : { tool_calls: [start] };
      // The first call's start goes with the head; later starts sit between argument deltas.
      (index === 0 ? head : deltas).push(chunk(choice(first), null));
      for (const piece of tool.pieces) deltas.push(chunk(choice({ tool_calls: [{ index, function: { arguments: piece } }] }), null));
    });
  }
  const output = spec.deltas;
  const input = 20 + (stream % 50);
  const tail = [
    chunk(choice({}, finish), null),
    chunk([], {
      prompt_tokens: input,
      completion_tokens: output,
      total_tokens: input + output,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    }),
    'data: [DONE]\n\n',
  ];
  return { head, deltas, tail };
}

// ---------------------------------------------------------------- Responses API

function responseObject(respId: string, createdAt: number, status: string, output: unknown[], usage: unknown): Record<string, unknown> {
  return {
    id: respId,
    object: 'response',
    created_at: createdAt,
    status,
    background: false,
    completed_at: status === 'completed' ? createdAt + 2 : null,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    max_tool_calls: null,
    model: MODEL_SNAPSHOT,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    prompt_cache_key: null,
    reasoning: { effort: null, summary: null },
    safety_identifier: null,
    service_tier: status === 'completed' ? 'default' : 'auto',
    store: true,
    temperature: 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    tools: [],
    top_logprobs: 0,
    top_p: 1,
    truncation: 'disabled',
    usage,
    user: null,
    metadata: {},
  };
}


function responsesFrames(spec: StreamSpec, stream: number): Frames {
  const p = plan(spec, stream);
  const { random } = p;
  const respId = `resp_${pick(random, HEX, 50)}`;
  const itemId = `msg_${pick(random, HEX, 50)}`;
  const createdAt = 1_771_000_000 + (stream % 86_400);
  let sequence = 0;
  const event = (type: string, body: Record<string, unknown>): string =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...body, sequence_number: sequence++ })}\n\n`;
  const response = (status: string, output: unknown[], usage: unknown) => responseObject(respId, createdAt, status, output, usage);
  const usage = (stream: number) => {
    const input = 20 + (stream % 50);
    return {
      input_tokens: input,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: spec.deltas,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: input + spec.deltas,
    };
  };
  if (spec.kind === 'tool') {
    // Function calls one after the other, as the API streams parallel calls: added, argument deltas, done.
    const head = [event('response.created', { response: response('in_progress', [], null) }), event('response.in_progress', { response: response('in_progress', [], null) })];
    const deltas: string[] = [];
    const items: unknown[] = [];
    p.tools.forEach((tool, index) => {
      const fcId = `fc_${pick(random, HEX, 50)}`;
      const item = (status: string, args: string) => ({ id: fcId, type: 'function_call', status, arguments: args, call_id: tool.id, name: tool.name });
      (index === 0 ? head : deltas).push(event('response.output_item.added', { item: item('in_progress', ''), output_index: index }));
      for (const piece of tool.pieces) {
        deltas.push(event('response.function_call_arguments.delta', { delta: piece, item_id: fcId, obfuscation: pick(random, ALNUM, 1 + Math.floor(random() * 14)), output_index: index }));
      }
      deltas.push(event('response.function_call_arguments.done', { arguments: tool.arguments, item_id: fcId, output_index: index }));
      deltas.push(event('response.output_item.done', { item: item('completed', tool.arguments), output_index: index }));
      items.push(item('completed', tool.arguments));
    });
    return { head, deltas, tail: [event('response.completed', { response: response('completed', items, usage(stream)) })] };
  }
  const text = p.textPieces.join('');
  const part = (t: string) => ({ type: 'output_text', annotations: [], logprobs: [], text: t });
  const head = [
    event('response.created', { response: response('in_progress', [], null) }),
    event('response.in_progress', { response: response('in_progress', [], null) }),
    event('response.output_item.added', {
      item: { id: itemId, type: 'message', status: 'in_progress', content: [], role: 'assistant' },
      output_index: 0,
    }),
    event('response.content_part.added', { content_index: 0, item_id: itemId, output_index: 0, part: part('') }),
  ];
  const deltas = p.textPieces.map((piece) =>
    event('response.output_text.delta', {
      content_index: 0,
      delta: piece,
      item_id: itemId,
      logprobs: [],
      obfuscation: pick(random, ALNUM, 1 + Math.floor(random() * 14)),
      output_index: 0,
    }),
  );
  const item = { id: itemId, type: 'message', status: 'completed', content: [part(text)], role: 'assistant' };
  const tail = [
    event('response.output_text.done', { content_index: 0, item_id: itemId, logprobs: [], output_index: 0, text }),
    event('response.content_part.done', { content_index: 0, item_id: itemId, output_index: 0, part: part(text) }),
    event('response.output_item.done', { item, output_index: 0 }),
    event('response.completed', { response: response('completed', [item], usage(stream)) }),
  ];
  return { head, deltas, tail };
}
