/** Everything the CLI touches of the process, injectable so `main(argv, io)` runs in tests. */
import type { Readable, Writable } from 'node:stream';

export type OutStream = Writable & { readonly isTTY?: boolean; readonly columns?: number; readonly rows?: number };
export type InStream = Readable & { readonly isTTY?: boolean; setRawMode?(raw: boolean): unknown };

export interface CliIo {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdin: InStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Subscribes to SIGINT; returns the unsubscribe. While subscribed, SIGINT does not kill the process. */
  onSigint(handler: () => void): () => void;
  /** Milliseconds, monotonic. */
  now(): number;
}

export function nodeIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    onSigint(handler) {
      process.on('SIGINT', handler);
      return () => {
        process.off('SIGINT', handler);
      };
    },
    now: () => performance.now(),
  };
}

/** Colour for a stream: a terminal, unless NO_COLOR is set or TERM is dumb. */
export function colorFor(stream: OutStream, env: CliIo['env']): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? '') === '' && env.TERM !== 'dumb';
}

/** The terminal width, 80 when unknown. */
export function columnsOf(stream: OutStream): number {
  const columns = stream.columns;
  return typeof columns === 'number' && columns > 0 ? columns : 80;
}
