/**
 * The recorded public corpus (../shared/corpus, see its README) through the stream parsers,
 * checked against an independent, straightforward accumulator written the way the OpenAI
 * SDK assembles streams:
 *  - Chat: concatenate `delta.content` per choice, merge `tool_calls` by index (id and
 *    name replaced when sent, arguments concatenated), last finish_reason, last usage.
 *  - Responses: the first `response.completed` event's final `response.output` is the
 *    ground truth for text and function calls, its `usage` for usage.
 * Known-bad files (README "Not verbatim recordings") are asserted to give a protocol error
 * or the documented result, never skipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import t from 'tap';
import { createChatStreamParser } from '../../../src/providers/openai/chat-stream-parser.js';
import { createResponsesStreamParser } from '../../../src/providers/openai/responses-stream-parser.js';
import type { ToolCall } from '../../../src/providers/types.js';
import { chatWire, CORPUS, corpusFiles, corpusLines, errOf, okOf, responsesWire, runParser, sseEvents, streamedText, type ParserRun } from './helpers.js';

type Json = Record<string, unknown>;

const corpusPresent = existsSync(CORPUS);

function runChat(body: string): ParserRun {
  return runParser(createChatStreamParser({ model: 'requested' }), sseEvents([Buffer.from(body, 'utf8')]));
}

function runResponses(body: string): ParserRun {
  return runParser(createResponsesStreamParser({ model: 'requested' }), sseEvents([Buffer.from(body, 'utf8')]));
}

// ---------- the independent Chat accumulator ----------

interface ChatTruth {
  text: Map<number, string>;
  reasoning: Map<number, string>;
  tools: Map<string, { id: string; name: string; arguments: string }>;
  finish: Map<number, string>;
  usage: Json | undefined;
}

function chatTruth(body: string): ChatTruth {
  const truth: ChatTruth = { text: new Map(), reasoning: new Map(), tools: new Map(), finish: new Map(), usage: undefined };
  for (const block of body.split('\n\n')) {
    const data = block.replace(/^data: /, '').trim();
    if (data.trim() === '' || data === '[DONE]') continue;
    const chunk = JSON.parse(data) as Json;
    if (chunk.usage !== null && chunk.usage !== undefined) truth.usage = chunk.usage as Json;
    for (const choice of (chunk.choices as Json[] | undefined) ?? []) {
      const index = choice.index as number;
      const delta = (choice.delta ?? {}) as Json;
      if (typeof delta.content === 'string') truth.text.set(index, (truth.text.get(index) ?? '') + delta.content);
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (typeof reasoning === 'string') truth.reasoning.set(index, (truth.reasoning.get(index) ?? '') + reasoning);
      for (const call of (delta.tool_calls as Json[] | undefined) ?? []) {
        const key = `${index}:${call.index as number}`;
        const acc = truth.tools.get(key) ?? { id: '', name: '', arguments: '' };
        if (typeof call.id === 'string') acc.id = call.id;
        const fn = (call.function ?? {}) as Json;
        if (typeof fn.name === 'string') acc.name = fn.name;
        if (typeof fn.arguments === 'string') acc.arguments += fn.arguments;
        truth.tools.set(key, acc);
      }
      if (typeof choice.finish_reason === 'string') truth.finish.set(index, choice.finish_reason);
    }
  }
  return truth;
}

const CHAT_FINISH: Record<string, string> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'content_filter',
};

function num(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

function chatUsageTruth(usage: Json | undefined) {
  if (usage === undefined) return null;
  const prompt = (usage.prompt_tokens_details ?? {}) as Json;
  const completion = (usage.completion_tokens_details ?? {}) as Json;
  return {
    input: num(usage.prompt_tokens),
    output: num(usage.completion_tokens),
    thinking: num(completion.reasoning_tokens),
    cached: num(prompt.cached_tokens),
    cacheWrite: null,
    total: num(usage.total_tokens),
  };
}

function thinkingOf(run: ParserRun): string {
  return okOf(run.result)
    .content.filter((block) => block.type === 'thinking')
    .map((block) => (block.type === 'thinking' ? block.text : ''))
    .join('');
}

/** A subtest's `t` (tap's overloads leave the callback form last). */
type Test = Parameters<Parameters<typeof t.test>[0]>[0];

