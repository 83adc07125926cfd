import type { Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import type { ProviderError } from '../errors/category.js';
import { networkFailure } from './failure-messages.js';
import type { Clock } from './clock.js';
import type { HeaderRecord } from './headers.js';
import type { MemoryBudget } from './memory-budget.js';
import type { Transfer } from './transfer.js';

/** Marks aborts the engine caused, so their echo from undici is recognised and ignored. */
export class EngineAbort extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'EngineAbort';
  }
}

/** What the engine does with an attempt's news; only phase changes and readiness go back to it. */
export interface AttemptHost {
  readonly highWaterMark: number;
  readonly maxErrorBodyBytes: number;
  readonly memory: MemoryBudget;
  /** The transfer whose queued work the engine is handing on right now, if any. */
  readonly pumping: Transfer | undefined;
  readonly clock: Clock;
  attemptStarted(attempt: Attempt): void;
  attemptResponded(attempt: Attempt, status: number): void;
  attemptReady(attempt: Attempt): void;
}

/** How the attempt's exchange ended: its body complete (a 2xx body, or enough of an error body), or a failure. */
export type AttemptEnd = 'body_complete' | ProviderError;

const NO_HEADERS: HeaderRecord = {};

/**
 * The undici handler of one attempt, and the owner of everything that attempt holds: its
 * controller (or its socket while the connect is pending), the response, body chunks not
 * yet pumped, the error body, the pause state and how it ended. A retry is a new Attempt,
 * so nothing is reset and callbacks of an old one find it detached.
 */
export class Attempt implements Dispatcher.DispatchHandler {
  readonly transfer: Transfer;
  readonly #host: AttemptHost;
  readonly #clock: Clock;
  controller: Dispatcher.DispatchController | undefined;
  /** The engine's own connect in progress for this attempt, destroyed if the attempt is abandoned. */
  socket: Socket | undefined;
  /** undici called onRequestStart: a socket carries the request. */
  connected = false;
  status = 0;
  headers: HeaderRecord = NO_HEADERS;
  responseDelivered = false;
  /** Body chunks waiting for perform(). */
  chunks: Buffer[] = [];
  queuedBytes = 0;
  paused = false;
  /** A non-2xx body being kept for the error message. */
  errorBody: Buffer[] | undefined;
  errorBytes = 0;
  lastActivity = 0;
  end: AttemptEnd | undefined;
  /** Still listening: neither ended nor abandoned by the engine. A plain field: every chunk reads it. */
  live = true;
  #detached = false;
  /** undici reported the end or a failure: nothing is left on the wire to abort. */
  #wireDone = false;

  constructor(transfer: Transfer, host: AttemptHost) {
    this.transfer = transfer;
    this.#host = host;
    this.#clock = host.clock;
  }

  /** Ends the attempt with `end` unless it already ended. */
  endWith(end: AttemptEnd): void {
    if (!this.live) return;
    this.end = end;
    this.live = false;
    this.#host.attemptReady(this);
  }

  /** The engine is done with this attempt: release its socket (or pending connect); later callbacks are ignored. */
  detach(reason: string): void {
    if (this.#detached) return;
    this.#detached = true;
    this.live = false;
    // An exchange the server already ended needs no abort (and an Error per request would cost).
    if (this.#wireDone) return;
    const controller = this.controller;
    if (controller !== undefined) {
      if (!controller.aborted) controller.abort(new EngineAbort(reason));
    } else if (this.socket !== undefined) {
      // undici cannot abort a request whose connect is pending; destroying the socket can.
      this.socket.destroy(new EngineAbort(reason));
    }
    this.socket = undefined;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.#detached) return void controller.abort(new EngineAbort('stale attempt'));
    this.controller = controller;
    this.connected = true;
    this.socket = undefined;
    this.#host.attemptStarted(this);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: HeaderRecord): void {
    if (statusCode < 200 && statusCode !== 101) return;
    if (!this.live) return void controller.abort(new EngineAbort('stale attempt'));
    // A dispatcher that skipped onRequestStart still hands us a controller here.
    this.controller ??= controller;
    this.lastActivity = this.#clock.now();
    this.status = statusCode;
    this.headers = headers;
    if (statusCode < 200 || statusCode >= 300) this.errorBody = [];
    this.#host.attemptResponded(this, statusCode);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.live) return;
    const host = this.#host;
    this.lastActivity = this.#clock.now();
    const errorBody = this.errorBody;
    if (errorBody !== undefined) {
      errorBody.push(chunk);
      this.errorBytes += chunk.length;
      const over = host.memory.grow(this.transfer, chunk.length, false);
      // Enough to explain the error: stop reading the rest of a huge error page (or, with
      // the engine over its memory budget, of any error page: the status tells the story).
      if (this.errorBytes >= host.maxErrorBodyBytes || over) {
        this.endWith('body_complete');
        this.controller?.abort(new EngineAbort('error body read'));
      }
      return;
    }
    this.chunks.push(chunk);
    this.queuedBytes += chunk.length;
    // Over the engine's budget the socket waits for the next pump like one past its
    // high-water mark: the pump hands the bytes on, or fails the largest holders. Bytes
    // that undici hands back inside this transfer's own pump (from resume()) are that pump's
    // to settle: pausing there would re-parse undici's buffer once per chunk.
    const over = host.memory.grow(this.transfer, chunk.length, true) && host.pumping !== this.transfer;
    if ((over || this.queuedBytes > host.highWaterMark) && !this.paused && this.controller !== undefined) {
      this.paused = true;
      this.controller.pause();
    }
    host.attemptReady(this);
  }

  onResponseEnd(): void {
    this.#wireDone = true;
    this.endWith('body_complete');
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (error instanceof EngineAbort) return;
    this.#wireDone = true;
    if (!this.live) return;
    this.endWith(networkFailure(error, this.transfer.request.url, this.connected));
  }

  /** The body of a non-2xx response, as text, at most `max` bytes. */
  errorText(max: number): string {
    return Buffer.concat(this.errorBody ?? []).subarray(0, max).toString('utf8');
  }
}
