import { throttleMessage, type ThrottleInfo } from '../http/governor/types.js';
import type { RetryInfo } from '../http/types.js';

type Wait = { readonly kind: 'throttle'; readonly info: ThrottleInfo } | { readonly kind: 'retry'; readonly info: RetryInfo };

/**
 * What the request is waiting for, for the spinner: the rate governor's last word ("waiting
 * for rate limit (resets in 12 s)") or the engine's retry backoff ("retrying in 2 s after
 * 429"), counting down on the host's clock, gone once the wait is over.
 */
export class ThrottleStatus {
  readonly #now: () => number;
  #wait: Wait | undefined;
  #at = 0;

  constructor(now: () => number) {
    this.#now = now;
  }

  readonly onThrottle = (info: ThrottleInfo): void => this.#set({ kind: 'throttle', info });

  readonly onRetry = (info: RetryInfo): void => this.#set({ kind: 'retry', info });

  /** An answer arrived: whatever we were waiting for is over. */
  clear(): void {
    this.#wait = undefined;
  }

  readonly message = (): string | undefined => {
    const wait = this.#wait;
    if (wait === undefined) return undefined;
    if (wait.kind === 'throttle' && wait.info.resumeInMs === undefined) return throttleMessage(wait.info);
    const total = wait.kind === 'throttle' ? (wait.info.resumeInMs ?? 0) : wait.info.delayMs;
    const left = this.#at + total - this.#now();
    if (left <= 0) return undefined;
    if (wait.kind === 'throttle') return throttleMessage({ resumeInMs: left });
    return `retrying in ${Math.max(1, Math.ceil(left / 1000))} s after ${wait.info.error.httpStatus ?? wait.info.error.category}`;
  };

  #set(wait: Wait): void {
    this.#wait = wait;
    this.#at = this.#now();
  }
}
