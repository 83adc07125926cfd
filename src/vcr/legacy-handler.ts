/**
 * undici's own request(), fetch() and stream() dispatch with old-style handlers (onConnect,
 * onHeaders, onData, onComplete, onError), and every undici Dispatcher must accept them. The
 * VCR dispatchers speak only the new controller-based callbacks, so they translate an old
 * handler into a new one here, at the door.
 */
import { Buffer } from 'node:buffer';
import type { Dispatcher } from 'undici';

type Headers = Record<string, string | string[] | undefined>;

/** The new-style callbacks: a handler with any of them is driven through them. */
const NEW_STYLE = ['onRequestStart', 'onResponseStart', 'onResponseData', 'onResponseEnd', 'onResponseError'] as const;

/** True for a handler that has only old-style callbacks. */
export function isLegacyHandler(handler: Dispatcher.DispatchHandler): boolean {
  return NEW_STYLE.every((name) => handler[name] === undefined);
}

/** The handler itself when it is new-style, else an adapter that drives its old-style callbacks. */
export function toControllerHandler(handler: Dispatcher.DispatchHandler): Dispatcher.DispatchHandler {
  return isLegacyHandler(handler) ? new LegacyHandler(handler) : handler;
}

/** Headers as old handlers expect them: name, value pairs of latin1 Buffers (a repeated header's values as an array). */
export function rawHeaderPairs(headers: Headers): Buffer[] {
  const raw: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const encoded = typeof value === 'string' ? Buffer.from(value, 'latin1') : value.map((item) => Buffer.from(item, 'latin1'));
    // undici hands a repeated header to old handlers as one entry holding an array of Buffers.
    raw.push(Buffer.from(name, 'latin1'), encoded as unknown as Buffer);
  }
  return raw;
}

function abortError(): Error {
  const error: Error & { code?: string } = new Error('Request aborted');
  error.name = 'RequestAbortedError';
  error.code = 'UND_ERR_ABORTED';
  return error;
}

class LegacyHandler implements Dispatcher.DispatchHandler {
  readonly #legacy: Dispatcher.DispatchHandler;

  constructor(legacy: Dispatcher.DispatchHandler) {
    this.#legacy = legacy;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    const abort = (reason?: Error): void => controller.abort(reason ?? abortError());
    // The typings omit the context argument, but undici passes it and request() keeps it.
    (this.#legacy.onConnect as ((abort: (reason?: Error) => void, context: unknown) => void) | undefined)?.call(this.#legacy, abort, context);
  }

  onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: Headers, statusMessage?: string): void {
    this.#legacy.onResponseStarted?.();
    // Returning false is how an old handler asks for backpressure.
    const more = this.#legacy.onHeaders?.(status, rawHeaderPairs(headers), () => controller.resume(), statusMessage ?? '');
    if (more === false) controller.pause();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#legacy.onData?.(chunk) === false) controller.pause();
  }

  onResponseEnd(_controller: Dispatcher.DispatchController, trailers: Headers): void {
    this.#legacy.onComplete?.(rawHeaderPairs(trailers) as unknown as string[]);
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.#legacy.onError?.(error);
  }
}
