/** A spinner on a hand-moved clock with the CLI's wait status, and the last line it drew. */
import { Spinner } from '../../src/cli/spinner.js';
import { ThrottleStatus } from '../../src/cli/throttle-status.js';

export interface SpinnerProbe {
  readonly status: ThrottleStatus;
  /** Moves the clock to `ms` and redraws; the line now shown. */
  at(ms: number): string | undefined;
}

export function spinnerProbe(label: string): SpinnerProbe {
  let now = 0;
  const status = new ThrottleStatus(() => now);
  const written: string[] = [];
  const spinner = new Spinner({ write: (text) => written.push(text), now: () => now, label, color: false, status: status.message });
  spinner.start();
  return {
    status,
    at(ms) {
      now = ms;
      spinner.tick();
      return written.at(-1);
    },
  };
}
