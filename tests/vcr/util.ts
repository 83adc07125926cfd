/** Test helpers for the VCR suite: a logging handler and small exchange builders. */
import { Buffer } from 'node:buffer';
import type { Dispatcher } from 'undici';
import type { Clock } from '../../src/http/clock.js';
import type { Exchange, JsonValue, RecordedChunk } from '../../src/vcr/cassette.js';

export type Event =
  | { readonly kind: 'start'; readonly at: number; readonly hasController: boolean }
  | { readonly kind: 'response'; readonly at: number; readonly status: number; readonly headers: Record<string, string | string[] | undefined> }
  | { readonly kind: 'data'; readonly at: number; readonly bytes: Buffer }
  | { readonly kind: 'end'; readonly at: number; readonly trailers: Record<string, string | string[] | undefined> }
  | { readonly kind: 'error'; readonly at: number; readonly code: string | undefined; readonly message: string; readonly hasController: boolean };

export interface Run {
  readonly events: Event[];
  /** Resolves after onResponseEnd or onResponseError. */
  readonly done: Promise<void>;
  /** The controller, once onRequestStart ran. */
  controller(): Dispatcher.DispatchController | undefined;
  /** The value dispatch() returned. */
  readonly dispatched: boolean;
  /** Whether any callback ran inside dispatch(). */
  readonly syncCallbacks: number;
}

export interface RunHooks {
  onStart?(controller: Dispatcher.DispatchController): void;
  onResponse?(controller: Dispatcher.DispatchController): void;
  onData?(controller: Dispatcher.DispatchController, chunk: Buffer, index: number): void;
}

/** Dispatches and logs every callback with the clock's time. */
export function run(dispatcher: Dispatcher, opts: Dispatcher.DispatchOptions, clock?: Clock, hooks: RunHooks = {}): Run {
  const events: Event[] = [];
  const at = (): number => clock?.now() ?? 0;
  let controller: Dispatcher.DispatchController | undefined;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let inside = true;
  let syncCallbacks = 0;
  let dataIndex = 0;
  const note = (): void => {
    if (inside) syncCallbacks++;
  };
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(c) {
      note();
      controller = c;
      events.push({ kind: 'start', at: at(), hasController: c !== undefined });
      hooks.onStart?.(c);
    },
    onResponseStart(c, status, headers) {
      note();
      events.push({ kind: 'response', at: at(), status, headers });
      hooks.onResponse?.(c);
    },
    onResponseData(c, chunk) {
      note();
      events.push({ kind: 'data', at: at(), bytes: Buffer.from(chunk) });
      hooks.onData?.(c, chunk, dataIndex++);
    },
    onResponseEnd(_c, trailers) {
      note();
      events.push({ kind: 'end', at: at(), trailers });
      finish();
    },
    onResponseError(c, error) {
      note();
      const code = (error as Error & { code?: string }).code;
      events.push({ kind: 'error', at: at(), code, message: error.message, hasController: c !== undefined });
      finish();
    },
  };
  const dispatched = dispatcher.dispatch(opts, handler);
  inside = false;
  return {
    events,
    done,
    controller: () => controller,
    dispatched,
    get syncCallbacks() {
      return syncCallbacks;
    },
  };
}

/** The callback sequence without times or header values: ['start', 'response 200', 'data 5', 'end']. */
export function shape(events: readonly Event[]): string[] {
  return events.map((event) => {
    switch (event.kind) {
      case 'start':
        return 'start';
      case 'response':
        return `response ${event.status}`;
      case 'data':
        return `data ${event.bytes.toString('base64')}`;
      case 'end':
        return 'end';
      case 'error':
        return `error ${event.code ?? ''}`;
    }
  });
}

export function chunks(...parts: Array<[string | Uint8Array, number]>): RecordedChunk[] {
  return parts.map(([data, t]) => ({ bytes: Buffer.from(data), t }));
}

export const URL = 'https://api.openai.com/v1/chat/completions';

export function chatBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Hi' }], ...extra };
}

/** A streamed 200 exchange with the given chunks. */
export function sseExchange(parts: RecordedChunk[], body: Record<string, unknown> = chatBody(), endT?: number): Exchange {
  const last = parts[parts.length - 1]?.t ?? 10;
  return {
    request: { method: 'POST', url: URL, headers: { 'content-type': 'application/json' }, body: { kind: 'json', value: body as JsonValue } },
    response: { status: 200, headers: { 'content-type': 'text/event-stream' }, t: 10 },
    chunks: parts,
    end: { kind: 'ok', t: endT ?? last + 1 },
  };
}

export function dispatchOptions(body: Record<string, unknown> = chatBody(), url = URL): Dispatcher.DispatchOptions {
  const parsed = new globalThis.URL(url);
  return {
    origin: parsed.origin,
    path: parsed.pathname + parsed.search,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: JSON.stringify(body),
  };
}

/** Lets pending setImmediate callbacks run (several rounds). */
export async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
