import { Agent, type Dispatcher } from 'undici';
import { withAttempts, type ProviderError } from '../errors/category.js';
import { redactUrl } from '../errors/redact-url.js';
import { Attempt, type AttemptHost } from './attempt.js';
import type { Clock } from './clock.js';
import type { EngineSettings, Message } from './engine-settings.js';
import { EngineConnector } from './connector.js';
import { Deadlines } from './deadlines.js';
import { sinkThrew, timeoutFailure } from './failure-messages.js';
import { governorFor, type Governor } from './governor/engine-host.js';
import { MemoryBudget } from './memory-budget.js';
import { Breaker } from './breaker.js';
import { parseShouldRetry } from './headers.js';
import { decideRetry } from './retry-decision.js';
import { Phases } from './phases.js';
import { ReadySignal } from './ready-signal.js';
import { isDone, onTheWire, type TimerKind, Transfer } from './transfer.js';
import type { RetryInfo, TransferOptions, TransferOutcome, TransferRequest, TransferSink } from './types.js';

/**
 * The transfers' life: the phase function, admission, deadlines, the pump and settling.
 * HttpMulti (multi.ts) is its public face and owns host integration.
 */
export class Engine implements AttemptHost {
  readonly #s: EngineSettings;
  readonly dispatcher: Dispatcher;
  readonly ownsDispatcher: boolean;
  readonly #connector: EngineConnector | undefined;
  readonly highWaterMark: number;
  readonly maxErrorBodyBytes: number;
  readonly memory: MemoryBudget;
  pumping: Transfer | undefined;
  readonly #phases: Phases;
  readonly governor: Governor | undefined;
  readonly breaker: Breaker | undefined;
  ready: Transfer[] = [];
  messages: Message[] = [];
  #nextId = 1;
  readonly #ready: ReadySignal;

