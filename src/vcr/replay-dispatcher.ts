/**
 * A Dispatcher that never touches the network: each request is matched against the
 * cassette's unused exchanges and the recorded response is played back, chunk by chunk, on
 * the engine's clock. A request that matches nothing fails loudly.
 */
import type { Dispatcher } from 'undici';
import { providerError } from '../errors/category.js';
import { RealClock, type Clock } from '../http/clock.js';
import { DispatchFailure } from '../http/dispatch-failure.js';
import { wireError } from '../http/failure-messages.js';
import { PromiseDispatcher } from './promise-dispatcher.js';
import type { Cassette, Exchange, RecordedRequest } from './cassette.js';
import { applyFaults, type Fault } from './faults.js';
import { toControllerHandler } from './legacy-handler.js';
import { findMatch, type MatchOptions } from './match.js';
import { Playback, type ReplaySpeed } from './playback.js';
import { requestFromDispatch } from './request.js';

export type { ReplaySpeed };

export interface ReplayOptions extends MatchOptions {
  /** The engine's clock; deliveries are timed on it. Default: a RealClock. */
  readonly clock?: Clock;
  /** Default `instant`. */
  readonly speed?: ReplaySpeed;
  /** Faults applied to every exchange, or a function choosing per exchange (index in the cassette). */
  readonly faults?: readonly Fault[] | ((exchange: Exchange, index: number) => Exchange);
  /** Names the cassette in messages (its path). */
  readonly name?: string;
  /**
   * Keep the process alive while a replay is in flight, as an open socket would. The
   * RealClock's timers are ref'd, but a paused playback, or one whose recording never ended
   * (`_end: none`), has no timer pending at all. Default: true on a RealClock, false on any
   * other clock (a VirtualClock only moves when a test drives it, so holding would hide a hang).
   */
  readonly holdProcess?: boolean;
}

/** A request that matched no recorded exchange, and why. */
export interface UnmatchedRequest {
  readonly request: RecordedRequest;
  readonly message: string;
}

export interface UnusedExchange {
  /** 0-based position in the cassette. */
  readonly index: number;
  readonly exchange: Exchange;
}

/** The `code` of the error a request that matches nothing gets. */
export const NO_MATCH_CODE = 'LLMUX_VCR_NO_MATCH';

type Callback = () => void;

export class ReplayDispatcher extends PromiseDispatcher {
  readonly #exchanges: readonly Exchange[];
  readonly #options: ReplayOptions;
  readonly #clock: Clock;
  readonly #used = new Set<number>();
  readonly #unmatched: UnmatchedRequest[] = [];
  readonly #active = new Set<Playback>();
  readonly #holdProcess: boolean;
  #hold: NodeJS.Timeout | undefined;
  #closed = false;
  #destroyed = false;
  #onIdle: Callback[] = [];

  constructor(cassette: Cassette, options: ReplayOptions = {}) {
    super();
    this.#exchanges = cassette.exchanges;
    this.#options = options;
    this.#clock = options.clock ?? new RealClock();
    this.#holdProcess = options.holdProcess ?? this.#clock instanceof RealClock;
  }

  /** Requests that matched nothing, in order. */
  get unmatched(): readonly UnmatchedRequest[] {
    return this.#unmatched;
  }

  /** Exchanges being played now. */
  get active(): number {
    return this.#active.size;
  }

  /** Exchanges never played, in cassette order. */
  unusedExchanges(): UnusedExchange[] {
    const unused: UnusedExchange[] = [];
    this.#exchanges.forEach((exchange, index) => {
      if (!this.#used.has(index)) unused.push({ index, exchange });
    });
    return unused;
  }

  override dispatch(opts: Dispatcher.DispatchOptions, given: Dispatcher.DispatchHandler): boolean {
    // undici's request()/fetch() pass old-style handlers; Playback speaks the new callbacks only.
    const handler = toControllerHandler(given);
    if (this.#closed || this.#destroyed) {
      const error = this.#destroyed
        ? wireError('The dispatcher was destroyed', 'UND_ERR_DESTROYED', 'ClientDestroyedError')
        : wireError('The dispatcher is closed', 'UND_ERR_CLOSED', 'ClientClosedError');
      this.#failLater(handler, error);
      return false;
    }
    const request = requestFromDispatch(opts);
    const match = findMatch(this.#exchanges, this.#used, request, this.#options);
    if (!match.matched) {
      const where = this.#options.name === undefined ? '' : ` in ${this.#options.name}`;
      const message = `VCR${where}: ${match.message}`;
      this.#unmatched.push({ request, message });
      // Another attempt cannot match better: a non-retryable invalid_arg, whatever the engine's network table says.
      const failure = providerError('invalid_arg', { message, providerCode: NO_MATCH_CODE, retryable: false });
      this.#failLater(handler, new DispatchFailure(failure, { code: NO_MATCH_CODE, name: 'VcrNoMatchError' }));
      return true;
    }
    this.#used.add(match.index);
    const playback = new Playback(handler, this.#exchange(match.index), this.#clock, this.#options.speed ?? 'instant', () => {
      this.#active.delete(playback);
      this.#updateHold();
    });
    this.#active.add(playback);
    this.#updateHold();
    playback.start();
    return true;
  }

  #exchange(index: number): Exchange {
    const recorded = this.#exchanges[index] as Exchange;
    const faults = this.#options.faults;
    if (faults === undefined) return recorded;
    return typeof faults === 'function' ? faults(recorded, index) : applyFaults(recorded, faults);
  }

  /** onResponseError without a controller, as undici does for a request that never reached a socket. */
  #failLater(handler: Dispatcher.DispatchHandler, error: Error): void {
    setImmediate(() => {
      try {
        handler.onResponseError?.(undefined as unknown as Dispatcher.DispatchController, error);
      } catch {
        // The handler's own failure; nothing left to deliver.
      }
    });
  }

  #updateHold(): void {
    if (this.#active.size === 0) {
      if (this.#hold !== undefined) clearInterval(this.#hold);
      this.#hold = undefined;
      const waiting = this.#onIdle;
      this.#onIdle = [];
      for (const callback of waiting) queueMicrotask(callback);
    } else if (this.#holdProcess && this.#hold === undefined) {
      this.#hold = setInterval(() => undefined, 1 << 30);
    }
  }

  #whenIdle(callback: Callback): void {
    if (this.#active.size === 0) queueMicrotask(callback);
    else this.#onIdle.push(callback);
  }

  /** Accepts no more requests; resolves when those in flight have ended. */
  protected override closed(): Promise<void> {
    this.#closed = true;
    return new Promise<void>((resolve) => this.#whenIdle(resolve));
  }

  /** Aborts everything in flight with `error` (default: a ClientDestroyedError) and accepts no more. */
  protected override destroyed(error: Error | null): Promise<void> {
    this.#destroyed = true;
    const reason = error ?? wireError('The dispatcher was destroyed', 'UND_ERR_DESTROYED', 'ClientDestroyedError');
    for (const playback of [...this.#active]) playback.abort(reason);
    return new Promise<void>((resolve) => this.#whenIdle(resolve));
  }
}
