// The official Anthropic SDK: messages.create({ stream: true }), iterating the raw events.
import Anthropic from '@anthropic-ai/sdk';
import { ANTHROPIC_MODEL } from '../wire-providers.js';
import { describe, pool, PROMPT, streamHeaders, TOOL_NAMES, TOOL_PARAMETERS, type BenchClient, type RunContext } from './types.js';

type Client = InstanceType<typeof Anthropic>;

interface Tool {
  name: string;
  arguments: string;
}

const TOOLS = TOOL_NAMES.map((name) => ({
  name,
  description: `bench tool ${name}`,
  input_schema: TOOL_PARAMETERS as unknown as { type: 'object'; [key: string]: unknown },
}));

async function one(ctx: RunContext, anthropic: Client, stream: number): Promise<void> {
  let text = '';
  const tools: Tool[] = [];
  let deltas = 0;
  ctx.started(stream);
  try {
    const events = await anthropic.messages.create(
      { model: ANTHROPIC_MODEL, max_tokens: 4096, messages: [{ role: 'user', content: PROMPT }], stream: true, ...(ctx.kind === 'tool' ? { tools: TOOLS } : {}) },
      { headers: streamHeaders(stream) },
    );
    for await (const event of events) {
      if (event.type === 'content_block_delta') {
        if (event.delta.type === 'text_delta') {
          text += event.delta.text;
          deltas++;
        } else if (event.delta.type === 'input_json_delta') {
          const tool = tools[tools.length - 1];
          if (tool === undefined) throw new Error('input_json_delta before any tool_use block');
          tool.arguments += event.delta.partial_json;
          deltas++;
        }
      } else if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
        tools.push({ name: event.content_block.name, arguments: '' });
      }
    }
    ctx.finished(stream, { text, tools, deltas });
  } catch (error) {
    ctx.finished(stream, { text, tools, deltas, error: describe(error) });
  }
}

export const client: BenchClient = {
  async run(ctx) {
    const anthropic = new Anthropic({ apiKey: 'bench', baseURL: ctx.serverURL, maxRetries: 0, timeout: 600_000 });
    await pool(ctx.streams, ctx.concurrency, (stream) => one(ctx, anthropic, stream));
  },
};
