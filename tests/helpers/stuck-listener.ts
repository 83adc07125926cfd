import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';

export interface StuckListener {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

// The child listens with the smallest accept queue and then blocks its only thread, so it never accepts.
const CHILD = `const s = require('net').createServer();
s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  process.stdout.write(s.address().port + '\\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});`;

/**
 * A loopback listener that never accepts: its accept queue is filled by a few connections
 * of ours, so the kernel drops every later SYN and a connect to it stays pending.
 */
export async function startStuckListener(): Promise<StuckListener> {
  const child: ChildProcess = spawn(process.execPath, ['-e', CHILD], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (data: Buffer) => resolve(Number(data.toString('utf8').trim())));
  });
  const fillers: Socket[] = [];
  for (let i = 0; i < 3; i++) fillers.push(connect(port, '127.0.0.1').on('error', () => undefined));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      for (const socket of fillers) socket.destroy();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** How many connects of this process are still pending. */
export function pendingConnects(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'ConnectWrap').length;
}