function checkChat(t: Test, name: string, body: string): void {
  const run = runChat(body);
  const truth = chatTruth(body);
  t.equal(run.error, undefined, `${name}: no protocol error`);
  t.equal(run.finished, true, `${name}: finished at [DONE]`);
  const response = okOf(run.result);
  t.equal(response.text, truth.text.get(0) ?? '', `${name}: text`);
  t.equal(streamedText(run.events), truth.text.get(0) ?? '', `${name}: streamed text`);
  t.equal(thinkingOf(run), truth.reasoning.get(0) ?? '', `${name}: reasoning`);
  const calls: ToolCall[] = [...truth.tools.values()];
  t.same(response.toolCalls, calls, `${name}: tool calls`);
  const rawFinish = truth.finish.get(0);
  t.equal(response.finishReason, rawFinish === undefined ? 'unknown' : (CHAT_FINISH[rawFinish] ?? 'unknown'), `${name}: finish`);
  t.same(response.usage, chatUsageTruth(truth.usage), `${name}: usage`);
  const done = run.events.at(-1);
  t.same(done, { type: 'done', finishReason: response.finishReason, usage: response.usage, ...(response.rawFinishReason === undefined ? {} : { rawFinishReason: response.rawFinishReason }) }, `${name}: done event`);
}

// ---------- the independent Responses accumulator ----------

interface ResponsesTruth {
  text: string;
  calls: ToolCall[];
  usage: ReturnType<typeof responsesUsageTruth>;
  finish: string;
  /** What the deltas alone add up to (differs from `text` in trimmed recordings). */
  deltaText: string;
}

function responsesUsageTruth(usage: Json | null | undefined) {
  if (usage === null || usage === undefined) return null;
  const input = (usage.input_tokens_details ?? {}) as Json;
  const output = (usage.output_tokens_details ?? {}) as Json;
  return {
    input: num(usage.input_tokens),
    output: num(usage.output_tokens),
    thinking: num(output.reasoning_tokens),
    cached: num(input.cached_tokens),
    cacheWrite: null,
    total: num(usage.total_tokens),
  };
}

function responsesTruth(path: string): ResponsesTruth | undefined {
  let deltaText = '';
  for (const line of corpusLines(path)) {
    const event = JSON.parse(line) as Json;
    if (event.type === 'response.output_text.delta') deltaText += event.delta as string;
    if (event.type !== 'response.completed') continue;
    const response = event.response as Json;
    const output = response.output as Json[];
    let text = '';
    const calls: ToolCall[] = [];
    for (const item of output) {
      if (item.type === 'message') {
        for (const part of item.content as Json[]) if (part.type === 'output_text') text += part.text as string;
      }
      if (item.type === 'function_call') {
        calls.push({ id: item.call_id as string, name: item.name as string, arguments: item.arguments as string });
      }
    }
    return {
      text,
      calls,
      usage: responsesUsageTruth(response.usage as Json | null),
      finish: calls.length > 0 ? 'tool_use' : 'stop',
      deltaText,
    };
  }
  return undefined;
}

/**
 * Recordings whose deltas do not add up to their own final output: trimmed ones (README:
 * sequence numbers have gaps) and the hand-made openai-shell-container.1.
 */
const DELTAS_DISAGREE = new Set(['openai-phase.1.chunks.txt', 'openai-shell-container.1.chunks.txt']);
/** README: lines 1 and 6 are missing their final `}`. */
const BROKEN_JSON = 'parallel-tool-call-wrapper.1.chunks.txt';

