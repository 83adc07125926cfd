/**
 * Writes the demo cassettes in vcr-fixtures/demo: OpenAI Chat Completions streams (and two
 * Anthropic Messages streams), one
 * exchange each, with chunk times shaped like a live model (a pause before the first token,
 * then a token every 15-45 ms, now and then two in one read). Deterministic: rerunning it
 * gives the same files.
 *
 *   npx tsc -p tsconfig.json && node dist/tests/cli/tools/make-demo-cassettes.js --write
 *
 * Without --write it only checks that it would write the same files (so a test runner that
 * picks it up changes nothing).
 */
import type { TransferRequest } from '../../../src/http/types.js';
import { createAnthropicAdapter } from '../../../src/providers/anthropic/adapter.js';
import { resolveOpenAIConfig, prepareOpenAIRequest } from '../../../src/providers/openai/adapter.js';
import type { ChatRequest } from '../../../src/providers/types.js';
import type { Exchange, RecordedChunk } from '../../../src/vcr/cassette.js';
import { mulberry32 } from '../../../src/vcr/faults.js';
import { demoRequest, writeDemoCassettes } from '../../helpers/demo-cassettes.js';

interface DemoScript {
  readonly name: string;
  /** Recorded from Anthropic's Messages API instead of OpenAI Chat Completions. */
  readonly anthropic?: true;
  readonly question: string;
  readonly answer: string;
}

const SCRIPTS: readonly DemoScript[] = [
  {
    name: 'curl-multi',
    question: 'Explain the curl-multi pattern in two short paragraphs.',
    answer:
      'The **curl-multi** pattern runs many transfers from *one* thread: you register each request with a multi handle, and your own event loop calls `perform()` whenever sockets are ready.\n\n' +
      'Nothing blocks and nothing runs behind your back. Callbacks fire only inside the pump, so the host decides when user code runs, and a thousand streams cost a thousand sockets, not a thousand threads.',
  },
  {
    name: 'haiku',
    question: 'Write a haiku about an event loop.',
    answer: '*Sockets whisper, wait —*\n*one loop turns and reads them all;*\n*no thread holds its breath.*',
  },
  {
    name: 'sse-uses',
    question: 'List four good uses of Server-Sent Events, one line each.',
    answer:
      '## Where SSE shines\n\n' +
      '- **LLM token streams**: the answer appears as it is written.\n' +
      '- **Live dashboards**: metrics pushed the moment they change.\n' +
      '- **Notifications**: one long-lived request instead of polling.\n' +
      '- **Build logs**: follow a CI job line by line.\n\n' +
      'All of them are plain HTTP, so proxies and `curl` just work.',
  },
  {
    name: 'typescript-sum',
    question: 'Show a TypeScript function that sums an array of numbers.',
    answer:
      'Here is a small, typed version:\n\n' +
      '```ts\n' +
      'export function sum(values: readonly number[]): number {\n' +
      '  let total = 0;\n' +
      '  for (const value of values) total += value;\n' +
      '  return total;\n' +
      '}\n' +
      '```\n\n' +
      'A `reduce` works too, but the loop is easier to read and just as fast.',
  },
  {
    name: 'backpressure',
    question: 'What is backpressure? Answer in three sentences.',
    answer:
      '> Backpressure is how a slow consumer tells a fast producer to wait.\n\n' +
      'Instead of buffering without limit, the reader stops pulling, so the writer pauses until there is room again. ' +
      'In llmux, bytes a host has not pumped yet past a high-water mark pause the socket, which keeps memory per stream bounded.',
  },
  {
    name: 'retry-steps',
    question: 'How should a client retry a 429? Numbered steps, brief.',
    answer:
      '1. Read `Retry-After` (or `retry-after-ms`) and wait at least that long.\n' +
      '2. Otherwise back off exponentially, with **jitter**, so clients do not retry in lockstep.\n' +
      '3. Retry only before the first token reached the user.\n' +
      '4. Give up after a few attempts and report the error clearly.',
  },
  {
    name: 'claude-idle-timeout',
    anthropic: true,
    question: 'Why should an idle timeout reset on every chunk? One paragraph.',
    answer:
      'An idle timeout exists to catch a **dead connection**, not a slow model. Every chunk, even a `ping`, proves the server is still there, ' +
      'so the clock restarts; a request that truly runs too long is the job of a *total* timeout instead.',
  },
  {
    name: 'claude-tool-loop',
    anthropic: true,
    question: 'Outline a tool-use loop in four short steps.',
    answer:
      '1. Send the tools with the question.\n' +
      '2. When the answer stops with `tool_use`, run each call.\n' +
      '3. Send the results back as `tool_result` blocks.\n' +
      '4. Repeat until the model stops with `end_turn`.',
  },
];

