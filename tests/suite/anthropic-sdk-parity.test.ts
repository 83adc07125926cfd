// Issue 10's bar, checked against the real thing: for every corpus stream (split into its
// HTTP bodies) and every streamed Anthropic cassette, under whole / every-7-bytes / seeded
// random chunkings, llmux assembles the same text, thinking (with signatures), client tool
// calls, stop reason and usage as the official @anthropic-ai/sdk's MessageStream assembles
// from the same bytes, fed through its own `fetch` option.
import t, { type Test } from 'tap';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { createAnthropicStreamParser } from '../../src/providers/anthropic/stream-parser.js';
import type { ChatResponse } from '../../src/providers/types.js';
import { chunkings } from '../helpers/chunkings.js';
import { sdkFailure, sseFetch } from '../helpers/sdk-fetch.js';
import { runBytes } from '../providers/openai/helpers.js';
import { ANTHROPIC_CORPUS, cassetteNames, corpusStreams, readAnthropicCassette, wireBodies } from '../providers/anthropic/helpers.js';

interface Assembled {
  readonly text: string;
  readonly thinking: readonly string[];
  readonly toolCalls: readonly { id: string; name: string; input: unknown }[];
  readonly stopReason: string | undefined;
  /** input (all three counters), output, cache read, cache write. */
  readonly usage: readonly (number | null)[];
  /** Every block's type, in order: server-tool blocks are kept, not dropped. */
  readonly blockTypes: readonly string[];
}

async function sdk(chunks: readonly Uint8Array[]): Promise<Assembled | string> {
  const client = new Anthropic({
    apiKey: 'test-key',
    baseURL: 'http://sdk.invalid',
    maxRetries: 0,
    fetch: sseFetch(chunks),
  });
  try {
    const message = await client.messages.stream({ model: 'm', max_tokens: 16, messages: [{ role: 'user', content: 'x' }] }).finalMessage();
    const u = message.usage;
    const input = u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
    return {
      text: message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join(''),
      thinking: message.content.flatMap((block) => (block.type === 'thinking' ? [`${block.thinking}|${block.signature}`] : [])),
      toolCalls: message.content.flatMap((block) => (block.type === 'tool_use' ? [{ id: block.id, name: block.name, input: block.input }] : [])),
      stopReason: message.stop_reason ?? undefined,
      usage: [input, u.output_tokens, u.cache_read_input_tokens ?? null, u.cache_creation_input_tokens ?? null],
      // The builder makes no block of a text block that stayed empty.
      blockTypes: message.content.filter((block) => block.type !== 'text' || block.text.length > 0).map((block) => block.type),
    };
  } catch (error) {
    return sdkFailure(error);
  }
}

function ours(chunks: readonly Uint8Array[]): ChatResponse | undefined {
  const result = runBytes(() => createAnthropicStreamParser({ model: 'm' }), chunks).result;
  return result.isOk() ? result.value : undefined;
}

function assembled(response: ChatResponse): Assembled {
  const usage = response.usage;
  return {
    text: response.text,
    thinking: response.content.flatMap((block) => (block.type === 'thinking' ? [`${block.text}|${block.signature ?? ''}`] : [])),
    toolCalls: response.toolCalls.map((call) => ({ id: call.id, name: call.name, input: JSON.parse(call.arguments) as unknown })),
    stopReason: response.rawFinishReason,
    usage: [usage?.input ?? null, usage?.output ?? null, usage?.cached ?? null, usage?.cacheWrite ?? null],
    blockTypes: response.content.map((block) => {
      if (block.type === 'tool_call') return 'tool_use';
      if (block.type !== 'provider') return block.type;
      const data = block.data as { type?: string } | null;
      return data?.type ?? 'provider';
    }),
  };
}

/**
 * The SDK refuses a second message_start before message_stop, even one that repeats the
 * same message; llmux ignores the duplicate (as the AI SDK does) and refuses a different id.
 */
const SDK_STRICTER = /^the SDK failed: Unexpected event order, got message_start before receiving "message_stop"/;

const sdkRefused = new Set<string>();

/** Compares under three chunkings; returns whether llmux completed the body. */
async function compare(t: Test, name: string, body: Buffer): Promise<boolean> {
  let completed = true;
  // The SDK reads the body once, whole: it is the reference, and what it does under other
  // chunkings says nothing about llmux, whose own reading is compared under every chunking.
  const theirs = await sdk([body]);
  for (const [how, chunks] of chunkings(body, name.length * 31 + body.length)) {
    const mine = ours(chunks);
    if (typeof theirs === 'string' && SDK_STRICTER.test(theirs)) {
      sdkRefused.add(name);
      if (mine === undefined) completed = false;
      continue;
    }
    if (mine === undefined) {
      completed = false;
      continue;
    }
    t.same(assembled(mine), theirs, `${name} (${how}): same as @anthropic-ai/sdk`);
  }
  return completed;
}

t.test('the streamed cassettes', async (t) => {
  const refusedByDesign: string[] = [];
  let compared = 0;
  for (const name of cassetteNames()) {
    for (const [i, exchange] of readAnthropicCassette(name).entries()) {
      const body = exchange.request.body as { stream?: boolean };
      if (exchange.response.status !== 200 || body.stream !== true) continue;
      const label = `${name}#${i}`;
      if (await compare(t, label, Buffer.concat(exchange.chunks))) compared++;
      else refusedByDesign.push(label);
    }
  }
  t.ok(compared >= 11, `${compared} cassette bodies compared`);
  // An in-band error (before or after content) and a cut stream are failures in llmux; the
  // SDK throws on them too, so there is nothing to compare.
  t.same(refusedByDesign, ['overloaded-after-delta#0', 'overloaded-then-200#0', 'truncated#0']);
});

t.test('the public corpus, one HTTP body at a time', { skip: existsSync(ANTHROPIC_CORPUS) ? false : 'the shared corpus is not beside this checkout' }, async (t) => {
  let compared = 0;
  const refused: string[] = [];
  for (const path of corpusStreams()) {
    for (const [i, body] of wireBodies(path).entries()) {
      const label = `${basename(path)}#${i}`;
      if (await compare(t, label, Buffer.from(body))) compared++;
      else refused.push(label);
    }
  }
  t.ok(compared >= 50, `${compared} corpus bodies compared`);
  t.same(refused, ['spliced-message-start.chunks.txt#0'], 'llmux refuses only the spliced stream (two message ids in one body)');
  t.same([...sdkRefused].sort(), ['duplicate-message-start.chunks.txt#0', 'spliced-message-start.chunks.txt#0'], 'the SDK refuses both constructed streams');
});
