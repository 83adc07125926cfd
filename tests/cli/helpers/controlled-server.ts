/**
 * A loopback server whose answers the test writes itself, chunk by chunk: each request is
 * parked until the test takes it with `next()`. No timers, no sleeps.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopback, type LoopbackServer } from '../../helpers/loopback.js';

export interface Parked {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly body: string;
}

export interface ControlledServer {
  readonly url: string;
  /** The base URL to pass as --base-url. */
  readonly baseUrl: string;
  readonly loopback: LoopbackServer;
  /** Resolves with the next request once it arrived. */
  next(): Promise<Parked>;
  /** Requests received so far. */
  readonly count: number;
  close(): Promise<void>;
}

export async function startControlled(): Promise<ControlledServer> {
  const parked: Parked[] = [];
  let waiters: ((request: Parked) => void)[] = [];
  let count = 0;
  const loopback = await startLoopback((req, res, body) => {
    count++;
    const request = { req, res, body };
    const waiter = waiters.shift();
    if (waiter !== undefined) waiter(request);
    else parked.push(request);
  });
  return {
    url: loopback.url,
    baseUrl: `${loopback.url}/v1`,
    loopback,
    get count() {
      return count;
    },
    next: () =>
      new Promise<Parked>((resolve) => {
        const request = parked.shift();
        if (request !== undefined) resolve(request);
        else waiters.push(resolve);
      }),
    close: async () => {
      waiters = [];
      for (const { res } of parked) res.destroy();
      await loopback.close();
    },
  };
}

/** A server answering every request the same way at once. */
export async function startFixed(status: number, headers: Record<string, string>, body: string): Promise<LoopbackServer> {
  return startLoopback((_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  });
}
