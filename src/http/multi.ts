import { providerError, type ProviderError } from '../errors/category.js';
import { redactUrl } from '../errors/redact-url.js';
import { warnOnce } from './callback-errors.js';
import { RealClock, type Clock, type TimerId } from './clock.js';
import type { CircuitSnapshot } from './breaker.js';
import { Engine } from './engine.js';
import type { BucketSnapshot } from './governor/types.js';
import { DEFAULT_MEMORY_BUDGET_BYTES } from './memory-budget.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';
import { DEFAULT_TIMEOUTS, type HttpMultiOptions } from './multi-options.js';
import type { RequestHandle, TransferOptions, TransferRequest, TransferSink } from './types.js';

export { DEFAULT_TIMEOUTS, type HttpMultiOptions } from './multi-options.js';

/**
 * The curl-multi analog. It registers transfers and never blocks: undici's callbacks only
 * queue bytes and outcomes; `perform()` hands them to sinks, `infoRead()` delivers
 * completions. All timers are on the injected clock.
 */
export class HttpMulti {
  readonly #engine: Engine;
  readonly #clock: Clock;
  readonly #onCallbackError: (error: unknown) => void;
  readonly #notify: (() => void) | undefined;
  #performing = false;
  #closed = false;
  #flushQueued = false;
  /** Running autoPump()s (each stop() takes its own away). */
  #autoPumps = 0;
  #callbackErrors = 0;
  readonly #waiters = new Set<() => void>();

