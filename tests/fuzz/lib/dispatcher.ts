import type { Buffer } from 'node:buffer';
import { Dispatcher } from 'undici';
import { RealClock } from '../../../src/http/clock.js';
import type { Exchange } from '../../../src/vcr/cassette.js';
import { toControllerHandler } from '../../../src/vcr/legacy-handler.js';
import { Playback } from '../../../src/vcr/playback.js';
import { requestHeaders } from '../../../src/vcr/request.js';

export const CASE_HEADER = 'x-fuzz-case';

export interface Scripted {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly chunks: readonly Buffer[];
  readonly end: 'ok' | 'reset';
}

const REQUEST = { method: 'POST', url: 'http://fuzz.invalid/', headers: {} } as const;

/**
 * An in-process server: each request names its script in a header, and the VCR's Playback
 * delivers it as undici would (each callback its own macrotask; pause, resume, abort).
 */
export class ScriptDispatcher extends Dispatcher {
  readonly #scripts = new Map<string, Scripted>();
  readonly #active = new Set<Playback>();
  readonly #clock = new RealClock();
  unknown = 0;
  /** Body chunks handed to the engine so far: progress, for the host loop's stall check. */
  deliveries = 0;

  add(key: string, script: Scripted): void {
    this.#scripts.set(key, script);
  }

  override dispatch(opts: Dispatcher.DispatchOptions, given: Dispatcher.DispatchHandler): boolean {
    const handler = this.#counting(toControllerHandler(given));
    const key = requestHeaders(opts.headers)[CASE_HEADER] ?? '';
    const script = this.#scripts.get(key);
    if (script === undefined) this.unknown++;
    const playback = new Playback(handler, exchangeOf(script), this.#clock, 'instant', () => this.#active.delete(playback));
    this.#active.add(playback);
    playback.start();
    return true;
  }

  #counting(handler: Dispatcher.DispatchHandler): Dispatcher.DispatchHandler {
    return {
      onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
      onResponseStart: (controller, status, headers, message) => handler.onResponseStart?.(controller, status, headers, message),
      onResponseData: (controller, data) => {
        this.deliveries++;
        handler.onResponseData?.(controller, data);
      },
      onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
      onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
    };
  }

  get active(): number {
    return this.#active.size;
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }

  override destroy(): Promise<void> {
    for (const playback of [...this.#active]) playback.abort();
    return Promise.resolve();
  }
}

function exchangeOf(script: Scripted | undefined): Exchange {
  if (script === undefined) return { request: REQUEST, chunks: [], end: { kind: 'error', t: 0, message: 'no script', code: 'ECONNREFUSED', started: false } };
  return {
    request: REQUEST,
    response: { status: script.status, headers: script.headers, t: 0 },
    chunks: script.chunks.map((bytes) => ({ bytes, t: 0 })),
    end: script.end === 'ok' ? { kind: 'ok', t: 0 } : { kind: 'error', t: 0, message: 'socket hang up', code: 'ECONNRESET', name: 'SocketError', started: true },
  };
}