  constructor(settings: EngineSettings) {
    this.#s = settings;
    this.#ready = new ReadySignal(settings.signal);
    this.ownsDispatcher = settings.dispatcher === undefined;
    this.#connector = this.ownsDispatcher ? new EngineConnector() : undefined;
    this.dispatcher =
      settings.dispatcher ??
      // No per-origin socket cap: requests queued inside undici would count that wait as
      // their connect phase. maxInFlight is the one limit, applied in our own FIFO.
      new Agent({ connections: null, pipelining: 1, keepAliveTimeout: 4_000, connect: this.#connector?.connect });
    this.highWaterMark = settings.highWaterMark;
    this.maxErrorBodyBytes = settings.maxErrorBodyBytes;
    this.memory = new MemoryBudget(settings.memoryBudget);
    const deadlines = new Deadlines(settings.clock, this.#onDeadline);
    const start = (transfer: Transfer): void => this.#startAttempt(transfer);
    this.#phases = new Phases(settings.maxInFlight, deadlines, { start, expire: (transfer: Transfer) => this.#onDeadline(transfer, 'total') }, () => this.now(), this.memory);
    this.breaker = settings.breaker === undefined ? undefined : new Breaker(settings.breaker);
    const host = { start, fail: (transfer: Transfer, error: ProviderError) => this.#failLater(transfer, error), maxWaitMs: settings.retryPolicy.maxRetryAfterMs };
    this.governor = this.#phases.governor = governorFor(settings.governor, this.#phases, host, settings.reportCallbackError);
  }

  get clock(): Clock {
    return this.#s.clock;
  }

  now(): number {
    return this.#s.clock.now();
  }

  hasWork(): boolean {
    return this.ready.length > 0 || this.messages.length > 0;
  }

  /** A pump begins: readiness from here on must be signalled again. */
  pumpBegins(): void {
    this.#ready.rearm();
  }

  /** The host found nothing to do: the next readiness must be signalled (see ReadySignal). */
  idle(): void {
    if (!this.hasWork()) this.#ready.rearm();
  }

  nextDeadline(): number | undefined {
    return this.#phases.deadlines.next();
  }

  fireOverdue(): void {
    const next = this.#phases.deadlines.next();
    if (next !== undefined && next <= this.now()) this.#phases.deadlines.fireOverdue();
  }

  get transfers(): ReadonlyMap<number, Transfer> {
    return this.#phases.transfers;
  }

  set draining(value: boolean) {
    this.#phases.draining = value;
  }

  add(request: TransferRequest, sink: TransferSink, url: URL, options: TransferOptions): Transfer {
    const timeouts = { ...this.#s.timeouts, ...options.timeouts };
    const maxRetries = Math.max(0, options.maxRetries ?? this.#s.maxRetries);
    const transfer = new Transfer(this.#nextId++, request, sink, timeouts, maxRetries, url, options.onRetry);
    transfer.ticket = options.rate;
    this.#phases.admit(transfer);
    return transfer;
  }

  #startAttempt(transfer: Transfer): void {
    transfer.attempts++;
    const attempt = new Attempt(transfer, this);
    transfer.attempt = attempt;
    this.#phases.enter(transfer, 'connecting');
    const { request } = transfer;
    const options: Dispatcher.DispatchOptions = {
      origin: transfer.origin,
      path: transfer.path,
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
    };
    this.#connector?.expect(attempt);
    try {
      this.dispatcher.dispatch(options, attempt);
    } catch (error) {
      // undici throws synchronously for malformed options; that is this attempt's end.
      attempt.onResponseError(undefined, error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.#connector?.expect(undefined);
    }
  }

  attemptStarted(attempt: Attempt): void {
    if (attempt.transfer.phase === 'connecting') this.#phases.enter(attempt.transfer, 'awaiting_headers');
  }

  attemptResponded(attempt: Attempt, status: number): void {
    const ok = status >= 200 && status < 300;
    this.#phases.enter(attempt.transfer, ok ? 'receiving' : 'error_body');
    if (ok) this.attemptReady(attempt);
  }

  attemptReady(attempt: Attempt): void {
    const transfer = attempt.transfer;
    if (transfer.inReady) return;
    transfer.inReady = true;
    this.ready.push(transfer);
    this.#ready.raise();
  }

  /** Hands one transfer's queued work to its sink (any throw ends that transfer alone), then settles the memory budget. */
  pump(transfer: Transfer): void {
    transfer.inReady = false;
    this.pumping = transfer;
    try {
      this.#pump(transfer);
      for (const victim of this.memory.afterPump(transfer, this.#phases.transfers.values())) this.#fail(victim, this.memory.exceeded(victim));
    } catch (error) {
      this.#crashed(transfer, 'a sink callback', error);
    } finally {
      this.pumping = undefined;
    }
  }

  #pump(transfer: Transfer): void {
    if (transfer.phase === 'done') return this.#finishPending(transfer);
    const attempt = transfer.attempt;
    if (attempt === undefined || !onTheWire(transfer.phase)) return;
    const { sink } = transfer;
    if (transfer.phase === 'receiving') {
      if (!attempt.responseDelivered) {
        attempt.responseDelivered = true;
        this.governor?.responded(transfer, attempt.headers);
        const refused = sink.onResponse(attempt.status, attempt.headers);
        if (isDone(transfer)) return;
        if (refused !== undefined) return this.#fail(transfer, refused);
      }
      // resume() may hand undici's next bytes (and even the end) back synchronously: loop.
      while (attempt.chunks.length > 0) {
        if (sink.held === true) return; // The consumer stopped pulling: bytes stay queued, the socket pauses at the high-water mark.
        const chunks = attempt.chunks;
        attempt.chunks = [];
        attempt.queuedBytes = 0;
        for (let i = 0; i < chunks.length; i++) {
          const failure = sink.onData(chunks[i] as Buffer);
          // A callback may have cancelled this very transfer; then it is already complete.
          if (isDone(transfer)) return;
          // Nothing reached the user yet (an in-band overloaded error as a stream's first
          // event, say): a retryable failure is retried like the HTTP error it stands for.
          if (failure !== undefined) return failure.retryable && !sink.delivered ? this.#retryOrFail(transfer, failure) : this.#fail(transfer, failure);
          // The stream's terminal event arrived: what the server sends after it is not waited for.
          if (sink.ended === true) return this.#succeed(transfer, attempt, 'stream complete');
        }
        if (attempt.paused && attempt.live) {
          attempt.paused = false;
          // The silence while we held the socket was ours, not the server's.
          attempt.lastActivity = this.now();
          this.#phases.deadlines.arm(transfer, 'idle', transfer.timeouts.idleMs);
          attempt.controller?.resume();
        }
      }
    }
    const end = attempt.end;
    if (end === undefined) return;
    if (end !== 'body_complete') return this.#retryOrFail(transfer, end);
    if (transfer.phase !== 'error_body') return this.#succeed(transfer, attempt, 'done');
    const body = attempt.errorText(this.maxErrorBodyBytes);
    const error = sink.describeHttpError(attempt.status, attempt.headers, body, this.now());
    const serverSays = parseShouldRetry(attempt.headers);
    this.governor?.respondedWithError(transfer, error, attempt.headers);
    this.#retryOrFail(transfer, serverSays === undefined ? error : { ...error, retryable: serverSays });
  }

  #succeed(transfer: Transfer, attempt: Attempt, reason: string): void {
    this.#retire(transfer, { kind: 'ok', status: attempt.status === 0 ? 200 : attempt.status, headers: attempt.headers }, true, reason);
  }

  #retryOrFail(transfer: Transfer, error: ProviderError): void {
    const question = {
      error,
      attempts: transfer.attempts,
      maxRetries: transfer.maxRetries,
      delivered: transfer.sink.delivered,
      now: this.now(),
      totalAt: transfer.timers.total?.at,
    };
    const delay = decideRetry(question, this.#s.retryPolicy, this.#s.random);
    if (delay === undefined) return this.#fail(transfer, error);
    this.#phases.enter(transfer, 'backoff', 'retrying', delay);
    this.governor?.attemptEnded(transfer, false, undefined);
    transfer.sink.reset();
    // Hooks last: one may cancel this transfer, which disarms what was just armed.
    const info: RetryInfo = { handle: { id: transfer.id }, url: redactUrl(transfer.request.url), attempt: transfer.attempts + 1, delayMs: delay, error };
    this.#callHook(this.#s.onRetry, info);
    if (transfer.phase === 'backoff') this.#callHook(transfer.onRetry, info);
  }

  #callHook(hook: ((info: RetryInfo) => void) | undefined, info: RetryInfo): void {
    try {
      hook?.(info);
    } catch (error) {
      this.#s.reportCallbackError(error);
    }
  }

  #fail(transfer: Transfer, error: ProviderError): void {
    this.#retire(transfer, { kind: 'failed', error: withAttempts(error, transfer.attempts) }, true, error.message);
  }

  /** A sink threw: the transfer fails. (Once done it has its completion queued already: finish's throws are caught in #finish.) */
  #crashed(transfer: Transfer, callback: string, error: unknown): void {
    if (transfer.phase !== 'done') this.#fail(transfer, sinkThrew(callback, error));
  }

  /** Stops a running transfer: the sink hears onCancel (not finish), its completion says cancelled. */
  cancel(transfer: Transfer): boolean {
    if (transfer.phase === 'done') return false;
    try {
      transfer.sink.onCancel();
    } catch (error) {
      this.#s.reportCallbackError(error);
    }
    this.#retire(transfer, { kind: 'cancelled' }, false, 'cancelled by the caller');
    return true;
  }

  /** Ends a transfer: phase done (timers off, slot freed), sink told unless cancelled, completion queued. */
  #retire(transfer: Transfer, outcome: TransferOutcome, finishSink: boolean, reason: string): void {
    this.#phases.enter(transfer, 'done', reason);
    const finished = finishSink ? this.#finish(transfer, outcome) : outcome;
    this.governor?.attemptEnded(transfer, finished.kind === 'ok', finished.kind === 'ok' ? transfer.sink.usage?.() : undefined);
    this.breaker?.record(transfer.ticket, finished, this.now());
    this.#queueMessage(transfer, finished);
  }

  #finish(transfer: Transfer, outcome: TransferOutcome): TransferOutcome {
    try {
      transfer.sink.finish(outcome);
      return outcome;
    } catch (error) {
      return { kind: 'failed', error: withAttempts(sinkThrew("the sink's finish", error), transfer.attempts) };
    }
  }

  #queueMessage(transfer: Transfer, outcome: TransferOutcome): void {
    this.messages.push({ transfer, outcome });
    this.#ready.raise();
  }

  /** A transfer the total deadline ended outside a pump: finish it now. */
  #finishPending(transfer: Transfer): void {
    const outcome = transfer.pendingOutcome;
    if (outcome === undefined) return;
    transfer.pendingOutcome = undefined;
    this.#queueMessage(transfer, this.#finish(transfer, outcome));
  }

