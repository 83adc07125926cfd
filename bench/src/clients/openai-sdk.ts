// The official openai SDK: chat.completions.create({stream: true}) / responses.create({stream: true}),
// iterating the stream.
import OpenAI from 'openai';
import { MODEL } from '../wire.js';
import { describe, pool, PROMPT, streamHeaders, TOOL_NAMES, TOOL_PARAMETERS, type BenchClient, type RunContext } from './types.js';

type Client = InstanceType<typeof OpenAI>;

interface Tool {
  name: string;
  arguments: string;
}

const TOOLS = TOOL_NAMES.map((name) => ({
  type: 'function' as const,
  function: { name, description: `bench tool ${name}`, parameters: TOOL_PARAMETERS as unknown as Record<string, unknown> },
}));

async function chat(ctx: RunContext, openai: Client, stream: number): Promise<void> {
  let text = '';
  const tools: Tool[] = [];
  let deltas = 0;
  ctx.started(stream);
  try {
    const response = await openai.chat.completions.create(
      {
        model: MODEL,
        messages: [{ role: 'user', content: PROMPT }],
        stream: true,
        stream_options: { include_usage: true },
        ...(ctx.kind === 'tool' ? { tools: TOOLS } : {}),
      },
      { headers: streamHeaders(stream) },
    );
    for await (const chunk of response) {
      const delta = chunk.choices[0]?.delta;
      if (delta === undefined) continue;
      if (typeof delta.content === 'string' && delta.content !== '') {
        text += delta.content;
        deltas++;
      }
      if (delta.tool_calls !== undefined) {
        for (const call of delta.tool_calls) {
          const tool = (tools[call.index] ??= { name: '', arguments: '' });
          if (call.function?.name) tool.name = call.function.name;
          const args = call.function?.arguments;
          if (args) {
            tool.arguments += args;
            deltas++;
          }
        }
      }
    }
    ctx.finished(stream, { text, tools, deltas });
  } catch (error) {
    ctx.finished(stream, { text, tools, deltas, error: describe(error) });
  }
}

const RESPONSES_TOOLS = TOOL_NAMES.map((name) => ({
  type: 'function' as const,
  name,
  description: `bench tool ${name}`,
  parameters: TOOL_PARAMETERS as unknown as Record<string, unknown>,
  strict: false,
}));

async function responses(ctx: RunContext, openai: Client, stream: number): Promise<void> {
  let text = '';
  const tools: Tool[] = [];
  let deltas = 0;
  ctx.started(stream);
  try {
    const response = await openai.responses.create(
      { model: MODEL, input: PROMPT, stream: true, ...(ctx.kind === 'tool' ? { tools: RESPONSES_TOOLS } : {}) },
      { headers: streamHeaders(stream) },
    );
    for await (const event of response) {
      if (event.type === 'response.output_text.delta') {
        text += event.delta;
        deltas++;
      } else if (event.type === 'response.function_call_arguments.delta') {
        const tool = tools[event.output_index];
        if (tool === undefined) throw new Error(`arguments for unknown output ${event.output_index}`);
        tool.arguments += event.delta;
        deltas++;
      } else if (event.type === 'response.output_item.added' && event.item.type === 'function_call') {
        tools[event.output_index] = { name: event.item.name, arguments: '' };
      }
    }
    ctx.finished(stream, { text, tools, deltas });
  } catch (error) {
    ctx.finished(stream, { text, tools, deltas, error: describe(error) });
  }
}

/** A non-streaming answer: create() without stream, the text from the parsed body. */
async function whole(ctx: RunContext, openai: Client, stream: number): Promise<void> {
  ctx.started(stream);
  try {
    const text =
      ctx.api === 'chat'
        ? ((await openai.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: PROMPT }] }, { headers: streamHeaders(stream) })).choices[0]?.message.content ?? '')
        : (await openai.responses.create({ model: MODEL, input: PROMPT }, { headers: streamHeaders(stream) })).output_text;
    ctx.finished(stream, { text, tools: [], deltas: 1 });
  } catch (error) {
    ctx.finished(stream, { text: '', tools: [], deltas: 0, error: describe(error) });
  }
}

export const client: BenchClient = {
  async run(ctx) {
    const openai = new OpenAI({ apiKey: 'bench', baseURL: ctx.baseURL, maxRetries: 0, timeout: 600_000 });
    const one = ctx.kind === 'whole' ? whole : ctx.api === 'chat' ? chat : responses;
    await pool(ctx.streams, ctx.concurrency, (stream) => one(ctx, openai, stream));
  },
};
