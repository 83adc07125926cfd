import { err, ok, type Result } from 'neverthrow';
import { providerError, type ErrorCategory, type ProviderError } from '../errors/category.js';
import type { HttpMulti } from '../http/multi.js';
import type { RequestHandle } from '../http/types.js';
import { completeVia, withSignal, type ChatStream, type CompleteOptions, type StreamOptions } from './event-stream.js';
import { FallbackStream } from './fallback-stream.js';
import type { CompletionHandler, Provider, StreamEventHandler } from './provider.js';
import { acquirePump } from './pump-lease.js';
import type { ChatRequest, ChatResponse, StreamEvent } from './types.js';

/** One link of a chain: a provider, the model to ask it for, and request fields to override. */
export interface FallbackTarget {
  readonly provider: Provider;
  readonly model?: string;
  readonly request?: Partial<Omit<ChatRequest, 'messages'>>;
}

export interface FallbackOptions {
  /** The failures that move on to the next target (default: rate_limit, server, timeout, network). */
  readonly on?: readonly ErrorCategory[];
}

const DEFAULT_ON: readonly ErrorCategory[] = ['rate_limit', 'server', 'timeout', 'network'];

interface Running {
  target: number;
  handle: RequestHandle | undefined;
  /** An event reached the user: from here on this target's outcome is final. */
  delivered: boolean;
  cancelled: boolean;
  /** The error event of the current target, held back until we know whether we fall over. */
  swallowed: StreamEvent | undefined;
  /** The target's `start` event: it carries no content, so it waits for the first one that does. */
  start: StreamEvent | undefined;
}

/**
 * A provider (the same vtable) that tries its targets in order. It moves on when a target
 * fails with one of the named categories before any event reached the user (a target's
 * `start` event, which carries no content, is held back until its first content event), never after
 * (deltas already delivered cannot be taken back), and never for non-retryable errors
 * (billing, spend caps, bad requests): those fail the same way elsewhere or need a person.
 * The response's `servedBy` names the target that answered.
 */
export function createFallback(targets: readonly FallbackTarget[], options: FallbackOptions = {}): Result<Provider, ProviderError> {
  const first = targets[0];
  if (first === undefined) return err(providerError('invalid_arg', { message: 'createFallback needs at least one target.' }));
  return ok(new FallbackProvider(targets, options.on ?? DEFAULT_ON));
}

class FallbackProvider implements Provider {
  readonly name: string;
  readonly multi: HttpMulti;
  readonly #targets: readonly FallbackTarget[];
  readonly #on: ReadonlySet<ErrorCategory>;
  readonly #multis: HttpMulti[];
  readonly #running = new Map<number, Running>();
  #nextId = 1;

  constructor(targets: readonly FallbackTarget[], on: readonly ErrorCategory[]) {
    this.#targets = targets;
    this.#on = new Set(on);
    this.name = `fallback(${targets.map((target) => target.provider.name).join(',')})`;
    this.#multis = [...new Set(targets.map((target) => target.provider.multi))];
    this.multi = this.#multis[0] as HttpMulti;
  }

  startStream(request: ChatRequest, onEvent: StreamEventHandler, onComplete: CompletionHandler): Result<RequestHandle, ProviderError> {
    return this.#begin(request, onComplete, onEvent);
  }

  startRequest(request: ChatRequest, onComplete: CompletionHandler): Result<RequestHandle, ProviderError> {
    return this.#begin(request, onComplete, undefined);
  }

