// The official Google Gen AI SDK: models.generateContentStream(), iterating the chunks' parts
// (text deltas; functionCall parts carry whole arguments, serialized as llmux and the floor do).
import { GoogleGenAI } from '@google/genai';
import { GEMINI_MODEL } from '../wire-providers.js';
import { describe, pool, PROMPT, streamHeaders, TOOL_NAMES, TOOL_PARAMETERS, type BenchClient, type RunContext } from './types.js';

interface Tool {
  name: string;
  arguments: string;
}

const TOOLS = [{ functionDeclarations: TOOL_NAMES.map((name) => ({ name, description: `bench tool ${name}`, parametersJsonSchema: TOOL_PARAMETERS })) }];

async function one(ctx: RunContext, ai: GoogleGenAI, stream: number): Promise<void> {
  let text = '';
  const tools: Tool[] = [];
  let deltas = 0;
  ctx.started(stream);
  try {
    const chunks = await ai.models.generateContentStream({
      model: GEMINI_MODEL,
      contents: PROMPT,
      config: { httpOptions: { headers: streamHeaders(stream) }, ...(ctx.kind === 'tool' ? { tools: TOOLS } : {}) },
    });
    for await (const chunk of chunks) {
      for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
        if (typeof part.text === 'string' && part.text !== '') {
          text += part.text;
          deltas++;
        } else if (part.functionCall !== undefined) {
          tools.push({ name: part.functionCall.name ?? '', arguments: JSON.stringify(part.functionCall.args ?? {}) });
          deltas++;
        }
      }
    }
    ctx.finished(stream, { text, tools, deltas });
  } catch (error) {
    ctx.finished(stream, { text, tools, deltas, error: describe(error) });
  }
}

export const client: BenchClient = {
  async run(ctx) {
    const ai = new GoogleGenAI({ apiKey: 'bench', httpOptions: { baseUrl: ctx.serverURL, timeout: 600_000 } });
    await pool(ctx.streams, ctx.concurrency, (stream) => one(ctx, ai, stream));
  },
};
