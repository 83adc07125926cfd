/** An in-memory CliIo: captured stdout/stderr, a stdin the test types into, SIGINT on demand. */
import { PassThrough, Writable } from 'node:stream';
import type { CliIo, InStream, OutStream } from '../../../src/cli/io.js';

export class Capture extends Writable {
  text = '';
  isTTY: boolean;
  columns: number;
  rows: number;

  constructor(isTTY = false, columns = 80, rows = 24) {
    super({ decodeStrings: false });
    this.isTTY = isTTY;
    this.columns = columns;
    this.rows = rows;
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    callback();
  }
}

export class FakeStdin extends PassThrough {
  isTTY: boolean;
  isRaw = false;
  rawModes: boolean[] = [];

  constructor(isTTY = false) {
    super();
    this.isTTY = isTTY;
  }

  setRawMode(raw: boolean): this {
    this.isRaw = raw;
    this.rawModes.push(raw);
    return this;
  }
}

export interface FakeIoOptions {
  readonly stdoutTTY?: boolean;
  readonly stderrTTY?: boolean;
  readonly stdinTTY?: boolean;
  readonly env?: Record<string, string | undefined>;
  readonly columns?: number;
  readonly rows?: number;
  /** Text on stdin (ended) when it is not a terminal. */
  readonly input?: string;
}

export interface FakeIo extends CliIo {
  readonly stdout: Capture & OutStream;
  readonly stderr: Capture & OutStream;
  readonly stdin: FakeStdin & InStream;
  sigint(): void;
  readonly sigintListeners: number;
}

export function fakeIo(options: FakeIoOptions = {}): FakeIo {
  const stdout = new Capture(options.stdoutTTY ?? false, options.columns ?? 80, options.rows ?? 24);
  const stderr = new Capture(options.stderrTTY ?? false, options.columns ?? 80, options.rows ?? 24);
  const stdin = new FakeStdin(options.stdinTTY ?? false);
  if (options.input !== undefined) stdin.end(options.input);
  else if (options.stdinTTY !== true) stdin.end();
  const handlers = new Set<() => void>();
  return {
    stdout,
    stderr,
    stdin,
    env: options.env ?? {},
    onSigint(handler) {
      handlers.add(handler);
      return () => {
        handlers.delete(handler);
      };
    },
    now: () => performance.now(),
    sigint() {
      for (const handler of [...handlers]) handler();
    },
    get sigintListeners() {
      return handlers.size;
    },
  };
}

/** Lets I/O callbacks run until `check()` holds; fails after `turns` event-loop turns. */
export async function until(check: () => boolean, what: string, turns = 1_000_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (check()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`timed out waiting for ${what}`);
}
