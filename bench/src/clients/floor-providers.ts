// The floor for the Anthropic Messages and Gemini wire formats: as floor.ts, undici request()
// on one Agent + eventsource-parser + JSON.parse per event, taking the text and tool-call
// arguments out of each event. Nothing else.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Agent, request } from 'undici';
import { ANTHROPIC_MODEL, GEMINI_MODEL } from '../wire-providers.js';
import { describe, pool, PROMPT, streamHeaders, TOOL_NAMES, TOOL_PARAMETERS, type BenchClient, type RunContext } from './types.js';

interface Tool {
  name: string;
  arguments: string;
}

interface Collected {
  text: string;
  tools: Tool[];
  deltas: number;
}

type OnEvent = (event: EventSourceMessage, into: Collected) => void;

async function one(ctx: RunContext, agent: Agent, stream: number, url: string, headers: Record<string, string>, body: string, onEvent: OnEvent): Promise<void> {
  const into: Collected = { text: '', tools: [], deltas: 0 };
  ctx.started(stream);
  try {
    const response = await request(url, { method: 'POST', dispatcher: agent, headers: { ...headers, ...streamHeaders(stream) }, body });
    if (response.statusCode !== 200) {
      const detail = await response.body.text();
      throw new Error(`HTTP ${response.statusCode}: ${detail.slice(0, 200)}`);
    }
    const parser = createParser({ onEvent: (event) => onEvent(event, into) });
    const decoder = new TextDecoder();
    for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
    parser.feed(decoder.decode());
    ctx.finished(stream, into);
  } catch (error) {
    ctx.finished(stream, { ...into, error: describe(error) });
  }
}

function floor(target: (ctx: RunContext) => { url: string; headers: Record<string, string>; body: string }, onEvent: OnEvent): BenchClient {
  return {
    async run(ctx) {
      const agent = new Agent({ connections: null });
      const { url, headers, body } = target(ctx);
      try {
        await pool(ctx.streams, ctx.concurrency, (stream) => one(ctx, agent, stream, url, headers, body, onEvent));
      } finally {
        await agent.close();
      }
    },
  };
}

/** Anthropic: content_block_start opens a tool_use block; content_block_delta carries text or partial_json. */
function anthropicEvent(event: EventSourceMessage, into: Collected): void {
  if (event.event !== 'content_block_delta' && event.event !== 'content_block_start') return;
  const json = JSON.parse(event.data);
  if (json.type === 'content_block_start') {
    if (json.content_block.type === 'tool_use') into.tools.push({ name: json.content_block.name, arguments: '' });
    return;
  }
  const delta = json.delta;
  if (delta.type === 'text_delta') {
    into.text += delta.text;
    into.deltas++;
  } else if (delta.type === 'input_json_delta') {
    (into.tools[into.tools.length - 1] as Tool).arguments += delta.partial_json;
    into.deltas++;
  }
}

/** Gemini: every event is a GenerateContentResponse; text parts are deltas, functionCall parts whole calls. */
function geminiEvent(event: EventSourceMessage, into: Collected): void {
  const json = JSON.parse(event.data);
  const parts = json.candidates?.[0]?.content?.parts;
  if (parts === undefined) return;
  for (const part of parts) {
    if (typeof part.text === 'string' && part.text !== '') {
      into.text += part.text;
      into.deltas++;
    } else if (part.functionCall !== undefined) {
      into.tools.push({ name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) });
      into.deltas++;
    }
  }
}

export const anthropicFloor = floor(
  (ctx) => ({
    url: `${ctx.serverURL}/v1/messages`,
    headers: { 'content-type': 'application/json', 'x-api-key': 'bench', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({
      model: ANTHROPIC_MODEL,
      max_tokens: 4096,
      messages: [{ role: 'user', content: PROMPT }],
      stream: true,
      ...(ctx.kind === 'tool' ? { tools: TOOL_NAMES.map((name) => ({ name, description: `bench tool ${name}`, input_schema: TOOL_PARAMETERS })) } : {}),
    }),
  }),
  anthropicEvent,
);

export const geminiFloor = floor(
  (ctx) => ({
    url: `${ctx.serverURL}/v1beta/models/${GEMINI_MODEL}:streamGenerateContent?alt=sse`,
    headers: { 'content-type': 'application/json', 'x-goog-api-key': 'bench' },
    body: JSON.stringify({
      contents: [{ role: 'user', parts: [{ text: PROMPT }] }],
      ...(ctx.kind === 'tool' ? { tools: [{ functionDeclarations: TOOL_NAMES.map((name) => ({ name, description: `bench tool ${name}`, parametersJsonSchema: TOOL_PARAMETERS })) }] } : {}),
    }),
  }),
  geminiEvent,
);