/** Splits text into token-sized pieces: words with their leading space, punctuation apart. */
function tokens(text: string): string[] {
  return text.match(/\s*[\p{L}\p{N}'’]+|\s*[^\s\p{L}\p{N}]|\s+/gu) ?? [];
}

function sse(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

function exchangeFor(script: DemoScript, seed: number): Exchange {
  if (script.anthropic === true) return anthropicExchangeFor(script, seed);
  const config = resolveOpenAIConfig({ apiKey: 'demo', env: {} });
  if (config.isErr()) throw new Error(config.error.message);
  const request: ChatRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: script.question }] };
  const prepared = prepareOpenAIRequest(config.value, request, 'stream');
  if (prepared.isErr()) throw new Error(prepared.error.message);
  const id = `chatcmpl-LMXdemo${String(seed).padStart(4, '0')}${script.name.replace(/[^a-z]/g, '').slice(0, 8)}`;
  const base = { id, object: 'chat.completion.chunk', created: 1767225600 + seed, model: 'gpt-4o-mini-2024-07-18', system_fingerprint: 'fp_demo0001' };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): unknown => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    usage: null,
  });
  const pieces = tokens(script.answer);
  const events = [sse(chunk({ role: 'assistant', content: '', refusal: null })), ...pieces.map((piece) => sse(chunk({ content: piece })))];
  events.push(sse(chunk({}, 'stop')));
  const prompt = 9 + tokens(script.question).length;
  events.push(sse({ ...base, choices: [], usage: { prompt_tokens: prompt, completion_tokens: pieces.length, total_tokens: prompt + pieces.length } }));
  events.push('data: [DONE]\n\n');

  return timed(prepared.value.http, 'authorization', events, seed, (headersAt) => ({
    'content-type': 'text/event-stream; charset=utf-8',
    'x-request-id': `req_demo${seed}`,
    'openai-processing-ms': String(headersAt - 40),
  }));
}

/** An Anthropic Messages stream of the answer: event/data pairs, a ping, no [DONE]. */
function anthropicExchangeFor(script: DemoScript, seed: number): Exchange {
  const prepared = createAnthropicAdapter({ apiKey: 'demo', env: {} }).prepare({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: script.question }] }, 'stream');
  if (prepared.isErr()) throw new Error(prepared.error.message);
  const ev = (type: string, fields: Record<string, unknown> = {}): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;
  const pieces = tokens(script.answer);
  const usage = { input_tokens: 12 + tokens(script.question).length, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 };
  const id = `msg_01Demo${String(seed).padStart(4, '0')}${script.name.replace(/[^a-z]/g, '').slice(0, 10)}`;
  const events = [
    ev('message_start', { message: { id, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [], stop_reason: null, stop_sequence: null, usage } }),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ev('ping'),
    ...pieces.map((piece) => ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } })),
    ev('content_block_stop', { index: 0 }),
    ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: pieces.length } }),
    ev('message_stop'),
  ];
  return timed(prepared.value.http, 'x-api-key', events, seed, () => ({ 'content-type': 'text/event-stream; charset=utf-8', 'request-id': `req_demo${seed}` }));
}

/** Chunk times shaped like a live model: a pause before the first token, then a token every 15-45 ms. */
function timed(
  http: TransferRequest,
  secretHeader: string,
  events: readonly string[],
  seed: number,
  responseHeaders: (headersAt: number) => Record<string, string>,
): Exchange {
  const random = mulberry32(seed);
  const headersAt = 180 + Math.round(random() * 220);
  let t = headersAt + 250 + Math.round(random() * 450);
  const chunks: RecordedChunk[] = [];
  for (let i = 0; i < events.length; ) {
    // Now and then the socket hands over two events in one read.
    const take = random() < 0.15 && i + 1 < events.length ? 2 : 1;
    chunks.push({ bytes: Buffer.from(events.slice(i, i + take).join(''), 'utf8'), t });
    i += take;
    t += 15 + Math.round(random() * 30) + (random() < 0.05 ? 120 : 0);
  }
  return {
    request: demoRequest(http, secretHeader),
    response: { status: 200, headers: responseHeaders(headersAt), t: headersAt },
    chunks,
    end: { kind: 'ok', t: t + 2 },
  };
}

writeDemoCassettes(SCRIPTS, exchangeFor);
