// llmux's per-request iterator: `for await (const event of provider.stream(request))`, one
// worker per stream in flight (the same pool shape as the peer SDK clients). stream()
// pumps the engine itself; the row shows what the iterator costs over the callback API.
import { providerFor, requestFor } from './llmux.js';
import type { BenchClient, RunContext } from './types.js';

interface Tool {
  name: string;
  arguments: string;
  done?: string;
}

export const streamClient: BenchClient = {
  async run(ctx: RunContext) {
    const provider = await providerFor(ctx);
    const streamOf = provider.stream?.bind(provider);
    if (streamOf === undefined) throw new Error('this llmux build has no provider.stream()');
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ctx.streams) {
        const stream = next++;
        ctx.started(stream);
        let text = '';
        let deltas = 0;
        let error: string | undefined;
        const tools: Tool[] = [];
        const events = streamOf(requestFor(ctx, stream));
        for await (const event of events) {
          if (event.type === 'text_delta') {
            text += event.text;
            deltas++;
          } else if (event.type === 'tool_call_start') {
            tools[event.index] = { name: event.name, arguments: '' };
          } else if (event.type === 'tool_call_delta') {
            const tool = (tools[event.index] ??= { name: '', arguments: '' });
            tool.arguments += event.arguments;
            deltas++;
          } else if (event.type === 'tool_call_done') {
            const tool = (tools[event.index] ??= { name: event.name, arguments: '' });
            tool.done = event.arguments;
          } else if (event.type === 'error') {
            error = `${event.category}: ${event.message}`;
          }
        }
        const result = await events.result;
        if (result.isErr()) error ??= `${result.error.category}: ${result.error.message}`;
        for (const [index, tool] of tools.entries()) {
          if (error === undefined && tool !== undefined && tool.done !== tool.arguments) error = `tool_call_done(${index}).arguments differs`;
        }
        ctx.finished(stream, { text, tools: tools.map((t) => ({ name: t.name, arguments: t.arguments })), deltas, ...(error === undefined ? {} : { error }) });
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(ctx.concurrency, ctx.streams) }, worker));
    } finally {
      await provider.cleanup();
    }
  },
};