if (!corpusPresent) {
  // The corpus is shared material outside the repository; CI clones may not have it.
  t.pass(`corpus not found at ${CORPUS}; corpus checks skipped`);
} else {
  t.test('OpenAI Chat corpus (openai-chat, openai-compatible) against the SDK-style accumulator', async (t) => {
    const files = [...corpusFiles('openai-chat', '.chunks.txt'), ...corpusFiles('openai-compatible', '.chunks.txt')];
    t.ok(files.length >= 7, 'found the Chat streams');
    for (const path of files) checkChat(t, path.slice(CORPUS.length + 1), chatWire(path));
  });

  t.test('raw Chat SSE bodies (ikigai, anthropic-fallback)', async (t) => {
    const files = [...corpusFiles('ikigai/openai', '.txt'), ...corpusFiles('openai-compatible', '.sse')];
    t.ok(files.length >= 4, 'found the raw SSE bodies');
    for (const path of files) checkChat(t, path.slice(CORPUS.length + 1), readFileSync(path, 'utf8'));
  });

  // The event index is the wire index (issue 9): a server that numbers its calls from 1 is
  // reported as it numbered them, so interleaved calls keep their identity.
  t.test('anthropic-fallback-tool-call: a tool call at wire index 1 keeps index 1', async (t) => {
    const run = runChat(readFileSync(resolve(CORPUS, 'openai-compatible/anthropic-fallback-tool-call.sse'), 'utf8'));
    const starts = run.events.filter((e) => e.type === 'tool_call_start');
    t.same(starts, [{ type: 'tool_call_start', index: 1, id: 'toolu_sanitized', name: 'read_file' }]);
    t.same(okOf(run.result).toolCalls, [{ id: 'toolu_sanitized', name: 'read_file', arguments: '{"path": "a.txt"}' }]);
  });

  t.test('azure-model-router: start waits for a chunk that names the model', async (t) => {
    const run = runChat(chatWire(resolve(CORPUS, 'openai-chat/azure-model-router.1.chunks.txt')));
    t.same(run.events[0], { type: 'start', model: 'gpt-5-nano-2025-08-07', id: 'chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt' });
  });

  t.test('Responses corpus against response.completed', async (t) => {
    const files = corpusFiles('openai-responses', '.chunks.txt');
    t.ok(files.length >= 30, 'found the Responses streams');
    for (const path of files) {
      const name = path.slice(CORPUS.length + 1);
      const base = name.slice('openai-responses/'.length);
      const run = runResponses(responsesWire(path));
      if (base === BROKEN_JSON) {
        // The OpenAI SDK throws a SyntaxError on line 1; we fail the transfer the same way.
        t.match(run.error, { category: 'protocol', message: /not valid JSON/ }, `${name}: protocol error`);
        t.same(run.events, [], `${name}: nothing emitted before the bad line`);
        t.match(errOf(run.result), { category: 'protocol' }, `${name}: result is the error`);
        continue;
      }
      if (base === 'openai-error.1.chunks.txt') {
        t.same(run.events.map((e) => e.type), ['start', 'error'], `${name}: start then error`);
        t.match(
          errOf(run.result),
          { category: 'rate_limit', providerCode: 'insufficient_quota', retryable: false },
          `${name}: quota error`,
        );
        continue;
      }
      const truth = responsesTruth(path);
      if (truth === undefined) throw new Error(`${name}: no response.completed`);
      t.equal(run.error, undefined, `${name}: no protocol error`);
      t.equal(run.finished, true, `${name}: finished`);
      const response = okOf(run.result);
      // Documented result: the text is what the deltas said (what the user saw), from the
      // first response of a file that holds several.
      t.equal(response.text, streamedText(run.events), `${name}: result text is the streamed text`);
      t.equal(response.text, truth.deltaText, `${name}: text is the deltas of the first response`);
      if (DELTAS_DISAGREE.has(base)) t.not(response.text, truth.text, `${name}: deltas and output disagree`);
      else t.equal(response.text, truth.text, `${name}: text`);
      t.same(response.toolCalls, truth.calls, `${name}: function calls`);
      t.equal(response.finishReason, truth.finish, `${name}: finish`);
      t.same(response.usage, truth.usage, `${name}: usage`);
    }
  });

  t.test('trimmed openai-phase.1: the deltas and the final output disagree, and we keep the deltas', async (t) => {
    const path = resolve(CORPUS, 'openai-responses/openai-phase.1.chunks.txt');
    const truth = responsesTruth(path);
    const response = okOf(runResponses(responsesWire(path)).result);
    t.not(truth?.text, response.text, 'the recording is inconsistent');
    t.equal(response.text, 'Got itHere are a few **AI');
  });

  t.test('Responses corpus in the vercel-test framing (data only, trailing [DONE]) gives the same results', async (t) => {
    for (const path of corpusFiles('openai-responses', '.chunks.txt')) {
      if (path.endsWith(BROKEN_JSON)) continue;
      const vercel = corpusLines(path).map((line) => `data: ${line}\n\n`).join('') + 'data: [DONE]\n\n';
      const a = runResponses(responsesWire(path));
      const b = runResponses(vercel);
      t.same(b.events, a.events, path.slice(CORPUS.length + 1));
    }
  });
}
