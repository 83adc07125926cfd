import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Timeouts } from '../../../src/http/types.js';
import type { ErrorCategory } from '../../../src/errors/category.js';
import { startLoopback, type LoopbackServer } from '../../helpers/loopback.js';

export const BEHAVIOR_HEADER = 'x-chaos';
export const ID_HEADER = 'x-chaos-id';

/** A short deadline for the behaviours that stall: the engine's timer ends them, no test sleeps. */
export const STALL_MS = 40;

export interface Behavior {
  readonly name: string;
  readonly streaming: boolean;
  /** What the completion may be when nothing cancelled the request and no callback threw. */
  readonly expect: readonly (ErrorCategory | 'ok')[];
  readonly timeouts?: Partial<Timeouts>;
  /** `attempt` counts this request's tries (1 = the first), for the ones that recover on a retry. */
  serve(req: IncomingMessage, res: ServerResponse, attempt: number): void;
}

const SSE = { 'content-type': 'text/event-stream; charset=utf-8' };
const JSON_TYPE = { 'content-type': 'application/json' };
const HTML = { 'content-type': 'text/html; charset=utf-8' };

function chunk(delta: Record<string, unknown>, finish: string | null = null): string {
  return JSON.stringify({ id: 'chatcmpl-chaos', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] });
}

/** A whole Chat Completions stream, each line ended by `eol`. */
export function streamText(eol = '\n', words: readonly string[] = ['Sockets ', 'hum ', 'softly']): string {
  const events = [chunk({ role: 'assistant', content: '' }), ...words.map((word) => chunk({ content: word })), chunk({}, 'stop'), '[DONE]'];
  return events.map((data) => `data: ${data}${eol}${eol}`).join('');
}

const BODY = JSON.stringify({
  id: 'chatcmpl-chaos',
  object: 'chat.completion',
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Sockets hum softly' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 },
});

const errorBody = (type: string, message: string): string => JSON.stringify({ error: { message, type, param: null, code: type } });

function drip(res: ServerResponse, text: string, at = 0): void {
  if (res.destroyed) return;
  if (at >= text.length) {
    res.end();
    return;
  }
  res.write(text.slice(at, at + 3));
  setImmediate(() => drip(res, text, at + 3));
}

function flood(res: ServerResponse, piece: string, times: number, then: () => void): void {
  let left = times;
  const more = (): void => {
    while (left > 0 && !res.destroyed) {
      left--;
      if (!res.write(piece)) {
        res.once('drain', more);
        return;
      }
    }
    if (!res.destroyed) then();
  };
  more();
}