  complete(request: ChatRequest, options: CompleteOptions = {}): Promise<Result<ChatResponse, ProviderError>> {
    return completeVia((onComplete) => this.startRequest(withSignal(request, options.signal), onComplete), () => this.#pumpAll());
  }

  /**
   * Each target's own stream() in turn (see FallbackStream): events are held in the target's
   * transfer until the consumer pulls, never buffered here, so backpressure works as with one
   * provider.
   */
  stream(request: ChatRequest, options: StreamOptions = {}): ChatStream {
    return new FallbackStream({
      targets: this.#targets.length,
      on: this.#on,
      start: (index) => {
        const target = this.#targets[index] as FallbackTarget;
        return target.provider.stream(this.#asked(request, target), options);
      },
      movesOn: (error, index) => this.#movesOn(error, index),
      served: (result, index) => this.#served(result, index),
    });
  }

  get pendingCompletions(): number {
    return this.#multis.reduce((sum, multi) => sum + multi.pendingCompletions, 0);
  }

  autoPump(): () => void {
    const stops = this.#multis.map((multi) => multi.autoPump());
    return () => {
      for (const stop of stops) stop();
    };
  }

  #pumpAll(): () => void {
    const releases = this.#multis.map((multi) => acquirePump(multi));
    return () => {
      for (const release of releases) release();
    };
  }

  perform(): number {
    return this.#multis.reduce((sum, multi) => sum + multi.perform(), 0);
  }

  infoRead(): number {
    return this.#multis.reduce((sum, multi) => sum + multi.infoRead(), 0);
  }

  timeout(): number {
    const waits = this.#multis.map((multi) => multi.timeout()).filter((ms) => ms >= 0);
    return waits.length === 0 ? -1 : Math.min(...waits);
  }

  wait(ms: number): Promise<void> {
    if (this.#multis.length === 1) return this.multi.wait(ms);
    return Promise.race(this.#multis.map((multi) => multi.wait(ms)));
  }

  async run(): Promise<void> {
    for (;;) {
      this.perform();
      this.infoRead();
      if (this.#multis.every((multi) => multi.running === 0 && multi.pendingCompletions === 0)) return;
      await this.wait(this.timeout());
    }
  }

  cancel(handle: RequestHandle): boolean {
    const running = this.#running.get(handle.id);
    if (running === undefined || running.handle === undefined) return false;
    running.cancelled = true;
    return (this.#targets[running.target] as FallbackTarget).provider.cancel(running.handle);
  }

  cancelAll(): number {
    let count = 0;
    for (const id of [...this.#running.keys()]) if (this.cancel({ id })) count++;
    return count;
  }

  async cleanup(): Promise<void> {
    for (const target of this.#targets) await target.provider.cleanup();
  }

  #begin(request: ChatRequest, onComplete: CompletionHandler, onEvent: StreamEventHandler | undefined): Result<RequestHandle, ProviderError> {
    const id = this.#nextId++;
    const running: Running = { target: 0, handle: undefined, delivered: false, cancelled: false, swallowed: undefined, start: undefined };
    const failure = this.#from(0, running, id, request, onComplete, onEvent);
    if (failure !== undefined) return err(failure);
    this.#running.set(id, running);
    return ok({ id });
  }

  /** Starts target `index` or a later one; the error when none would start. */
  #from(index: number, running: Running, id: number, request: ChatRequest, onComplete: CompletionHandler, onEvent: StreamEventHandler | undefined): ProviderError | undefined {
    let last: ProviderError | undefined;
    for (let i = index; i < this.#targets.length; i++) {
      const target = this.#targets[i] as FallbackTarget;
      running.target = i;
      const asked = this.#asked(request, target);
      const complete: CompletionHandler = (result) => this.#completed(i, running, id, request, result, onComplete, onEvent);
      const started =
        onEvent === undefined
          ? target.provider.startRequest(asked, complete)
          : target.provider.startStream(asked, (event) => this.#event(i, running, event, onEvent), complete);
      if (started.isOk()) {
        running.handle = started.value;
        return undefined;
      }
      last = started.error;
      if (!this.#movesOn(started.error, i)) return started.error;
    }
    return last;
  }

  #event(index: number, running: Running, event: StreamEvent, onEvent: StreamEventHandler): void {
    // The error event of a failure we fall over from is ours, not the user's.
    if (!running.delivered && event.type === 'error' && this.#on.has(event.category) && index + 1 < this.#targets.length) {
      running.swallowed = event;
      return;
    }
    if (!running.delivered && event.type === 'start') {
      running.start = event;
      return;
    }
    running.delivered = true;
    const start = running.start;
    running.start = undefined;
    if (start !== undefined) onEvent(start);
    onEvent(event);
  }

  #completed(
    index: number,
    running: Running,
    id: number,
    request: ChatRequest,
    result: Result<ChatResponse, ProviderError>,
    onComplete: CompletionHandler,
    onEvent: StreamEventHandler | undefined,
  ): void {
    const swallowed = running.swallowed;
    const start = running.start;
    running.swallowed = undefined;
    running.start = undefined;
    if (result.isErr() && !running.delivered && !running.cancelled && this.#movesOn(result.error, index)) {
      const failure = this.#from(index + 1, running, id, request, onComplete, onEvent);
      if (failure === undefined) return;
      this.#running.delete(id);
      if (onEvent !== undefined && !running.delivered) onEvent({ type: 'error', category: failure.category, message: failure.message });
      return onComplete(err(failure));
    }
    this.#running.delete(id);
    if (result.isErr()) {
      // We held its error event back, but this failure is final: the user must see it.
      if (onEvent !== undefined && !running.delivered) {
        if (start !== undefined) onEvent(start);
        if (swallowed !== undefined) onEvent(swallowed);
      }
      return onComplete(result);
    }
    onComplete(this.#served(result, index));
  }

  #asked(request: ChatRequest, target: FallbackTarget): ChatRequest {
    return { ...request, ...target.request, ...(target.model === undefined ? {} : { model: target.model }) };
  }

  #served(result: Result<ChatResponse, ProviderError>, index: number): Result<ChatResponse, ProviderError> {
    if (result.isErr()) return result;
    const target = this.#targets[index] as FallbackTarget;
    return ok({ ...result.value, servedBy: { index, provider: target.provider.name, model: result.value.model } });
  }

  #movesOn(error: ProviderError, index: number): boolean {
    return index + 1 < this.#targets.length && error.retryable && this.#on.has(error.category);
  }
}
