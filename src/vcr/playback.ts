/**
 * One replayed exchange: it plays the callbacks a real undici dispatch would make, on the
 * injected clock, and is the controller the handler pauses, resumes and aborts.
 */
import { Buffer } from 'node:buffer';
import type { Dispatcher } from 'undici';
import type { Clock, TimerId } from '../http/clock.js';
import { wireError } from '../http/failure-messages.js';
import type { Exchange, ExchangeEnd } from './cassette.js';

/** `instant`: as fast as possible (each callback its own macrotask); `recorded`: at the recorded offsets; a number: that many times faster. */
export type ReplaySpeed = 'instant' | 'recorded' | number;

type Step =
  | { readonly kind: 'start'; readonly t: number }
  | { readonly kind: 'response'; readonly t: number }
  | { readonly kind: 'data'; readonly t: number; readonly bytes: Buffer }
  | { readonly kind: 'end'; readonly t: number; readonly end: Exclude<ExchangeEnd, { kind: 'none' }> };

function stepsOf(exchange: Exchange): Step[] {
  const { response, end } = exchange;
  const steps: Step[] = [];
  if (response !== undefined || end.kind !== 'error' || end.started) steps.push({ kind: 'start', t: 0 });
  if (response !== undefined) {
    steps.push({ kind: 'response', t: response.t });
    for (const chunk of exchange.chunks) steps.push({ kind: 'data', t: chunk.t, bytes: chunk.bytes });
  }
  if (end.kind !== 'none') steps.push({ kind: 'end', t: end.t, end });
  return steps;
}

function rawHeaders(headers: Readonly<Record<string, string | readonly string[]>>): string[] {
  const raw: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    for (const item of typeof value === 'string' ? [value] : value) raw.push(name, item);
  }
  return raw;
}

/**
 * undici passes no controller to onResponseError when the request never reached a socket
 * (connect failed, dispatcher closed); replay does the same so engines are tested for it.
 */
const NO_CONTROLLER = undefined as unknown as Dispatcher.DispatchController;

export class Playback implements Dispatcher.DispatchController {
  rawHeaders: string[] | null = null;
  rawTrailers: string[] | null = null;

  readonly #handler: Dispatcher.DispatchHandler;
  readonly #exchange: Exchange;
  readonly #clock: Clock;
  readonly #speed: ReplaySpeed;
  readonly #onDone: () => void;
  readonly #steps: Step[];
  readonly #startedAt: number;
  #next = 0;
  #paused = false;
  #aborted = false;
  #done = false;
  #reason: Error | null = null;
  #timer: TimerId | undefined;
  #immediate: NodeJS.Immediate | undefined;

  constructor(handler: Dispatcher.DispatchHandler, exchange: Exchange, clock: Clock, speed: ReplaySpeed, onDone: () => void) {
    this.#handler = handler;
    this.#exchange = exchange;
    this.#clock = clock;
    this.#speed = speed;
    this.#onDone = onDone;
    this.#steps = stepsOf(exchange);
    this.#startedAt = clock.now();
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get paused(): boolean {
    return this.#paused;
  }

  get reason(): Error | null {
    return this.#reason;
  }

  /** Begins delivery; never calls the handler synchronously. */
  start(): void {
    this.#schedule();
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#schedule();
  }

  /** Stops at once and delivers onResponseError(reason) synchronously, as undici does. No-op once done. */
  abort(reason?: Error): void {
    if (this.#done) return;
    this.#aborted = true;
    this.#reason = reason ?? wireError('Request aborted', 'UND_ERR_ABORTED', 'RequestAbortedError');
    this.#fail(this.#reason, this);
  }

  #due(step: Step): number {
    const scale = typeof this.#speed === 'number' && this.#speed > 0 ? this.#speed : 1;
    return this.#startedAt + step.t / scale;
  }

  #schedule(): void {
    if (this.#done || this.#paused || this.#timer !== undefined || this.#immediate !== undefined) return;
    const step = this.#steps[this.#next];
    if (step === undefined) return;
    if (this.#speed === 'instant') {
      this.#immediate = setImmediate(() => {
        this.#immediate = undefined;
        this.#deliverNext();
        this.#schedule();
      });
      return;
    }
    const delay = this.#due(step) - this.#clock.now();
    if (delay <= 0) {
      this.#immediate = setImmediate(() => {
        this.#immediate = undefined;
        this.#runDue();
      });
    } else {
      this.#timer = this.#clock.setTimer(delay, () => {
        this.#timer = undefined;
        this.#runDue();
      });
    }
  }

  /** Delivers every step that is due, stopping when paused or done, then waits for the next. */
  #runDue(): void {
    for (;;) {
      const step = this.#steps[this.#next];
      if (this.#done || this.#paused || step === undefined || this.#due(step) > this.#clock.now()) break;
      this.#deliverNext();
    }
    this.#schedule();
  }

  #deliverNext(): void {
    const step = this.#steps[this.#next++];
    if (step === undefined || this.#done) return;
    try {
      this.#deliver(step);
    } catch (error) {
      // undici aborts a request whose handler throws, with the thrown error.
      this.abort(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #deliver(step: Step): void {
    const handler = this.#handler;
    switch (step.kind) {
      case 'start':
        handler.onRequestStart?.(this, undefined);
        return;
      case 'response': {
        const response = this.#exchange.response;
        if (response === undefined) return;
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(response.headers)) headers[name] = typeof value === 'string' ? value : [...value];
        this.rawHeaders = rawHeaders(response.headers);
        handler.onResponseStart?.(this, response.status, headers, response.statusMessage ?? '');
        return;
      }
      case 'data':
        handler.onResponseData?.(this, Buffer.from(step.bytes));
        return;
      case 'end':
        this.#finish(step.end);
        return;
    }
  }

  #finish(end: Exclude<ExchangeEnd, { kind: 'none' }>): void {
    if (end.kind === 'error') {
      this.#fail(wireError(end.message, end.code, end.name), end.started ? this : NO_CONTROLLER);
      return;
    }
    this.#done = true;
    this.rawTrailers = [];
    this.#clear();
    this.#onDone();
    this.#handler.onResponseEnd?.(this, {});
  }

  #fail(error: Error, controller: Dispatcher.DispatchController): void {
    this.#done = true;
    this.#clear();
    this.#onDone();
    try {
      this.#handler.onResponseError?.(controller, error);
    } catch {
      // Nothing is left to tell: the exchange is over.
    }
  }

  #clear(): void {
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
  }
}
