// OpenAI Chat Completions answers for batch tests, written from the wire format (not copied).
// A request's behaviour is chosen by the last user message: `ok`, `fail500` (always 500),
// `flaky` (a 429 with retry-after, then 200), `bad400`, `slow` (a stream that dawdles: the
// loopback server honours it), anything else answers like `ok`.

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** Whole body, or the SSE events of a stream (joined by the server/dispatcher). */
  readonly chunks: readonly string[];
}

export interface AskedRequest {
  readonly text: string;
  readonly stream: boolean;
}

/** The last user message's text and whether a stream was asked for. */
export function asked(body: string): AskedRequest {
  const parsed = JSON.parse(body) as { messages?: { role: string; content: unknown }[]; stream?: boolean };
  const user = [...(parsed.messages ?? [])].reverse().find((message) => message.role === 'user');
  return { text: typeof user?.content === 'string' ? user.content : '', stream: parsed.stream === true };
}

/** `kind:id` -> kind. */
export function kindOf(text: string): string {
  return text.split(':')[0] ?? '';
}

export function answerFor(request: AskedRequest, attempt: number): Answer {
  const kind = kindOf(request.text);
  if (kind === 'fail500') return error(500, 'server_error', 'The server had an error');
  if (kind === 'bad400') return error(400, 'invalid_request_error', 'bad request');
  if (kind === 'flaky' && attempt === 1) return { ...error(429, 'rate_limit_exceeded', 'slow down'), headers: { 'content-type': 'application/json', 'retry-after': '1', 'retry-after-ms': '20' } };
  const reply = `echo ${request.text}`;
  const usage = { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 };
  const id = `chatcmpl-${request.text.replace(/[^a-z0-9]/gi, '')}`;
  const headers = { 'x-request-id': `req_${id}` };
  if (!request.stream) {
    const body = {
      id,
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
      usage,
    };
    return { status: 200, headers: { ...headers, 'content-type': 'application/json' }, chunks: [JSON.stringify(body)] };
  }
  const chunk = (delta: object, finish: string | null, extra: object = {}): string =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
  return {
    status: 200,
    headers: { ...headers, 'content-type': 'text/event-stream' },
    chunks: [
      chunk({ role: 'assistant', content: '' }, null),
      chunk({ content: 'echo ' }, null),
      chunk({ content: request.text }, null),
      chunk({}, 'stop'),
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage })}\n\n`,
      'data: [DONE]\n\n',
    ],
  };
}

function error(status: number, type: string, message: string): Answer {
  return { status, headers: { 'content-type': 'application/json' }, chunks: [JSON.stringify({ error: { message, type, code: type } })] };
}
