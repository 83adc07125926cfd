/** OpenAI Chat Completions stream pieces, for loopback servers in the CLI tests. */
const BASE = { id: 'chatcmpl-cli-test', object: 'chat.completion.chunk', created: 1767225600, model: 'gpt-4o-mini-2024-07-18' };

function event(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/** The opening chunk (role, empty content). */
export function sseStart(): string {
  return event({ ...BASE, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
}

export function sseText(text: string): string {
  return event({ ...BASE, choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });
}

/** The finish chunk, the usage chunk and [DONE]. */
export function sseFinish(reason = 'stop', prompt = 5, completion = 7): string {
  return (
    event({ ...BASE, choices: [{ index: 0, delta: {}, finish_reason: reason }] }) +
    event({ ...BASE, choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } }) +
    'data: [DONE]\n\n'
  );
}

/** A whole answer in one body. */
export function sseAnswer(pieces: readonly string[], reason = 'stop'): string {
  return sseStart() + pieces.map(sseText).join('') + sseFinish(reason);
}

export const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8' } as const;

export function errorBody(message: string, type: string, code: string | null): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}