/** The misbehaviours of issue 16's campaign that a loopback server can play, each with what the contract says follows. */
export const BEHAVIORS: readonly Behavior[] = [
  { name: 'stream-ok', streaming: true, expect: ['ok'], serve: (_q, res) => (res.writeHead(200, SSE), res.end(streamText())) },
  { name: 'stream-cr', streaming: true, expect: ['ok'], serve: (_q, res) => (res.writeHead(200, SSE), res.end(streamText('\r'))) },
  { name: 'stream-drip', streaming: true, expect: ['ok'], serve: (_q, res) => (res.writeHead(200, SSE), drip(res, streamText('\r\n'))) },
  { name: 'body-ok', streaming: false, expect: ['ok'], serve: (_q, res) => (res.writeHead(200, JSON_TYPE), res.end(BODY)) },
  { name: 'reset-before-headers', streaming: true, expect: ['network'], serve: (_q, res) => res.socket?.destroy() },
  {
    name: 'reset-after-headers',
    streaming: true,
    expect: ['network'],
    serve: (_q, res) => {
      res.writeHead(200, SSE);
      res.write(streamText().slice(0, 150));
      setImmediate(() => res.socket?.destroy());
    },
  },
  {
    name: 'reset-after-done',
    streaming: true,
    expect: ['ok'],
    serve: (_q, res) => {
      res.writeHead(200, SSE);
      res.write(streamText());
      setImmediate(() => res.socket?.destroy());
    },
  },
  { name: 'stall-before-headers', streaming: true, expect: ['timeout'], timeouts: { headersMs: STALL_MS }, serve: () => undefined },
  {
    name: 'stall-mid-stream',
    streaming: true,
    expect: ['timeout'],
    timeouts: { idleMs: STALL_MS },
    serve: (_q, res) => (res.writeHead(200, SSE), res.write(streamText().slice(0, 300))),
  },
  {
    name: 'done-never-closes',
    streaming: true,
    expect: ['ok'],
    timeouts: { idleMs: STALL_MS },
    serve: (_q, res) => (res.writeHead(200, SSE), res.write(streamText())),
  },
  {
    name: 'missing-done',
    streaming: true,
    expect: ['protocol'],
    serve: (_q, res) => (res.writeHead(200, SSE), res.end(streamText().replace('data: [DONE]\n\n', ''))),
  },
  {
    name: 'in-band-error',
    streaming: true,
    expect: ['server'],
    serve: (_q, res) => {
      res.writeHead(200, SSE);
      res.end(`data: ${chunk({ role: 'assistant', content: 'Sock' })}\n\ndata: ${errorBody('server_error', 'The server had an error while processing your request.')}\n\n`);
    },
  },
  { name: 'html-200', streaming: true, expect: ['protocol'], serve: (_q, res) => (res.writeHead(200, HTML), res.end('<html><body>captive portal</body></html>')) },
  { name: 'html-502', streaming: false, expect: ['server'], serve: (_q, res) => (res.writeHead(502, HTML), res.end('<html><title>502 Bad Gateway</title></html>')) },
  {
    name: '429-then-ok',
    streaming: true,
    expect: ['ok'],
    serve: (_q, res, attempt) => {
      if (attempt > 1) return void (res.writeHead(200, SSE), res.end(streamText()));
      res.writeHead(429, { ...JSON_TYPE, 'retry-after-ms': '3' });
      res.end(errorBody('rate_limit_exceeded', 'Rate limit reached'));
    },
  },
  {
    name: '429-always',
    streaming: false,
    expect: ['rate_limit'],
    serve: (_q, res) => (res.writeHead(429, { ...JSON_TYPE, 'retry-after-ms': '2' }), res.end(errorBody('rate_limit_exceeded', 'Rate limit reached'))),
  },
  {
    name: '429-long-wait',
    streaming: true,
    expect: ['rate_limit'],
    serve: (_q, res) => (res.writeHead(429, { ...JSON_TYPE, 'retry-after': '120' }), res.end(errorBody('rate_limit_exceeded', 'Rate limit reached'))),
  },
  {
    name: '500-then-ok',
    streaming: false,
    expect: ['ok'],
    serve: (_q, res, attempt) => {
      if (attempt > 1) return void (res.writeHead(200, JSON_TYPE), res.end(BODY));
      res.writeHead(500, JSON_TYPE);
      res.end(errorBody('server_error', 'oops'));
    },
  },
  {
    name: 'flood-line',
    streaming: true,
    expect: ['protocol'],
    serve: (_q, res) => {
      res.writeHead(200, SSE);
      res.write('data: ');
      flood(res, 'x'.repeat(16 * 1024), 16, () => res.end());
    },
  },
  {
    name: 'flood-events',
    streaming: true,
    expect: ['ok'],
    serve: (_q, res) => {
      res.writeHead(200, SSE);
      flood(res, `data: ${chunk({ content: '.' })}\n\n`, 500, () => res.end(streamText()));
    },
  },
];

/** The misbehaving server: each request names its behaviour and its own id (for attempt counts) in headers. */
export async function startChaosServer(): Promise<LoopbackServer> {
  const attempts = new Map<string, number>();
  return startLoopback((req, res) => {
    const behavior = BEHAVIORS.find((candidate) => candidate.name === req.headers[BEHAVIOR_HEADER]);
    const id = String(req.headers[ID_HEADER]);
    const attempt = (attempts.get(id) ?? 0) + 1;
    attempts.set(id, attempt);
    if (behavior === undefined) {
      res.writeHead(404, JSON_TYPE);
      res.end(errorBody('not_found', 'no such behaviour'));
      return;
    }
    behavior.serve(req, res, attempt);
  });
}
