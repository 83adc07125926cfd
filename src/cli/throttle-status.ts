import { throttleMessage, type ThrottleInfo } from '../http/governor/types.js';

/**
 * The rate governor's last word, for the spinner: "waiting for rate limit (resets in 12 s)",
 * counting down on the host's clock, gone once the wait is over.
 */
export class ThrottleStatus {
  readonly #now: () => number;
  #info: ThrottleInfo | undefined;
  #at = 0;

  constructor(now: () => number) {
    this.#now = now;
  }

  readonly onThrottle = (info: ThrottleInfo): void => {
    this.#info = info;
    this.#at = this.#now();
  };

  /** An answer arrived: whatever we were waiting for is over. */
  clear(): void {
    this.#info = undefined;
  }

  readonly message = (): string | undefined => {
    const info = this.#info;
    if (info === undefined) return undefined;
    if (info.resumeInMs === undefined) return throttleMessage(info);
    const left = this.#at + info.resumeInMs - this.#now();
    return left > 0 ? throttleMessage({ resumeInMs: left }) : undefined;
  };
}
