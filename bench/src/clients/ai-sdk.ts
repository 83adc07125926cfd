// The Vercel AI SDK: streamText({ model: createOpenAI(...).chat(...) | .responses(...) }),
// iterating textStream (text) or fullStream (tool calls).
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, streamText, tool } from 'ai';
import { MODEL } from '../wire.js';
import { describe, pool, PROMPT, streamHeaders, TOOL_NAMES, TOOL_PARAMETERS, type BenchClient, type RunContext } from './types.js';

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const TOOLS = Object.fromEntries(
  TOOL_NAMES.map((name) => [name, tool({ description: `bench tool ${name}`, inputSchema: jsonSchema(TOOL_PARAMETERS as never) })]),
);

function modelFor(ctx: RunContext) {
  const provider = createOpenAI({ baseURL: ctx.baseURL, apiKey: 'bench' });
  return ctx.api === 'chat' ? provider.chat(MODEL) : provider.responses(MODEL);
}

interface Tool {
  name: string;
  arguments: string;
}

async function one(ctx: RunContext, model: ReturnType<typeof modelFor>, stream: number): Promise<void> {
  let text = '';
  const tools: Tool[] = [];
  let deltas = 0;
  let failure: unknown;
  ctx.started(stream);
  try {
    const result = streamText({
      model,
      prompt: PROMPT,
      headers: streamHeaders(stream),
      maxRetries: 0,
      ...(ctx.kind === 'tool' ? { tools: TOOLS } : {}),
      onError: ({ error }: { error: unknown }) => {
        failure ??= error;
      },
    });
    if (ctx.kind === 'text') {
      for await (const piece of result.textStream) {
        text += piece;
        deltas++;
      }
    } else {
      const byId = new Map<string, Tool>();
      for await (const part of result.fullStream) {
        switch (part.type) {
          case 'text-delta':
            text += part.text;
            deltas++;
            break;
          case 'tool-input-start': {
            const entry = { name: part.toolName, arguments: '' };
            byId.set(part.id, entry);
            tools.push(entry);
            break;
          }
          case 'tool-input-delta': {
            const entry = byId.get(part.id);
            if (entry === undefined) throw new Error(`tool-input-delta for unknown id ${part.id}`);
            entry.arguments += part.delta;
            deltas++;
            break;
          }
          case 'error':
            failure ??= part.error;
            break;
          default:
            break;
        }
      }
    }
    if (failure !== undefined) throw failure;
    ctx.finished(stream, { text, tools, deltas });
  } catch (error) {
    ctx.finished(stream, { text, tools, deltas, error: describe(error) });
  }
}

/** A non-streaming answer: generateText(). */
async function whole(ctx: RunContext, model: ReturnType<typeof modelFor>, stream: number): Promise<void> {
  ctx.started(stream);
  try {
    const result = await generateText({ model, prompt: PROMPT, headers: streamHeaders(stream), maxRetries: 0 });
    ctx.finished(stream, { text: result.text, tools: [], deltas: 1 });
  } catch (error) {
    ctx.finished(stream, { text: '', tools: [], deltas: 0, error: describe(error) });
  }
}

export const client: BenchClient = {
  async run(ctx) {
    const model = modelFor(ctx);
    const each = ctx.kind === 'whole' ? whole : one;
    await pool(ctx.streams, ctx.concurrency, (stream) => each(ctx, model, stream));
  },
};
