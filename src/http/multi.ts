import { Agent, type Dispatcher } from 'undici';
import { providerError, withAttempts, type ProviderError, type TimeoutPhase } from '../errors/category.js';
import { classifyNetworkCode } from '../errors/http-status.js';
import { hintFor } from '../errors/hints.js';
import { redactUrl } from '../errors/redact-url.js';
import { parseShouldRetry } from './headers.js';
import type { Timeouts } from './types.js';
import { RealClock, type Clock, type TimerId } from './clock.js';
import { DEFAULT_RETRY_POLICY, retryDelay, type RetryPolicy } from './retry-policy.js';
import { DeadlineHeap } from './deadline-heap.js';
import { Transfer, type ArmedTimer, type TimerKind } from './transfer.js';
import type {
  HeaderRecord,
  RequestHandle,
  RetryInfo,
  TransferOptions,
  TransferOutcome,
  TransferRequest,
  TransferSink,
} from './types.js';

export const DEFAULT_TIMEOUTS: Timeouts = {
  connectMs: 10_000,
  headersMs: 600_000,
  idleMs: 300_000,
  totalMs: 0,
};

export interface HttpMultiOptions {
  /** Where requests go: an undici Agent by default, a VCR dispatcher in tests. */
  readonly dispatcher?: Dispatcher;
  /** Timers run on this clock; tests pass a VirtualClock. */
  readonly clock?: Clock;
  /** Transfers on the wire at once; later ones wait in FIFO order. */
  readonly maxInFlight?: number;
  /** Bytes queued on one transfer (not yet pumped) before its socket is paused. */
  readonly highWaterMark?: number;
  readonly timeouts?: Partial<Timeouts>;
  /** Retries after the first attempt (default 2). */
  readonly maxRetries?: number;
  readonly retryPolicy?: Partial<RetryPolicy>;
  /** Called (outside any pump) when work becomes ready, so an external loop can schedule one. */
  readonly notify?: () => void;
  /** Observes each retry before its backoff starts. */
  readonly onRetry?: (info: RetryInfo) => void;
  /** Receives exceptions thrown by user completion callbacks (default: a process warning). */
  readonly onCallbackError?: (error: unknown) => void;
  /** Random source for backoff jitter; tests make it deterministic. */
  readonly random?: () => number;
  /** Most bytes of a non-2xx body kept for the error message. */
  readonly maxErrorBodyBytes?: number;
}

interface Message {
  readonly transfer: Transfer;
  readonly outcome: TransferOutcome;
}

/** Marks aborts we caused, so their echo from undici is recognised and ignored. */
class EngineAbort extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'EngineAbort';
  }
}

/**
 * The curl-multi analog. It registers transfers and never blocks: undici's callbacks only
 * queue bytes and outcomes; `perform()` hands them to sinks, `infoRead()` delivers
 * completions. All timers are on the injected clock.
 */
export class HttpMulti {
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #clock: Clock;
  readonly #maxInFlight: number;
  readonly #highWaterMark: number;
  readonly #timeouts: Timeouts;
  readonly #maxRetries: number;
  readonly #retryPolicy: RetryPolicy;
  readonly #random: () => number;
  readonly #maxErrorBodyBytes: number;
  readonly #onRetry: ((info: RetryInfo) => void) | undefined;
  readonly #onCallbackError: (error: unknown) => void;
  #notify: (() => void) | undefined;

  readonly #transfers = new Map<number, Transfer>();
  readonly #waiting: Transfer[] = [];
  #waitingHead = 0;
  #inFlight = 0;
  #ready: Transfer[] = [];
  #messages: Message[] = [];
  #nextId = 1;
  #performing = false;
  #closed = false;
  readonly #waiters = new Set<() => void>();
  /** Every armed deadline of every transfer; one clock timer wakes us for the earliest. */
  readonly #deadlines = new DeadlineHeap<ArmedTimer>((timer) => timer.transfer.timers[timer.kind] === timer);
  #armedCount = 0;
  #wake: { readonly id: TimerId; readonly at: number } | undefined;
  /** Set while cancelAll()/close() run, so freed slots do not start transfers about to be cancelled. */
  #draining = false;
  #notifyQueued = false;

