import { Dispatcher } from 'undici';

/**
 * One dispatched request whose every undici callback the test makes by hand, and the
 * controller the engine pauses, resumes and aborts. `onResume` runs inside resume(), as
 * undici's own resume() may deliver buffered bytes (and the end) synchronously.
 */
export class ManualExchange implements Dispatcher.DispatchController {
  readonly options: Dispatcher.DispatchOptions;
  readonly handler: Dispatcher.DispatchHandler;
  aborted = false;
  paused = false;
  reason: Error | null = null;
  pauses = 0;
  onResume: ((exchange: ManualExchange) => void) | undefined;

  constructor(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
    this.options = options;
    this.handler = handler;
  }

  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.handler.onResponseError?.(this, reason);
  }

  pause(): void {
    this.paused = true;
    this.pauses++;
  }

  resume(): void {
    this.paused = false;
    this.onResume?.(this);
  }

  start(): this {
    this.handler.onRequestStart?.(this, {});
    return this;
  }

  respond(status = 200, headers: Record<string, string> = { 'content-type': 'text/event-stream' }): this {
    this.handler.onResponseStart?.(this, status, headers, '');
    return this;
  }

  data(text: string | Buffer): this {
    this.handler.onResponseData?.(this, typeof text === 'string' ? Buffer.from(text) : text);
    return this;
  }

  end(): this {
    this.handler.onResponseEnd?.(this, {});
    return this;
  }

  fail(error: Error): this {
    this.handler.onResponseError?.(this, error);
    return this;
  }
}

/** A dispatcher that only records requests: each becomes a ManualExchange the test drives. */
export class ManualDispatcher extends Dispatcher {
  readonly exchanges: ManualExchange[] = [];

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.exchanges.push(new ManualExchange(options, handler));
    return true;
  }

  /** The n-th dispatched exchange (0-based); throws in the test when there is none. */
  at(n: number): ManualExchange {
    const exchange = this.exchanges[n];
    if (exchange === undefined) throw new Error(`only ${this.exchanges.length} exchanges were dispatched`);
    return exchange;
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }

  override destroy(): Promise<void> {
    return Promise.resolve();
  }
}
