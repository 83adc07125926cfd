/** Test-only builders of Anthropic stream events for the regression tests. */
import type { SseEvent } from '../../../src/providers/adapter.js';
import { sse } from '../../providers/openai/helpers.js';

type Json = Record<string, unknown>;
export const ev = (type: string, fields: Json = {}): SseEvent => sse(JSON.stringify({ type, ...fields }));
export const messageStart = (): SseEvent =>
  ev('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'c', content: [], stop_reason: null, usage: { input_tokens: 3, output_tokens: 1 } } });
export const blockStart = (index: number, block: Json): SseEvent => ev('content_block_start', { index, content_block: block });
export const blockDelta = (index: number, delta: Json): SseEvent => ev('content_block_delta', { index, delta });
export const blockStop = (index: number): SseEvent => ev('content_block_stop', { index });
export const messageDelta = (reason: string): SseEvent => ev('message_delta', { delta: { stop_reason: reason, stop_sequence: null }, usage: { output_tokens: 5 } });
export const messageStop: SseEvent = ev('message_stop');