  constructor(options: HttpMultiOptions = {}) {
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ??
      // No per-origin socket cap: requests queued inside undici would count that wait as
      // their connect phase. maxInFlight is the one limit, applied in our own FIFO.
      new Agent({ connections: null, pipelining: 1, keepAliveTimeout: 4_000 });
    this.#clock = options.clock ?? new RealClock();
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? 512);
    this.#highWaterMark = Math.max(1, options.highWaterMark ?? 256 * 1024);
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.#maxRetries = Math.max(0, options.maxRetries ?? 2);
    this.#retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retryPolicy };
    this.#random = options.random ?? Math.random;
    this.#maxErrorBodyBytes = options.maxErrorBodyBytes ?? 64 * 1024;
    this.#onRetry = options.onRetry;
    this.#onCallbackError = options.onCallbackError ?? defaultCallbackErrorReporter;
    this.#notify = options.notify;
  }

  get clock(): Clock {
    return this.#clock;
  }

  /** Transfers not yet finished: queued, on the wire, or waiting to retry. */
  get running(): number {
    return this.#transfers.size;
  }

  /** Completions waiting for infoRead(). */
  get pendingCompletions(): number {
    return this.#messages.length;
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
    const timeouts = { ...this.#timeouts, ...options.timeouts };
    const maxRetries = Math.max(0, options.maxRetries ?? this.#maxRetries);
    const transfer = new Transfer(this.#nextId++, request, sink, timeouts, maxRetries, url, options.onRetry);
    this.#transfers.set(transfer.id, transfer);
    this.#arm(transfer, 'total', timeouts.totalMs);
    if (this.#inFlight < this.#maxInFlight) this.#startAttempt(transfer);
    else this.#waiting.push(transfer);
    return { id: transfer.id };
  }

  /**
   * Hands queued bytes to their sinks and settles finished attempts (retry, or finish).
   * Stream callbacks run only here. Returns the number of transfers still running.
   */
  perform(): number {
    if (this.#performing) return this.#transfers.size;
    this.#performing = true;
    try {
      const next = this.#deadlines.peek();
      if (next !== undefined && next.at <= this.#clock.now()) this.#fireOverdue();
      const batch = this.#ready;
      this.#ready = [];
      for (const transfer of batch) {
        transfer.inReady = false;
        this.#pump(transfer);
      }
    } finally {
      this.#performing = false;
    }
    return this.#transfers.size;
  }

  /** Delivers finished transfers to their completion handlers. Returns how many. */
  infoRead(): number {
    const messages = this.#messages;
    if (messages.length === 0) return 0;
    this.#messages = [];
    for (const { transfer, outcome } of messages) {
      try {
        transfer.sink.complete(outcome);
      } catch (error) {
        this.#reportCallbackError(error);
      }
    }
    return messages.length;
  }

  /** Ms until the engine next needs a pump: 0 when work is ready, -1 with no timer pending. */
  timeout(): number {
    if (this.#hasWork()) return 0;
    const next = this.#deadlines.peek();
    return next === undefined ? -1 : Math.max(0, Math.ceil(next.at - this.#clock.now()));
  }

  /**
   * Resolves when there is something to pump, or after `ms` (negative: no limit), or at
   * once when nothing is running at all. Never rejects.
   */
  wait(ms: number): Promise<void> {
    if (this.#hasWork() || this.#transfers.size === 0 || ms === 0) {
      return Promise.resolve();
    }
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
      if (this.#transfers.size === 0 && !this.#hasWork()) return;
      await this.wait(-1);
    }
  }

  /**
   * For hosts without a loop of their own: pump whenever work becomes ready, on a
   * setImmediate after the notification. Returns a function that stops it.
   */
  autoPump(): () => void {
    const previous = this.#notify;
    let scheduled = false;
    let stopped = false;
    const pump = (): void => {
      scheduled = false;
      if (stopped) return;
      this.perform();
      this.infoRead();
    };
    const notify = (): void => {
      previous?.();
      if (!scheduled) {
        scheduled = true;
        setImmediate(pump);
      }
    };
    this.#notify = notify;
    if (this.#hasWork()) this.#signal();
    return () => {
      stopped = true;
      if (this.#notify === notify) this.#notify = previous;
    };
  }

  /**
   * Stops a transfer. No sink callback but `complete(cancelled)` runs for it afterwards,
   * and its socket is destroyed. False when it already finished or is unknown.
   */
  cancel(handle: RequestHandle): boolean {
    const transfer = this.#transfers.get(handle.id);
    if (transfer === undefined || transfer.state === 'done') return false;
    this.#abortAttempt(transfer, 'cancelled by the caller');
    transfer.sink.onCancel();
    this.#retire(transfer, { kind: 'cancelled' }, false);
    return true;
  }

  /** Cancels every running transfer; returns how many. */
  cancelAll(): number {
    let count = 0;
    this.#draining = true;
    try {
      for (const transfer of [...this.#transfers.values()]) if (this.cancel(transfer)) count++;
    } finally {
      this.#draining = false;
    }
    return count;
  }

  /**
   * Cancels everything and releases every socket and timer so the process can exit.
   * Completions (the cancelled ones included) stay queued for a last infoRead(). Safe to
   * call twice; never rejects.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.cancelAll();
    // Completions stay queued: infoRead() after close() still delivers one per request.
    this.#ready = [];
    this.#wakeAll();
    if (this.#ownsDispatcher) {
      try {
        await this.#dispatcher.destroy();
      } catch {
        // Destroying an Agent that already failed has nothing left to release.
      }
    }
  }

  #hasWork(): boolean {
    return this.#ready.length > 0 || this.#messages.length > 0;
  }

  #startAttempt(transfer: Transfer): void {
    if (transfer.state === 'queued') this.#inFlight++;
    transfer.state = 'running';
    transfer.attempt++;
    transfer.resetAttempt();
    this.#arm(transfer, 'connect', transfer.timeouts.connectMs);
    const { request } = transfer;
    const handler = new AttemptHandler(this, transfer, transfer.attempt);
    try {
      this.#dispatcher.dispatch(
        {
          origin: transfer.origin,
          path: transfer.path,
          method: request.method,
          headers: request.headers,
          body: request.body ?? null,
        },
        handler,
      );
    } catch (error) {
      // undici throws synchronously for malformed options; that is this attempt's end.
      this.attemptFailed(transfer, transfer.attempt, error);
    }
  }

  /** @internal undici callbacks (through AttemptHandler) land in the methods below. */
  isLive(transfer: Transfer, attempt: number): boolean {
    return transfer.state === 'running' && transfer.attempt === attempt && transfer.ended === undefined;
  }

  /** @internal */
  attemptConnected(transfer: Transfer, controller: Dispatcher.DispatchController): void {
    transfer.controller = controller;
    transfer.connected = true;
    this.#disarm(transfer, 'connect');
    this.#arm(transfer, 'headers', transfer.timeouts.headersMs);
  }

  /** @internal */
  attemptResponse(transfer: Transfer, status: number, headers: HeaderRecord): void {
    this.#disarm(transfer, 'headers');
    transfer.lastActivity = this.#clock.now();
    this.#arm(transfer, 'idle', transfer.timeouts.idleMs);
    if (status >= 200 && status < 300) {
      transfer.response = { status, headers };
      this.#markReady(transfer);
    } else {
      transfer.errorResponse = { status, headers, body: [], bytes: 0 };
    }
  }

  /** @internal */
  attemptData(transfer: Transfer, chunk: Buffer): void {
    transfer.lastActivity = this.#clock.now();
    const errorResponse = transfer.errorResponse;
    if (errorResponse !== undefined) {
      errorResponse.body.push(chunk);
      errorResponse.bytes += chunk.length;
      if (errorResponse.bytes >= this.#maxErrorBodyBytes) {
        // Enough to explain the error: stop reading the rest of a huge error page.
        this.#disarm(transfer, 'idle');
        transfer.ended = 'ok';
        transfer.controller?.abort(new EngineAbort('error body read'));
        this.#markReady(transfer);
      }
      return;
    }
    transfer.chunks.push(chunk);
    transfer.queuedBytes += chunk.length;
    if (transfer.queuedBytes > this.#highWaterMark && !transfer.paused && transfer.controller !== undefined) {
      transfer.paused = true;
      transfer.controller.pause();
    }
    this.#markReady(transfer);
  }

  /** @internal */
  attemptEnded(transfer: Transfer): void {
    this.#disarm(transfer, 'idle');
    transfer.ended = 'ok';
    this.#markReady(transfer);
  }

  /** @internal */
  attemptFailed(transfer: Transfer, attempt: number, error: unknown): void {
    if (!this.isLive(transfer, attempt)) return;
    if (error instanceof EngineAbort) return;
    this.#disarmPhases(transfer);
    transfer.ended = networkError(error, transfer.request.url, transfer.connected);
    this.#markReady(transfer);
  }

  #markReady(transfer: Transfer): void {
    if (transfer.inReady) return;
    transfer.inReady = true;
    const wasIdle = !this.#hasWork();
    this.#ready.push(transfer);
    if (wasIdle) this.#signal();
  }

  #wakeAll(): void {
    for (const wake of [...this.#waiters]) wake();
  }

  #signal(): void {
    this.#wakeAll();
    // Deferred and coalesced: the hook must never run inside a start call or an undici callback.
    if (this.#notify !== undefined && !this.#notifyQueued) {
      this.#notifyQueued = true;
      queueMicrotask(this.#deliverNotify);
    }
  }

  readonly #deliverNotify = (): void => {
    this.#notifyQueued = false;
    if (this.#closed) return;
    try {
      this.#notify?.();
    } catch (error) {
      this.#reportCallbackError(error);
    }
  };

  #reportCallbackError(error: unknown): void {
    try {
      this.#onCallbackError(error);
    } catch {
      // The reporter itself failed; nothing is left to tell.
    }
  }

  #pump(transfer: Transfer): void {
    if (transfer.state !== 'running') return;
    const { sink } = transfer;
    if (transfer.response !== undefined && !transfer.responseDelivered) {
      transfer.responseDelivered = true;
      const refused = sink.onResponse(transfer.response.status, transfer.response.headers);
      if (refused !== undefined) return this.#failNow(transfer, refused);
    }
    // resume() may hand undici's next bytes (and even the end) back synchronously: loop.
    while (transfer.chunks.length > 0) {
      const chunks = transfer.chunks;
      transfer.chunks = [];
      transfer.queuedBytes = 0;
      for (let i = 0; i < chunks.length; i++) {
        const failure = sink.onData(chunks[i] as Buffer);
        // A callback may have cancelled this very transfer; then it is already complete.
        if (transfer.state !== 'running') return;
        if (failure !== undefined) return this.#failNow(transfer, failure);
      }
      if (transfer.paused && transfer.ended === undefined) {
        transfer.paused = false;
        // The silence while we held the socket was ours, not the server's.
        transfer.lastActivity = this.#clock.now();
        this.#arm(transfer, 'idle', transfer.timeouts.idleMs);
        transfer.controller?.resume();
      }
    }
    if (transfer.ended !== undefined) this.#settle(transfer);
  }

  #settle(transfer: Transfer): void {
    const ended = transfer.ended;
    const errorResponse = transfer.errorResponse;
    if (errorResponse !== undefined && ended === 'ok') {
      const body = Buffer.concat(errorResponse.body).subarray(0, this.#maxErrorBodyBytes).toString('utf8');
      const error = transfer.sink.describeHttpError(errorResponse.status, errorResponse.headers, body, this.#clock.now());
      const serverSays = parseShouldRetry(errorResponse.headers);
      return this.#retryOrFail(transfer, serverSays === undefined ? error : { ...error, retryable: serverSays });
    }
    if (ended === 'ok') {
      const response = transfer.response;
      return this.#retire(transfer, { kind: 'ok', status: response?.status ?? 200, headers: response?.headers ?? {} }, true);
    }
    if (ended !== undefined) this.#retryOrFail(transfer, ended);
  }

  #retryOrFail(transfer: Transfer, error: ProviderError): void {
    const nextAttempt = transfer.attempt + 1;
    const canRetry = error.retryable && !transfer.sink.delivered && transfer.attempt <= transfer.maxRetries;
    const delay = canRetry ? retryDelay(error, nextAttempt, this.#retryPolicy, this.#random) : undefined;
    const total = transfer.timers.total;
    if (delay === undefined || (total !== undefined && this.#clock.now() + delay >= total.at)) {
      return this.#retire(transfer, { kind: 'failed', error: withAttempts(error, transfer.attempt) }, true);
    }
    this.#abortAttempt(transfer, 'retrying');
    transfer.state = 'backoff';
    transfer.sink.reset();
    this.#arm(transfer, 'retry', delay);
    // Hooks last: one may cancel this transfer, which disarms what was just armed.
    const info: RetryInfo = { handle: { id: transfer.id }, url: redactUrl(transfer.request.url), attempt: nextAttempt, delayMs: delay, error };
    this.#callHook(this.#onRetry, info);
    if (transfer.state === 'backoff') this.#callHook(transfer.onRetry, info);
  }

  #callHook(hook: ((info: RetryInfo) => void) | undefined, info: RetryInfo): void {
    try {
      hook?.(info);
    } catch (error) {
      this.#reportCallbackError(error);
    }
  }

  #failNow(transfer: Transfer, error: ProviderError): void {
    this.#abortAttempt(transfer, error.message);
    this.#retire(transfer, { kind: 'failed', error: withAttempts(error, transfer.attempt) }, true);
  }

  /** Ends a transfer: timers off, slot freed, sink told (unless cancelled), completion queued. */
  #retire(transfer: Transfer, outcome: TransferOutcome, finishSink: boolean): void {
    for (const kind of TIMER_KINDS) this.#disarm(transfer, kind);
    const wasQueued = transfer.state === 'queued';
    transfer.state = 'done';
    transfer.chunks = [];
    transfer.queuedBytes = 0;
    this.#transfers.delete(transfer.id);
    if (this.#transfers.size === 0) {
      // Nothing left to time: no wake-up may keep the process (or a virtual clock) busy.
      this.#cancelWake();
      this.#deadlines.clear();
    }
    if (wasQueued) this.#removeWaiting(transfer);
    else this.#releaseSlot();
    if (finishSink) transfer.sink.finish(outcome);
    const wasIdle = !this.#hasWork();
    this.#messages.push({ transfer, outcome });
    if (wasIdle) this.#signal();
  }

  #abortAttempt(transfer: Transfer, reason: string): void {
    this.#disarmPhases(transfer);
    const controller = transfer.controller;
    transfer.controller = undefined;
    if (controller !== undefined && !controller.aborted) controller.abort(new EngineAbort(reason));
    // Marking the attempt ended makes undici's late callbacks for it stale.
    if (transfer.state === 'running') transfer.ended ??= providerError('cancelled', { message: reason });
  }

  #releaseSlot(): void {
    this.#inFlight--;
    while (!this.#draining && this.#inFlight < this.#maxInFlight && this.#waitingHead < this.#waiting.length) {
      const next = this.#waiting[this.#waitingHead++] as Transfer;
      if (next.state === 'queued') this.#startAttempt(next);
    }
    if (this.#waitingHead > 1024 && this.#waitingHead * 2 > this.#waiting.length) {
      this.#waiting.splice(0, this.#waitingHead);
      this.#waitingHead = 0;
    }
  }

  #removeWaiting(transfer: Transfer): void {
    const index = this.#waiting.indexOf(transfer, this.#waitingHead);
    if (index >= 0) this.#waiting.splice(index, 1);
  }

  #onTimeout(transfer: Transfer, phase: TimeoutPhase): void {
    if (transfer.state === 'done') return;
    if (phase === 'idle') {
      const due = transfer.lastActivity + transfer.timeouts.idleMs;
      const now = this.#clock.now();
      if (transfer.paused || due > now) {
        // Data arrived (or we paused the socket) since this timer was armed: look again later.
        this.#arm(transfer, 'idle', transfer.paused ? transfer.timeouts.idleMs : due - now);
        return;
      }
    }
    const error = timeoutError(phase, transfer);
    if (phase === 'total') {
      // No retry can help once the whole budget is spent.
      this.#abortAttempt(transfer, error.message);
      if (transfer.state === 'queued') {
        // Take the slot it never had, so retiring it keeps the in-flight count right.
        this.#removeWaiting(transfer);
        this.#inFlight++;
      }
      this.#disarm(transfer, 'retry');
      transfer.state = 'running';
      transfer.ended = { ...error, retryable: false };
      this.#markReady(transfer);
      return;
    }
    if (transfer.state !== 'running' || transfer.ended !== undefined) return;
    this.#abortAttempt(transfer, error.message);
    transfer.ended = error;
    this.#markReady(transfer);
  }

  #arm(transfer: Transfer, kind: TimerKind, ms: number): void {
    this.#disarm(transfer, kind);
    if (kind !== 'retry' && !(ms > 0)) return;
    // Every timer kind but `retry` is named after the timeout phase it enforces.
    const fire = kind === 'retry' ? () => this.#onRetryDue(transfer) : () => this.#onTimeout(transfer, kind);
    const timer: ArmedTimer = { at: this.#clock.now() + ms, kind, transfer, fire };
    transfer.timers[kind] = timer;
    this.#armedCount++;
    this.#deadlines.push(timer);
    this.#scheduleWake(timer.at);
  }

  #disarm(transfer: Transfer, kind: TimerKind): void {
    if (transfer.timers[kind] === undefined) return;
    transfer.timers[kind] = undefined;
    this.#armedCount--;
    this.#deadlines.compact(this.#armedCount);
  }

  /** One clock timer for the whole engine, at the earliest deadline; the heap holds the rest. */
  #scheduleWake(at: number): void {
    if (this.#wake !== undefined && this.#wake.at <= at) return;
    if (this.#wake !== undefined) this.#clock.clearTimer(this.#wake.id);
    const id = this.#clock.setTimer(Math.max(0, at - this.#clock.now()), this.#onWake);
    this.#wake = { id, at };
  }

  readonly #onWake = (): void => {
    this.#wake = undefined;
    this.#fireOverdue();
  };

  /**
   * Fires every deadline that has passed, from the clock's wake-up or from perform() when
   * the host was too busy for the clock callback to run (as curl's perform does), then
   * sets the wake-up for the next one.
   */
  #fireOverdue(): void {
    const now = this.#clock.now();
    for (let timer = this.#deadlines.popDue(now); timer !== undefined; timer = this.#deadlines.popDue(now)) {
      this.#disarm(timer.transfer, timer.kind);
      timer.fire();
    }
    const next = this.#deadlines.peek();
    if (next !== undefined) this.#scheduleWake(next.at);
    else this.#cancelWake();
  }

  #cancelWake(): void {
    if (this.#wake === undefined) return;
    this.#clock.clearTimer(this.#wake.id);
    this.#wake = undefined;
  }

  #disarmPhases(transfer: Transfer): void {
    this.#disarm(transfer, 'connect');
    this.#disarm(transfer, 'headers');
    this.#disarm(transfer, 'idle');
  }

  #onRetryDue(transfer: Transfer): void {
    if (transfer.state !== 'backoff') return;
    this.#startAttempt(transfer);
  }
}

const TIMER_KINDS: readonly TimerKind[] = ['connect', 'headers', 'idle', 'total', 'retry'];

/**
 * The undici handler of one attempt. It only forwards to the engine, which drops the
 * callbacks of attempts that were aborted, retried or cancelled.
 */
class AttemptHandler implements Dispatcher.DispatchHandler {
  readonly #multi: HttpMulti;
  readonly #transfer: Transfer;
  readonly #attempt: number;

  constructor(multi: HttpMulti, transfer: Transfer, attempt: number) {
    this.#multi = multi;
    this.#transfer = transfer;
    this.#attempt = attempt;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (!this.#multi.isLive(this.#transfer, this.#attempt)) {
      controller.abort(new EngineAbort('stale attempt'));
      return;
    }
    this.#multi.attemptConnected(this.#transfer, controller);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: HeaderRecord): void {
    if (statusCode < 200 && statusCode !== 101) return;
    if (!this.#multi.isLive(this.#transfer, this.#attempt)) return void controller.abort(new EngineAbort('stale attempt'));
    // A dispatcher that skipped onRequestStart still hands us a controller here.
    this.#transfer.controller ??= controller;
    this.#multi.attemptResponse(this.#transfer, statusCode, headers);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#multi.isLive(this.#transfer, this.#attempt)) this.#multi.attemptData(this.#transfer, chunk);
  }

  onResponseEnd(): void {
    if (this.#multi.isLive(this.#transfer, this.#attempt)) this.#multi.attemptEnded(this.#transfer);
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.#multi.attemptFailed(this.#transfer, this.#attempt, error);
  }
}

function errorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 8) return undefined;
  const direct = (error as { code?: unknown }).code;
  if (typeof direct === 'string') return direct;
  return errorCode((error as { cause?: unknown }).cause, depth + 1);
}

