import type { Result } from 'neverthrow';
import type { ErrorCategory, ProviderError } from '../errors/category.js';
import type { ChatStream } from './event-stream.js';
import type { ChatResponse, StreamEvent } from './types.js';

/** What a fallback chain's stream() needs of its chain. */
export interface FallbackStreamChain {
  readonly targets: number;
  /** The categories whose error event is held back while a later target could still answer. */
  readonly on: ReadonlySet<ErrorCategory>;
  /** Target `index`'s own stream() of the request (its start error, if any, is its result). */
  start(index: number): ChatStream;
  movesOn(error: ProviderError, index: number): boolean;
  /** The final result as the user sees it (`servedBy` on a success). */
  served(result: Result<ChatResponse, ProviderError>, index: number): Result<ChatResponse, ProviderError>;
}

interface Attempt {
  readonly index: number;
  readonly stream: ChatStream;
  readonly events: AsyncIterator<StreamEvent>;
  /** The attempt that follows when this one fell over, or undefined when this one is final. */
  readonly next: Promise<Attempt | undefined>;
  /** The chain moved on from it: what it still holds unread never reaches the user. */
  superseded: boolean;
}

/**
 * A fallback chain's stream(): each target's own stream(), one after the other. Nothing is
 * buffered here: the iterator pulls from the current target's stream only when the consumer
 * pulls, so a consumer that stops pulling holds that target's transfer (its socket pauses) as
 * with one provider. A target is chosen once a content event reached the consumer; until
 * then its `start` is held back and an error that a later target may answer is not shown.
 * A target that fails while its content waits unread falls over too: that text never
 * reached the user. The chain moves on from each target's completion, so `result` settles
 * whether anyone iterates or not.
 */
export class FallbackStream implements ChatStream, AsyncIterator<StreamEvent> {
  readonly result: Promise<Result<ChatResponse, ProviderError>>;
  readonly #chain: FallbackStreamChain;
  #settle!: (result: Result<ChatResponse, ProviderError>) => void;
  /** The attempt the iterator reads. */
  #current: Attempt;
  /** The attempt in flight (ahead of #current when the chain moved on before a pull). */
  #latest!: Attempt;
  /** A content event of the current target reached the consumer: no moving on from here. */
  #chosen = false;
  #cancelled = false;
  #held: StreamEvent | undefined;
  /** Events to hand over before pulling again (a held start, then what released it). */
  #ready: StreamEvent[] = [];

  constructor(chain: FallbackStreamChain) {
    this.#chain = chain;
    this.result = new Promise((resolve) => {
      this.#settle = resolve;
    });
    this.#current = this.#attempt(0);
  }

  #attempt(index: number): Attempt {
    const stream = this.#chain.start(index);
    const attempt: Attempt = {
      index,
      stream,
      events: stream[Symbol.asyncIterator](),
      superseded: false,
      next: stream.result.then((result): Attempt | undefined => {
        if (result.isErr() && !this.#chosen && !this.#cancelled && this.#chain.movesOn(result.error, index)) {
          attempt.superseded = true;
          return this.#attempt(index + 1);
        }
        this.#settle(this.#chain.served(result, index));
        return undefined;
      }),
    };
    this.#latest = attempt;
    return attempt;
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    return this;
  }

  async next(): Promise<IteratorResult<StreamEvent>> {
    for (;;) {
      const ready = this.#ready.shift();
      if (ready !== undefined) return { done: false, value: ready };
      const attempt = this.#current;
      const pulled = await attempt.events.next();
      if (this.#cancelled) return { done: true, value: undefined };
      if (this.#chosen) return pulled;
      if (attempt.superseded || pulled.done === true || this.#mayMoveOn(pulled.value, attempt.index)) {
        // This target ended before it was chosen: follow the chain's decision.
        const following = await attempt.next;
        if (following !== undefined) {
          this.#held = undefined;
          this.#current = following;
          continue;
        }
        if (pulled.done === true) return pulled;
        // Final, and `pulled` is its error event (a target that is final is never superseded).
      } else if (pulled.value.type === 'start') {
        this.#held = pulled.value;
        continue;
      }
      // Content, or an error that is final: this target answers.
      this.#chosen = true;
      if (this.#held !== undefined) this.#ready.push(this.#held);
      this.#held = undefined;
      this.#ready.push(pulled.value);
    }
  }

  #mayMoveOn(event: StreamEvent, index: number): boolean {
    return event.type === 'error' && this.#chain.on.has(event.category) && index + 1 < this.#chain.targets;
  }

  /** `break` out of `for await`: the request is cancelled. */
  return(): Promise<IteratorResult<StreamEvent>> {
    this.cancel();
    return Promise.resolve({ done: true, value: undefined });
  }

  cancel(): void {
    this.#cancelled = true;
    this.#ready = [];
    this.#latest.stream.cancel();
  }
}