  constructor(options: HttpMultiOptions = {}) {
    this.#clock = options.clock ?? new RealClock();
    this.#onCallbackError = options.onCallbackError ?? warnOnce();
    this.#notify = options.notify;
    this.#engine = new Engine({
      dispatcher: options.dispatcher,
      clock: this.#clock,
      maxInFlight: options.maxInFlight ?? 512,
      highWaterMark: Math.max(1, options.highWaterMark ?? 256 * 1024),
      timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
      maxRetries: Math.max(0, options.maxRetries ?? 2),
      retryPolicy: { ...DEFAULT_RETRY_POLICY, ...options.retryPolicy },
      random: options.random ?? Math.random,
      maxErrorBodyBytes: options.maxErrorBodyBytes ?? 64 * 1024,
      memoryBudget: Math.max(1, options.memoryBudget ?? DEFAULT_MEMORY_BUDGET_BYTES),
      onRetry: options.onRetry,
      signal: this.#signal,
      reportCallbackError: this.#reportCallbackError,
      governor: options.governor === false ? undefined : (options.governor ?? {}),
      breaker: options.breaker === false ? undefined : (options.breaker ?? {}),
    });
  }

  get clock(): Clock {
    return this.#clock;
  }

  /** Transfers not yet finished: queued, on the wire, or waiting to retry. */
  get running(): number {
    return this.#engine.transfers.size;
  }

  /** The rate governor's buckets now: limits, remaining, resets, queued (empty when it is off). */
  limits(): BucketSnapshot[] {
    return this.#engine.governor?.limits() ?? [];
  }

  /** The circuit breakers' state per (provider, model). */
  circuits(): CircuitSnapshot[] {
    return this.#engine.breaker?.snapshot(this.#clock.now()) ?? [];
  }

  /** Bytes the transfers hold now, as the memory budget counts them. */
  get heldBytes(): number {
    return this.#engine.memory.total;
  }

  /** Completions waiting for infoRead(). */
  get pendingCompletions(): number {
    return this.#engine.messages.length;
  }

  /**
   * Registers a transfer. Never blocks, never calls the sink. Returns an error only for a
   * URL undici could not use or an engine that was closed.
   */
  add(request: TransferRequest, sink: TransferSink, options: TransferOptions = {}): RequestHandle | ProviderError {
    if (this.#closed) return providerError('invalid_arg', { message: 'the engine was closed; create a new one' });
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return providerError('invalid_arg', { message: `not a valid URL: ${redactUrl(request.url)}` });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return providerError('invalid_arg', { message: `only http and https URLs are supported, not ${url.protocol}` });
    }
    const refused = this.#engine.breaker?.admit(options.rate, this.#clock.now());
    if (refused !== undefined) return refused;
    return { id: this.#engine.add(request, sink, url, options).id };
  }

  /**
   * Hands queued bytes to their sinks and settles finished attempts (retry, or finish).
   * Stream callbacks run only here. Returns the number of transfers still running.
   */
  perform(): number {
    const engine = this.#engine;
    if (this.#performing) return engine.transfers.size;
    this.#performing = true;
    engine.pumpBegins();
    try {
      engine.fireOverdue();
      const batch = engine.ready;
      engine.ready = [];
      for (let i = 0; i < batch.length; i++) engine.pump(batch[i] as (typeof batch)[number]);
    } finally {
      this.#performing = false;
      engine.idle();
    }
    return engine.transfers.size;
  }

  /** Delivers finished transfers to their completion handlers. Returns how many. */
  infoRead(): number {
    const engine = this.#engine;
    const messages = engine.messages;
    if (messages.length === 0) return 0;
    engine.pumpBegins();
    engine.messages = [];
    for (const { transfer, outcome } of messages) {
      try {
        transfer.sink.complete(outcome);
      } catch (error) {
        this.#reportCallbackError(error);
      }
    }
    engine.idle();
    return messages.length;
  }

  /** Ms until the engine next needs a pump: 0 when work is ready, -1 with no timer pending. */
  timeout(): number {
    if (this.#engine.hasWork()) return 0;
    const next = this.#engine.nextDeadline();
    return next === undefined ? -1 : Math.max(0, Math.ceil(next - this.#clock.now()));
  }

  /**
   * Resolves when there is something to pump, or after `ms` (negative: no limit), or at
   * once when nothing is running at all. Never rejects.
   */
  wait(ms: number): Promise<void> {
    if (this.#engine.hasWork() || this.#engine.transfers.size === 0 || ms === 0) return Promise.resolve();
    this.#engine.idle();
    return new Promise<void>((resolve) => {
      let timer: TimerId | undefined;
      const wake = (): void => {
        if (timer !== undefined) this.#clock.clearTimer(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      this.#waiters.add(wake);
      if (ms > 0) {
        timer = this.#clock.setTimer(ms, () => {
          timer = undefined;
          wake();
        });
      }
    });
  }

  /** A loop for hosts without one: pumps until every transfer has completed. */
  async run(): Promise<void> {
    for (;;) {
      this.perform();
      this.infoRead();
      if (this.#engine.transfers.size === 0 && !this.#engine.hasWork()) return;
      await this.wait(-1);
    }
  }

  /**
   * For hosts without a loop of their own: pump whenever work becomes ready, in the engine's
   * one setImmediate per event-loop turn (see #flush). Returns a function that stops it.
   */
  autoPump(): () => void {
    this.#autoPumps++;
    let stopped = false;
    if (this.#engine.hasWork()) this.#signal();
    return () => {
      if (stopped) return;
      stopped = true;
      this.#autoPumps--;
    };
  }

  /**
   * Stops a transfer. No sink callback but `complete(cancelled)` runs for it afterwards,
   * and its socket is destroyed. False when it already finished or is unknown.
   */
  cancel(handle: RequestHandle): boolean {
    const transfer = this.#engine.transfers.get(handle.id);
    return transfer !== undefined && this.#engine.cancel(transfer);
  }

  /**
   * A sink that was `held` takes data again: its queued bytes are pumped on the next
   * perform() (and the socket resumed). False when the transfer is not receiving a body.
   */
  resume(handle: RequestHandle): boolean {
    const transfer = this.#engine.transfers.get(handle.id);
    const attempt = transfer?.attempt;
    if (transfer === undefined || attempt === undefined || transfer.phase !== 'receiving') return false;
    if (attempt.chunks.length > 0 || attempt.end !== undefined) this.#engine.attemptReady(attempt);
    return true;
  }

  /**
   * Hands an exception from a user callback the engine did not call itself (a stream's
   * onEvent, caught by its session) to `onCallbackError`, so tests see every one.
   */
  reportCallbackError(error: unknown): void {
    this.#reportCallbackError(error);
  }

  /** How many exceptions user callbacks have thrown into this engine so far. */
  get callbackErrors(): number {
    return this.#callbackErrors;
  }

  /** Cancels every running transfer; returns how many. */
  cancelAll(): number {
    let count = 0;
    this.#engine.draining = true;
    try {
      for (const transfer of [...this.#engine.transfers.values()]) if (this.cancel(transfer)) count++;
    } finally {
      this.#engine.draining = false;
    }
    return count;
  }

  /**
   * Cancels everything and releases every socket, pending connect and timer so the
   * process can exit. Completions (the cancelled ones included) stay queued for a last
   * infoRead(). Safe to call twice; never rejects.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.cancelAll();
    this.#engine.dropReady();
    this.#wakeAll();
    if (!this.#engine.ownsDispatcher) return;
    const destroyed = this.#engine.dispatcher.destroy().catch(() => {
      // Destroying an Agent that already failed has nothing left to release.
    });
    this.#engine.destroyPendingConnects();
    await destroyed;
  }

  #wakeAll(): void {
    for (const wake of [...this.#waiters]) wake();
  }

  /**
   * Readiness reaches the host once per event-loop turn, in a setImmediate: never inside a
   * start call or an undici callback, and after every socket read of this turn queued its
   * bytes, so one pump serves them all. Waking a waiter from each read instead (a microtask
   * per read) cost a third more CPU per request with 50 short requests in flight: the next
   * request was dispatched before undici had settled the socket the last one came on.
   */
  readonly #signal = (): void => {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    setImmediate(this.#flush);
  };

  readonly #flush = (): void => {
    this.#flushQueued = false;
    if (this.#closed) return;
    const engine = this.#engine;
    // The work was pumped before this turn ended (the host pumped on its own): nothing to say.
    if (!engine.hasWork()) return engine.idle();
    this.#wakeAll();
    if (this.#notify !== undefined) {
      try {
        this.#notify();
      } catch (error) {
        this.#reportCallbackError(error);
      }
    }
    if (this.#autoPumps === 0) return;
    // Readiness raised by this pump itself (completions it queued) is consumed by it: no second turn for it.
    this.#flushQueued = true;
    try {
      this.perform();
      this.infoRead();
    } finally {
      this.#flushQueued = false;
    }
    // resume() may have handed bytes back during the pump: they are the next turn's work.
    if (engine.hasWork()) this.#signal();
  };

  readonly #reportCallbackError = (error: unknown): void => {
    this.#callbackErrors++;
    try {
      this.#onCallbackError(error);
    } catch {
      // The reporter itself failed; nothing is left to tell.
    }
  };
}