function networkError(error: unknown, url: string, connected: boolean): ProviderError {
  const code = errorCode(error);
  const { category, what, retryable } = classifyNetworkCode(code);
  const host = hostOf(url);
  const when = connected ? 'after connecting' : 'before connecting';
  const detail = error instanceof Error && error.message !== '' ? `: ${error.message}` : '';
  return providerError(category, {
    message: `${what} talking to ${host} (${when}${code !== undefined ? `, ${code}` : ''})${detail}`,
    providerCode: code,
    retryable,
    hint: hintFor(category),
  });
}

function timeoutError(phase: TimeoutPhase, transfer: Transfer): ProviderError {
  const limits: Record<TimeoutPhase, number> = {
    connect: transfer.timeouts.connectMs,
    headers: transfer.timeouts.headersMs,
    idle: transfer.timeouts.idleMs,
    total: transfer.timeouts.totalMs,
  };
  const what: Record<TimeoutPhase, string> = {
    connect: 'connecting to',
    headers: 'waiting for response headers from',
    idle: 'waiting for the next chunk of the stream from',
    total: 'the whole request to',
  };
  return providerError('timeout', {
    message: `timed out ${what[phase]} ${hostOf(transfer.request.url)} after ${limits[phase]} ms (${phase} timeout)`,
    phase,
    hint: hintFor('timeout', phase),
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}

function defaultCallbackErrorReporter(error: unknown): void {
  process.emitWarning(`llmux: a completion callback threw: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
}
