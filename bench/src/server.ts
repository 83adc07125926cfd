// The loopback SSE server, run in its own process so its CPU is not the client's.
// POST /b/<kind>/<deltas>/<paceMs>/<coalesce>/v1/chat/completions | /v1/responses |
// /v1/messages | /v1beta/models/<model>:streamGenerateContent?alt=sse with
// header x-bench-stream: <n> answers with stream n of that scenario (see wire.ts).
// Prints "PORT <n>" on stdout once listening.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { framesFor, parsePath, STREAM_HEADER, wholeBody, type StreamSpec } from './wire.js';

// Self-test of the verification: BENCH_CORRUPT_STREAM=n makes stream n of every scenario
// deliver one wrong character, so every client must come out FAILED.
const CORRUPT = process.env.BENCH_CORRUPT_STREAM === undefined ? -1 : Number(process.env.BENCH_CORRUPT_STREAM);

let served = 0;
let active = 0;
/** TCP connections accepted: a client that loses keep-alive reuse opens one per request. */
let connections = 0;

function fail(res: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: null } });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Groups the frames into socket writes: head + first group at once, then one group per tick. */
function writesFor(spec: StreamSpec, stream: number): Buffer[] {
  const { head, deltas, tail } = framesFor(spec, stream);
  if (stream === CORRUPT && deltas.length > 0) {
    // Insert one character at the start of a delta's non-empty string value; the JSON stays
    // valid. From the middle on, the first frame that has one: a block or item start between
    // deltas has none, or an empty one (`"arguments":""`) that clients rightly ignore.
    const value = /"(content|arguments|delta|text|partial_json|query)":"(?!")/;
    let i = deltas.length >> 1;
    while (i < deltas.length - 1 && !value.test(deltas[i] as string)) i++;
    deltas[i] = (deltas[i] as string).replace(value, '"$1":"X');
  }
  const groups: string[][] = [];
  for (let i = 0; i < deltas.length; i += spec.coalesce) groups.push(deltas.slice(i, i + spec.coalesce));
  if (groups.length === 0) groups.push([]);
  (groups[0] as string[]).unshift(...head);
  (groups[groups.length - 1] as string[]).push(...tail);
  return groups.map((g) => Buffer.from(g.join(''), 'utf8'));
}

function serve(req: IncomingMessage, res: ServerResponse): void {
  const spec = req.method === 'POST' ? parsePath(req.url ?? '') : undefined;
  const streamHeader = req.headers[STREAM_HEADER];
  const stream = typeof streamHeader === 'string' ? Number(streamHeader) : NaN;
  // Drain the request body; the generator does not depend on it.
  req.resume();
  if (spec === undefined) return fail(res, 404, `no bench scenario at ${req.method} ${req.url}`);
  if (!Number.isInteger(stream) || stream < 0) return fail(res, 400, `missing or bad ${STREAM_HEADER} header`);
  req.on('end', () => start(spec, stream, res));
}

/** A non-streaming answer: one JSON body with content-length, on a keep-alive socket. */
function answerWhole(spec: StreamSpec, stream: number, res: ServerResponse): void {
  let body = wholeBody(spec, stream);
  if (stream === CORRUPT) body = body.replace(/"(content|text)":"/, '"$1":"X');
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': bytes.length,
    'x-request-id': `req_${stream.toString(16).padStart(12, '0')}`,
    'openai-processing-ms': '42',
  });
  res.end(bytes);
  served++;
}

function start(spec: StreamSpec, stream: number, res: ServerResponse): void {
  if (spec.kind === 'whole') return answerWhole(spec, stream, res);
  const writes = writesFor(spec, stream);
  let next = 0;
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  let closed = false;
  active++;
  res.on('close', () => {
    closed = true;
    active--;
    if (timer !== undefined) {
      clearTimeout(timer as NodeJS.Timeout);
      clearImmediate(timer as NodeJS.Immediate);
    }
  });
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': `req_${stream.toString(16).padStart(12, '0')}`,
    'openai-processing-ms': '42',
  });
  const step = (): void => {
    timer = undefined;
    if (closed) return;
    const chunk = writes[next++] as Buffer;
    if (next === writes.length) {
      res.end(chunk);
      served++;
      return;
    }
    const flowing = res.write(chunk);
    const schedule = (): void => {
      if (closed) return;
      timer = spec.paceMs > 0 ? setTimeout(step, spec.paceMs) : setImmediate(step);
    };
    if (flowing) schedule();
    else res.once('drain', schedule);
  };
  step();
}

const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }, serve);
server.maxRequestsPerSocket = 0;
server.maxHeadersCount = 100;
server.on('connection', () => connections++);
server.on('clientError', (_error, socket) => socket.destroy());
server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  process.stdout.write(`PORT ${address.port}\n`);
});

// The driver asks for counters between runs by writing a line on stdin.
process.stdin.setEncoding('utf8');
process.stdin.on('data', (line: string) => {
  if (line.includes('stats')) process.stdout.write(`STATS ${JSON.stringify({ served, active, connections })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
