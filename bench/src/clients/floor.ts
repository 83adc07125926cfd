// The floor: undici request() on one Agent (connections unlimited), eventsource-parser,
// JSON.parse per event, concatenating the delta text. Nothing else.
import { createParser } from 'eventsource-parser';
import { Agent, request } from 'undici';
import { MODEL } from '../wire.js';
import { describe, pool, PROMPT, streamHeaders, type BenchClient, type RunContext } from './types.js';

interface Tool {
  name: string;
  arguments: string;
}

async function one(ctx: RunContext, agent: Agent, stream: number, url: string, body: string): Promise<void> {
  let text = '';
  const tools: Tool[] = [];
  let deltas = 0;
  ctx.started(stream);
  try {
    const response = await request(url, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench', ...streamHeaders(stream) },
      body,
    });
    if (response.statusCode !== 200) {
      const detail = await response.body.text();
      throw new Error(`HTTP ${response.statusCode}: ${detail.slice(0, 200)}`);
    }
    if (ctx.kind === 'whole') {
      const json = JSON.parse(await response.body.text());
      text = ctx.api === 'chat' ? json.choices[0].message.content : json.output[0].content[0].text;
      ctx.finished(stream, { text, tools, deltas: 1 });
      return;
    }
    const parser = createParser({
      onEvent(event) {
        if (event.data === '[DONE]') return;
        const json = JSON.parse(event.data);
        if (ctx.api === 'responses') {
          if (json.type === 'response.output_text.delta') {
            text += json.delta;
            deltas++;
          } else if (json.type === 'response.function_call_arguments.delta') {
            (tools[json.output_index] as Tool).arguments += json.delta;
            deltas++;
          } else if (json.type === 'response.output_item.added' && json.item.type === 'function_call') {
            tools[json.output_index] = { name: json.item.name, arguments: '' };
          }
          return;
        }
        const delta = json.choices[0]?.delta;
        if (delta === undefined) return;
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
      },
    });
    const decoder = new TextDecoder();
    for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
    parser.feed(decoder.decode());
    ctx.finished(stream, { text, tools, deltas });
  } catch (error) {
    ctx.finished(stream, { text, tools, deltas, error: describe(error) });
  }
}

export const client: BenchClient = {
  async run(ctx) {
    const agent = new Agent({ connections: null });
    const path = ctx.api === 'chat' ? '/chat/completions' : '/responses';
    const url = ctx.baseURL + path;
    const body = JSON.stringify(
      ctx.api === 'chat'
        ? { model: MODEL, messages: [{ role: 'user', content: PROMPT }], ...(ctx.kind === 'whole' ? {} : { stream: true, stream_options: { include_usage: true } }) }
        : { model: MODEL, input: PROMPT, ...(ctx.kind === 'whole' ? {} : { stream: true }) },
    );
    try {
      await pool(ctx.streams, ctx.concurrency, (stream) => one(ctx, agent, stream, url, body));
    } finally {
      await agent.close();
    }
  },
};