  /** close(): work that was ready is dropped, but transfers ended by their total deadline still complete. */
  dropReady(): void {
    const ready = this.ready;
    this.ready = [];
    for (const transfer of ready) {
      transfer.inReady = false;
      if (transfer.phase === 'done') this.#finishPending(transfer);
    }
  }

  readonly #onDeadline = (transfer: Transfer, kind: TimerKind): void => {
    if (kind === 'rate') return this.governor?.wake(transfer);
    if (kind === 'retry') {
      if (transfer.phase === 'backoff' && (this.governor?.retry(transfer) ?? true)) this.#startAttempt(transfer);
      return;
    }
    if (transfer.phase === 'done') return;
    const error = timeoutFailure(kind, transfer.timeouts, transfer.request.url);
    // No retry can help once the whole budget is spent; a queued transfer leaves the queue without a slot.
    if (kind === 'total') return this.#failLater(transfer, { ...error, retryable: false });
    const attempt = transfer.attempt;
    if (attempt === undefined || !attempt.live) return;
    if (kind === 'idle') {
      const due = attempt.lastActivity + transfer.timeouts.idleMs;
      const now = this.now();
      if (attempt.paused || due > now) {
        // Data arrived (or we paused the socket) since this timer was armed: look again later.
        this.#phases.deadlines.arm(transfer, 'idle', attempt.paused ? transfer.timeouts.idleMs : due - now);
        return;
      }
    }
    attempt.endWith(error);
    attempt.detach(error.message);
  };

  /** Ends a transfer outside its pump (a deadline, the governor): done now, its completion on the next pump. */
  #failLater(transfer: Transfer, error: ProviderError): void {
    this.#phases.enter(transfer, 'done', error.message);
    this.governor?.attemptEnded(transfer, false, undefined);
    transfer.pendingOutcome = { kind: 'failed', error: withAttempts(error, transfer.attempts) };
    if (!transfer.inReady) this.ready.push(transfer);
    transfer.inReady = true;
    this.#ready.raise();
  }

  /** Releases every pending connect the engine's own connector opened. */
  destroyPendingConnects(): void {
    this.#connector?.destroyAll();
  }
}
