/**
 * Ctrl+C and answers to the cancel prompt. On a terminal stdin goes to raw mode, so Ctrl+C
 * arrives as a 0x03 byte rather than killing the process; SIGINT (kill -INT, or a terminal
 * that is not our stdin) is an interrupt too.
 */
import { inputsFromData, type CancelInput } from './cancel-prompt.js';
import type { CliIo } from './io.js';

export interface Interrupts {
  /** True when answers can be read (stdin is a terminal). */
  readonly canPrompt: boolean;
  /** Delivers inputs to `handler` until the returned function is called. */
  listen(handler: (input: CancelInput) => void): () => void;
}

export function terminalInterrupts(io: CliIo): Interrupts {
  const stdin = io.stdin;
  const raw = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  return {
    canPrompt: raw,
    listen(handler) {
      const offSigint = io.onSigint(() => handler({ type: 'interrupt' }));
      if (!raw) return offSigint;
      const onData = (data: Buffer | string): void => {
        for (const input of inputsFromData(typeof data === 'string' ? data : data.toString('utf8'))) handler(input);
      };
      stdin.setRawMode?.(true);
      stdin.on('data', onData);
      stdin.resume();
      let stopped = false;
      return () => {
        if (stopped) return;
        stopped = true;
        offSigint();
        stdin.off('data', onData);
        stdin.setRawMode?.(false);
        stdin.pause();
      };
    },
  };
}
