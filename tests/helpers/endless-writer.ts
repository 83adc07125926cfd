/**
 * A loopback server that writes SSE events for as long as the socket takes them, and a wait
 * until its writes stop making progress: how backpressure tests prove that a consumer that
 * does not pull pauses the socket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ioTurn } from './harness.js';
import { SSE_HEADERS, startLoopback, type LoopbackServer } from './loopback.js';

export interface EndlessWriter {
  readonly server: LoopbackServer;
  /** Bytes handed to the socket so far. */
  readonly written: number;
}

/** `other` answers a request itself (and returns true) before the endless stream would. */
export async function startEndlessWriter(event: string, other?: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<EndlessWriter> {
  let written = 0;
  const server = await startLoopback((req, res) => {
    if (other?.(req, res) === true) return;
    res.writeHead(200, SSE_HEADERS);
    // Write until the kernel buffers are full and the socket pushes back.
    const writeMore = (): void => {
      while (res.write(event)) written += event.length;
      written += event.length;
    };
    res.on('drain', writeMore);
    writeMore();
  });
  return {
    server,
    get written() {
      return written;
    },
  };
}

/** Lets I/O run until `still` turns in a row wrote nothing; returns how many did (== still when stalled). */
export async function untilWritesStall(writer: EndlessWriter, still = 200, turns = 200_000): Promise<number> {
  let quiet = 0;
  for (let turn = 0; turn < turns && quiet < still; turn++) {
    const seen = writer.written;
    await ioTurn();
    quiet = writer.written === seen ? quiet + 1 : 0;
  }
  return quiet;
}
