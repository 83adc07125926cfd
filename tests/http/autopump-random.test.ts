import t from 'tap';
import { Dispatcher } from 'undici';
import { providerError } from '../../src/errors/category.js';
import { HttpMulti } from '../../src/http/multi.js';
import type { RequestHandle } from '../../src/http/types.js';
import { mulberry32 } from '../../src/vcr/faults.js';
import { ioTurn } from '../helpers/harness.js';
import { ScriptedSink } from '../helpers/scripted-sink.js';

/**
 * An in-process server: each request plays a random exchange, one callback per
 * setImmediate, and stops while paused. Its resume() delivers the next chunk (and maybe
 * the end) synchronously, as undici's does with bytes already buffered.
 */
class RandomExchange implements Dispatcher.DispatchController {
  aborted = false;
  paused = false;
  reason: Error | null = null;
  readonly #handler: Dispatcher.DispatchHandler;
  readonly #steps: Array<() => void> = [];
  #next = 0;
  #scheduled = false;
  readonly #progress: () => void;

  constructor(handler: Dispatcher.DispatchHandler, random: () => number, progress: () => void) {
    this.#handler = handler;
    this.#progress = progress;
    const chunks = 1 + Math.floor(random() * 8);
    const status = random() < 0.05 ? 503 : 200;
    this.#steps.push(() => handler.onRequestStart?.(this, {}));
    this.#steps.push(() => handler.onResponseStart?.(this, status, {}, ''));
    for (let i = 0; i < chunks; i++) {
      const bytes = Buffer.alloc(1 + Math.floor(random() * 40), 97 + i);
      this.#steps.push(() => handler.onResponseData?.(this, bytes));
    }
    if (random() < 0.05) this.#steps.push(() => handler.onResponseError?.(this, Object.assign(new Error('reset'), { code: 'ECONNRESET' })));
    else this.#steps.push(() => handler.onResponseEnd?.(this, {}));
  }

  schedule(): void {
    if (this.#scheduled || this.paused || this.aborted || this.#next >= this.#steps.length) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#step();
      this.schedule();
    });
  }

  #step(): void {
    if (this.paused || this.aborted) return;
    const step = this.#steps[this.#next++];
    if (step === undefined) return;
    this.#progress();
    step();
  }

  abort(reason: Error): void {
    if (this.aborted || this.#next >= this.#steps.length) return;
    this.aborted = true;
    this.reason = reason;
    this.#handler.onResponseError?.(this, reason);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.#step();
    this.schedule();
  }
}

class RandomDispatcher extends Dispatcher {
  readonly #random: () => number;
  readonly #progress: () => void;

  constructor(random: () => number, progress: () => void) {
    super();
    this.#random = random;
    this.#progress = progress;
  }

  override dispatch(_options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    new RandomExchange(handler, this.#random, this.#progress).schedule();
    return true;
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }

  override destroy(): Promise<void> {
    return Promise.resolve();
  }
}

t.test('autoPump over 3,000 random in-process requests never stalls; each completes once', async (t) => {
  const random = mulberry32(20261201);
  let progress = 0;
  const dispatcher = new RandomDispatcher(random, () => progress++);
  const multi = new HttpMulti({ dispatcher, maxInFlight: 64, highWaterMark: 16, maxRetries: 1, retryPolicy: { baseDelayMs: 0, jitter: 0 }, onCallbackError: () => undefined });
  const stop = multi.autoPump();
  const total = 3_000;
  const sinks: ScriptedSink[] = [];
  const handles: RequestHandle[] = [];
  let completed = 0;
  const add = (): void => {
    const n = sinks.length;
    const kind = random();
    const sink = new ScriptedSink({
      onData: (_chunk, chunk) => {
        if (kind < 0.03 && chunk === 2) multi.cancel(handles[n] as RequestHandle);
        if (kind > 0.97 && chunk === 1) throw new Error('sink bug');
        if (kind > 0.94 && kind <= 0.97 && chunk === 3) return providerError('protocol', { message: 'bad' });
        return undefined;
      },
      describeHttpError: (status) => providerError('server', { message: `HTTP ${status}`, retryable: true }),
      complete: () => {
        completed++;
        progress++;
      },
      delivered: () => false,
    });
    const handle = multi.add({ method: 'POST', url: 'http://127.0.0.1:9/', headers: {} }, sink);
    if (!('id' in handle)) throw new Error(handle.message);
    sinks.push(sink);
    handles.push(handle);
  };
  let stalled = 0;
  let seen = -1;
  while (completed < total && stalled < 200) {
    // New requests and cancels from outside any pump, at random moments.
    if (sinks.length < total) for (let i = 0; i < 1 + Math.floor(random() * 20) && sinks.length < total; i++) add();
    if (random() < 0.2 && handles.length > 0) {
      const victim = handles[Math.floor(random() * handles.length)] as RequestHandle;
      if (multi.cancel(victim)) progress++;
    }
    await ioTurn();
    if (progress === seen) stalled++;
    else {
      stalled = 0;
      seen = progress;
    }
  }
  t.equal(stalled < 200, true, `no stall (completed ${completed} of ${total})`);
  t.equal(completed, total, 'every request completed');
  t.equal(sinks.filter((sink) => sink.outcomes.length !== 1).length, 0, 'exactly one completion each');
  t.equal(multi.running, 0);
  stop();
  await multi.close();
});
