// Anthropic Messages and Gemini streamGenerateContent bodies from the same plan as the
// OpenAI ones (wire.ts), so the harness checks them the same way. Shapes follow the
// corpus captures (../shared/corpus/anthropic, google) and the reference notes: Anthropic
// `event: <type>` + `data:` with pings and no [DONE]; Gemini `data:` only, CRLF framing,
// the last chunk carrying finishReason and the usage. The content is our own.
import { ALNUM, pick, plan, type Frames, type StreamSpec } from './wire.js';

export const ANTHROPIC_MODEL = 'claude-sonnet-4-5';
const ANTHROPIC_SNAPSHOT = 'claude-sonnet-4-5-20250929';
export const GEMINI_MODEL = 'gemini-2.5-flash';
// A literal, not built from wire.ts's ALNUM: wire.ts imports this module, so its constants are not initialized yet here.
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function anthropicFrames(spec: StreamSpec, stream: number): Frames {
  const p = plan(spec, stream);
  const { random } = p;
  const event = (body: Record<string, unknown>): string => `event: ${body.type as string}\ndata: ${JSON.stringify(body)}\n\n`;
  const input = 20 + (stream % 50);
  const head = [
    event({
      type: 'message_start',
      message: {
        model: ANTHROPIC_SNAPSHOT,
        id: `msg_01${pick(random, ALNUM, 22)}`,
        type: 'message',
        role: 'assistant',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: input,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
          output_tokens: 1,
          service_tier: 'standard',
          inference_geo: 'not_available',
        },
      },
    }),
  ];
  const deltas: string[] = [];
  const ping = event({ type: 'ping' });
  let stopReason = 'end_turn';
  let last = 0;
  if (spec.kind === 'tool') {
    stopReason = 'tool_use';
    p.tools.forEach((tool, index) => {
      const start = event({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: tool.id.replace('call_', 'toolu_01'), name: tool.name, input: {} } });
      if (index === 0) head.push(start, ping);
      else deltas.push(event({ type: 'content_block_stop', index: index - 1 }), start);
      for (const piece of tool.pieces) deltas.push(event({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }));
      last = index;
    });
  } else {
    head.push(event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }), ping);
    for (const piece of p.textPieces) deltas.push(event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } }));
  }
  const tail = [
    event({ type: 'content_block_stop', index: last }),
    event({
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { input_tokens: input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: spec.deltas },
    }),
    event({ type: 'message_stop' }),
  ];
  return { head, deltas, tail };
}

export function geminiFrames(spec: StreamSpec, stream: number): Frames {
  const p = plan(spec, stream);
  const { random } = p;
  const responseId = pick(random, ALNUM, 23);
  const input = 20 + (stream % 50);
  let output = 0;
  const chunk = (parts: unknown[], finish?: string): string =>
    `data: ${JSON.stringify({
      candidates: [{ content: { parts, role: 'model' }, ...(finish === undefined ? {} : { finishReason: finish }), index: 0 }],
      usageMetadata: {
        promptTokenCount: input,
        candidatesTokenCount: output,
        totalTokenCount: input + output,
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: input }],
      },
      modelVersion: GEMINI_MODEL,
      responseId,
    })}\r\n\r\n`;
  const deltas: string[] = [];
  if (spec.kind === 'tool') {
    p.tools.forEach((tool, k) => {
      output++;
      const call = { functionCall: { name: tool.name, args: JSON.parse(tool.arguments) as unknown } };
      // Gemini 3 signs the first call of a turn.
      deltas.push(chunk([k === 0 ? { ...call, thoughtSignature: pick(random, B64, 96) } : call]));
    });
  } else {
    for (const piece of p.textPieces) {
      output++;
      deltas.push(chunk([{ text: piece }]));
    }
  }
  // As in the captures: the finish rides on an empty text part carrying the signature.
  const tail = [chunk([{ text: '', thoughtSignature: pick(random, B64, 96) }], 'STOP')];
  return { head: [], deltas, tail };
}
