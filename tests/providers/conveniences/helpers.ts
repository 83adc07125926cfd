import type { ServerResponse } from 'node:http';
import { SSE_HEADERS } from '../../helpers/loopback.js';

export function chatChunk(content: string, finish: string | null = null): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;
}

export function sendStream(res: ServerResponse, parts: readonly string[]): void {
  res.writeHead(200, { ...SSE_HEADERS, 'x-request-id': 'req_stream' });
  res.end(parts.map((part, i) => chatChunk(part, i === parts.length - 1 ? 'stop' : null)).join('') + 'data: [DONE]\n\n');
}

export function sendCompletion(res: ServerResponse, text: string): void {
  res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_complete' });
  res.end(
    JSON.stringify({
      id: 'chatcmpl-y',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    }),
  );
}

export const ask = (content: string) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content }] });
