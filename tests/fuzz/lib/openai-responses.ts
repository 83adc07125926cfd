import type { ChatRequest } from '../../../src/providers/types.js';
import { openAIProvider, toolArguments } from './openai-chat.js';
import { randomText, splitText, type Rng } from './rng.js';
import type { Expected, FuzzTarget, Generated, Json, LogicalEvent } from './target.js';

/** Shapes as in vcr-fixtures/openai/responses-*.jsonl. */
interface Item {
  readonly kind: 'message' | 'function_call' | 'reasoning';
  readonly id: string;
  readonly text: string;
  readonly callId: string;
  readonly name: string;
}

function items(rng: Rng): Item[] {
  const list: Item[] = [];
  if (rng.chance(0.3)) list.push({ kind: 'reasoning', id: `rs_${rng.int(1e9)}`, text: randomText(rng, 4), callId: '', name: '' });
  if (rng.chance(0.8)) list.push({ kind: 'message', id: `msg_${rng.int(1e9)}`, text: randomText(rng, 12), callId: '', name: '' });
  const calls = rng.chance(0.35) || list.length === 0 ? rng.range(1, 2) : 0;
  for (let i = 0; i < calls; i++) {
    list.push({ kind: 'function_call', id: `fc_${rng.int(1e9)}`, text: toolArguments(rng), callId: `call_${i}_${rng.int(1e6)}`, name: rng.pick(['get_weather', 'lookup']) });
  }
  return list;
}

function doneItem(item: Item): Json {
  switch (item.kind) {
    case 'message':
      return { id: item.id, type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: item.text, annotations: [] }] };
    case 'reasoning':
      return { id: item.id, type: 'reasoning', summary: [{ type: 'summary_text', text: item.text }] };
    case 'function_call':
      return { id: item.id, type: 'function_call', status: 'completed', arguments: item.text, call_id: item.callId, name: item.name };
  }
}

function addedItem(item: Item): Json {
  switch (item.kind) {
    case 'message':
      return { id: item.id, type: 'message', status: 'in_progress', role: 'assistant', content: [] };
    case 'reasoning':
      return { id: item.id, type: 'reasoning', summary: [] };
    case 'function_call':
      return { id: item.id, type: 'function_call', status: 'in_progress', arguments: '', call_id: item.callId, name: item.name };
  }
}

function usage(rng: Rng): Json {
  const input = rng.int(500);
  const output = rng.int(500);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: rng.int(input + 1) },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: rng.int(output + 1) },
    total_tokens: input + output,
  };
}

function expected(list: readonly Item[]): Expected {
  return {
    text: list.filter((item) => item.kind === 'message').map((item) => item.text).join(''),
    toolCalls: list.filter((item) => item.kind === 'function_call').map((item) => ({ name: item.name, arguments: item.text })),
  };
}

function response(id: string, status: string, output: Json, usageValue: Json): Json {
  return { id, object: 'response', created_at: 1767226400, status, error: null, incomplete_details: null, model: 'gpt-5-mini-2025-08-07', output, usage: usageValue };
}

function responsesStream(rng: Rng): Generated {
  const list = items(rng);
  const id = `resp_${rng.int(1e9)}`;
  const events: LogicalEvent[] = [];
  let sequence = 0;
  const push = (type: string, fields: Record<string, Json>): void => {
    events.push({ event: type, data: { type, sequence_number: sequence++, ...fields } });
  };
  push('response.created', { response: response(id, 'in_progress', [], null) });
  push('response.in_progress', { response: response(id, 'in_progress', [], null) });
  list.forEach((item, outputIndex) => {
    push('response.output_item.added', { output_index: outputIndex, item: addedItem(item) });
    const where = { item_id: item.id, output_index: outputIndex };
    switch (item.kind) {
      case 'message':
        push('response.content_part.added', { ...where, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
        for (const delta of splitText(rng, item.text, 6)) push('response.output_text.delta', { ...where, content_index: 0, delta });
        push('response.output_text.done', { ...where, content_index: 0, text: item.text });
        break;
      case 'reasoning':
        for (const delta of splitText(rng, item.text, 3)) push('response.reasoning_summary_text.delta', { ...where, summary_index: 0, delta });
        break;
      case 'function_call':
        for (const delta of splitText(rng, item.text, 5)) push('response.function_call_arguments.delta', { ...where, delta });
        push('response.function_call_arguments.done', { ...where, arguments: item.text });
        break;
    }
    push('response.output_item.done', { output_index: outputIndex, item: doneItem(item) });
  });
  push('response.completed', { response: response(id, 'completed', list.map(doneItem), usage(rng)) });
  return { streaming: true, events, expected: expected(list) };
}

function responsesBody(rng: Rng): Generated {
  const list = items(rng);
  return { streaming: false, body: response(`resp_${rng.int(1e9)}`, 'completed', list.map(doneItem), usage(rng)), expected: expected(list) };
}

export const openAIResponses: FuzzTarget = {
  name: 'openai-responses',
  provider: openAIProvider,
  request: (_streaming: boolean, caseHeaders): ChatRequest => ({
    model: 'gpt-5-mini',
    api: 'responses',
    messages: [{ role: 'user', content: 'fuzz' }],
    extraHeaders: caseHeaders,
  }),
  generate: (rng, streaming) => (streaming ? responsesStream(rng) : responsesBody(rng)),
  // response.incomplete and response.failed end a stream too, but only with an error.
  hasTerminal: (body) => body.includes('response.completed'),
};
