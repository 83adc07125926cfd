// A loopback OpenAI for the batch must-hold tests. Each request's behaviour follows from its
// id (the user message is `q:<id>`), so a run's outcome is known in advance and a killed run
// resumed must end where an uninterrupted one does:
//   1% answer 500 (with retry-after-ms, so the engine's retries stay short) every time;
//   0.2% answer 429 with Retry-After on their first attempt, then 200;
//   0.5% are slow streams (chunks 25 ms apart); the rest answer at once.
// The server counts requests and complete 200 answers per id.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Behaviour = 'ok' | 'fail500' | 'limit429' | 'slow';

export function behaviourOf(id: string): Behaviour {
  const n = createHash('sha256').update(id).digest().readUInt32BE(0) % 1000;
  if (n < 10) return 'fail500';
  if (n < 12) return 'limit429';
  if (n < 17) return 'slow';
  return 'ok';
}

export const USAGE = { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 };

export interface BatchServer {
  readonly url: string;
  /** Requests per id since the last `reset()`. */
  readonly requests: Map<string, number>;
  /** Complete 200 answers per id since the last `reset()`. */
  readonly answered: Map<string, number>;
  /** All 200 answers since start. */
  answeredTotal(): number;
  reset(): void;
  close(): Promise<void>;
}

function idOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { messages?: { role: string; content: unknown }[] };
    const user = parsed.messages?.find((message) => message.role === 'user');
    return typeof user?.content === 'string' ? user.content.replace(/^q:/, '') : '';
  } catch {
    return '';
  }
}

export async function startBatchServer(): Promise<BatchServer> {
  let requests = new Map<string, number>();
  let answered = new Map<string, number>();
  const everAsked = new Map<string, number>();
  let total = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      const id = idOf(body);
      requests.set(id, (requests.get(id) ?? 0) + 1);
      const attempt = (everAsked.get(id) ?? 0) + 1;
      everAsked.set(id, attempt);
      const behaviour = behaviourOf(id);
      if (behaviour === 'fail500') {
        res.writeHead(500, { 'content-type': 'application/json', 'retry-after-ms': '5' });
        res.end(JSON.stringify({ error: { message: 'The server had an error', type: 'server_error', code: null } }));
        return;
      }
      if (behaviour === 'limit429' && attempt === 1) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1', 'retry-after-ms': '40' });
        res.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }));
        return;
      }
      const stream = (JSON.parse(body) as { stream?: boolean }).stream === true;
      const done = (): void => {
        answered.set(id, (answered.get(id) ?? 0) + 1);
        total++;
      };
      const cid = `chatcmpl-${id}`;
      if (!stream) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_${id}` });
        res.end(JSON.stringify({ id: cid, object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: `a:${id}` }, finish_reason: 'stop' }], usage: USAGE }), done);
        return;
      }
      const chunk = (payload: object): string => `data: ${JSON.stringify({ id: cid, object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', ...payload })}\n\n`;
      const chunks = [
        chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: 'a:' }, finish_reason: null }] }),
        chunk({ choices: [{ index: 0, delta: { content: id }, finish_reason: null }] }),
        chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
        chunk({ choices: [], usage: USAGE }),
        'data: [DONE]\n\n',
      ];
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': `req_${id}` });
      if (behaviour !== 'slow') {
        res.end(chunks.join(''), done);
        return;
      }
      const next = (): void => {
        const part = chunks.shift();
        if (part === undefined) return void res.end(done);
        res.write(part);
        const timer = setTimeout(() => {
          timers.delete(timer);
          next();
        }, 25);
        timers.add(timer);
      };
      next();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get answered() {
      return answered;
    },
    answeredTotal: () => total,
    reset() {
      requests = new Map();
      answered = new Map();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The input lines of an n-request job, and what an uninterrupted run must end with. */
export function job(n: number): { lines: string[]; ids: string[]; expected: { ok: number; failed: number; inputTokens: number; outputTokens: number } } {
  const ids = Array.from({ length: n }, (_, i) => `r${String(i).padStart(6, '0')}`);
  const lines = ids.map((id) => JSON.stringify({ id, request: { messages: [{ role: 'user', content: `q:${id}` }] } }));
  const failed = ids.filter((id) => behaviourOf(id) === 'fail500').length;
  const ok = n - failed;
  return { lines, ids, expected: { ok, failed, inputTokens: ok * USAGE.prompt_tokens, outputTokens: ok * USAGE.completion_tokens } };
}
