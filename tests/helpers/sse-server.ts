/**
 * A loopback HTTP server for tests (127.0.0.1, port 0) whose responses each test scripts:
 * status, headers and body chunks, paced by promises the test controls (never sleeps), with
 * connection resets, stalls, client-close observation and a count of writes that blocked.
 *
 *   const server = await SseServer.start();
 *   const gate = deferred();
 *   server.respond({ steps: ['data: 1\n\n', { wait: gate.promise }, 'data: 2\n\n', { reset: true }] });
 *   ... dispatch to server.origin ...; gate.resolve(); ...
 *   await server.close();
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export type Step =
  /** Write these bytes as one chunk (its own TCP segment: Nagle is off). */
  | string
  | Uint8Array
  /** Wait for this before the next step. */
  | { readonly wait: PromiseLike<unknown> }
  /** Reset the connection (RST): the client sees ECONNRESET. */
  | { readonly reset: true }
  /** Close the socket without ending the response: the client sees "other side closed". */
  | { readonly destroy: true }
  /** Send nothing more and never end, until the client goes away or the server closes. */
  | { readonly stall: true };

export interface ScriptedResponse {
  /** Default 200. */
  readonly status?: number;
  /** Default `content-type: text/event-stream`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly steps?: readonly Step[];
}

export type Script = ScriptedResponse | ((exchange: ServerExchange) => Promise<void> | void);

/** One request the server received, and the means to answer it by hand. */
export class ServerExchange {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Resolves when the response is over: ended by us or cut by either side. */
  readonly closed: Promise<void>;
  #blockedWrites = 0;

  constructor(req: IncomingMessage, res: ServerResponse, body: string) {
    this.method = req.method ?? 'GET';
    this.url = req.url ?? '/';
    this.headers = req.headers;
    this.body = body;
    this.req = req;
    this.res = res;
    this.closed = once(res, 'close').then(() => undefined);
    res.socket?.setNoDelay(true);
  }

  /** Writes that returned false (the client is not reading): backpressure reached us. */
  get blockedWrites(): number {
    return this.#blockedWrites;
  }

  /** True when the connection closed before the response ended (the client cancelled, or we reset it). */
  get cut(): boolean {
    return this.res.destroyed && !this.res.writableFinished;
  }

  /** Sends the status line and headers now. */
  start(status = 200, headers: Readonly<Record<string, string>> = { 'content-type': 'text/event-stream' }): void {
    this.res.writeHead(status, headers);
    this.res.flushHeaders();
  }

  /** Writes one chunk; false when it blocked (counted). */
  write(chunk: string | Uint8Array): boolean {
    const flushed = this.res.write(chunk);
    if (!flushed) this.#blockedWrites++;
    return flushed;
  }

  /** Resolves when the blocked writes have drained (or the response closed). */
  async drain(): Promise<void> {
    if (!this.res.writableNeedDrain) return;
    await Promise.race([once(this.res, 'drain'), this.closed]);
  }

  end(): void {
    this.res.end();
  }

  reset(): void {
    this.req.socket.resetAndDestroy();
  }

  destroy(): void {
    this.req.socket.destroy();
  }

  async play(script: ScriptedResponse): Promise<void> {
    if (!this.res.headersSent) this.start(script.status ?? 200, script.headers ?? { 'content-type': 'text/event-stream' });
    for (const step of script.steps ?? []) {
      if (typeof step === 'string' || step instanceof Uint8Array) this.write(step);
      else if ('wait' in step) await step.wait;
      else if ('reset' in step) return this.reset();
      else if ('destroy' in step) return this.destroy();
      else return this.closed;
    }
    this.end();
  }
}

export class SseServer {
  readonly #server: Server;
  readonly #scripts: Script[] = [];
  readonly #waiting: Array<(exchange: ServerExchange) => void> = [];
  readonly exchanges: ServerExchange[] = [];
  /** Errors thrown by scripts, so a test can assert there were none. */
  readonly errors: unknown[] = [];
  readonly origin: string;

  private constructor(server: Server) {
    this.#server = server;
    const address = server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${address.port}`;
  }

  static async start(): Promise<SseServer> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const sse = new SseServer(server);
    server.on('request', (req, res) => void sse.#handle(req, res));
    return sse;
  }

  /** Queues the answer to the next request that has none. Unscripted requests get a 500. */
  respond(script: Script): this {
    this.#scripts.push(script);
    return this;
  }

  /** Resolves with the n-th request (0-based) once it has arrived. */
  request(n: number): Promise<ServerExchange> {
    const known = this.exchanges[n];
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve) => {
      const check = (): void => {
        const exchange = this.exchanges[n];
        if (exchange === undefined) this.#waiting.push(check);
        else resolve(exchange);
      };
      this.#waiting.push(check);
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const exchange = new ServerExchange(req, res, Buffer.concat(parts).toString('utf8'));
    this.exchanges.push(exchange);
    for (const wake of this.#waiting.splice(0)) wake(exchange);
    const script = this.#scripts.shift() ?? { status: 500, headers: { 'content-type': 'text/plain' }, steps: ['no script queued'] };
    try {
      await (typeof script === 'function' ? script(exchange) : exchange.play(script));
    } catch (error) {
      this.errors.push(error);
      res.destroy();
    }
  }

  /** Stops listening and cuts every open connection (ending stalls). */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }
}
