/**
 * A Dispatcher that wraps a real one and records every exchange: each callback, controller
 * and byte passes through unchanged, and the recorder keeps a redacted copy with chunk
 * times from the injected clock.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { err, ok, type Result } from 'neverthrow';
import { Agent, type Dispatcher } from 'undici';
import { RealClock, type Clock } from '../http/clock.js';
import { errorCode } from '../http/failure-messages.js';
import { PromiseDispatcher } from './promise-dispatcher.js';
import { bodyBytes, serializeCassette, type Cassette, type Exchange, type ExchangeEnd, type RecordedChunk, type RecordedRequest, type RecordedResponse } from './cassette.js';
import { vcrError, type VcrError } from './errors.js';
import { toControllerHandler } from './legacy-handler.js';
import { describeFinding, findSecrets, redactHeaders, redactUrl } from './redact.js';
import { requestFromDispatch } from './request.js';

export interface RecordingOptions {
  /** The real dispatcher. Default: a new undici Agent. close() and destroy() pass through to it. */
  readonly dispatcher?: Dispatcher;
  /** Chunk times come from it. Default: a RealClock. */
  readonly clock?: Clock;
  /** Names the cassette in messages (its path). */
  readonly name?: string;
}

interface Slot {
  readonly request: RecordedRequest;
  response?: RecordedResponse;
  readonly chunks: RecordedChunk[];
  end?: ExchangeEnd;
}

/** Records one dispatch, forwarding everything to the caller's handler untouched. */
class RecordingHandler implements Dispatcher.DispatchHandler {
  readonly #handler: Dispatcher.DispatchHandler;
  readonly #slot: Slot;
  readonly #clock: Clock;
  readonly #startedAt: number;
  #started = false;

  constructor(handler: Dispatcher.DispatchHandler, slot: Slot, clock: Clock) {
    this.#handler = handler;
    this.#slot = slot;
    this.#clock = clock;
    this.#startedAt = clock.now();
  }

  #t(): number {
    return Math.max(0, Math.round(this.#clock.now() - this.#startedAt));
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#started = true;
    this.#handler.onRequestStart?.(controller, context);
  }

  onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[] | undefined>, statusMessage?: string): void {
    const kept: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) kept[name.toLowerCase()] = value;
    const response = { status, headers: redactHeaders(kept), t: this.#t() };
    this.#slot.response = statusMessage === undefined || statusMessage === '' ? response : { ...response, statusMessage };
    this.#handler.onResponseStart?.(controller, status, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#slot.chunks.push({ bytes: Buffer.from(chunk), t: this.#t() });
    this.#handler.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: Record<string, string | string[] | undefined>): void {
    this.#slot.end = { kind: 'ok', t: this.#t() };
    this.#handler.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController | undefined, error: Error): void {
    const t = this.#t();
    // controller.aborted is set only by abort(): the client gave up, the server never ended it.
    if (controller?.aborted === true) this.#slot.end = { kind: 'none', t, message: `client aborted: ${error.message}` };
    else {
      const code = errorCode(error);
      this.#slot.end = {
        kind: 'error',
        t,
        message: error.message,
        ...(code === undefined ? {} : { code }),
        ...(error.name === 'Error' ? {} : { name: error.name }),
        started: this.#started,
      };
    }
    this.#handler.onResponseError?.(controller as Dispatcher.DispatchController, error);
  }
}

export class RecordingDispatcher extends PromiseDispatcher {
  readonly #inner: Dispatcher;
  readonly #clock: Clock;
  readonly #name: string;
  readonly #slots: Slot[] = [];

  constructor(options: RecordingOptions = {}) {
    super();
    this.#inner = options.dispatcher ?? new Agent();
    this.#clock = options.clock ?? new RealClock();
    this.#name = options.name ?? 'cassette';
  }

  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const raw = requestFromDispatch(opts);
    const request = { ...raw, url: redactUrl(raw.url), headers: redactHeaders(raw.headers) as Record<string, string> };
    const slot: Slot = { request, chunks: [] };
    this.#slots.push(slot);
    // An old-style handler (undici's request()/fetch()) is adapted so RecordingHandler sees one kind.
    return this.#inner.dispatch(opts, new RecordingHandler(toControllerHandler(handler), slot, this.#clock));
  }

  /** Exchanges dispatched and not yet ended. */
  get inFlight(): number {
    return this.#slots.filter((slot) => slot.end === undefined).length;
  }

  /** The finished exchanges so far, in dispatch order, redacted. */
  exchanges(): Exchange[] {
    const done: Exchange[] = [];
    for (const { request, response, chunks, end } of this.#slots) {
      if (end === undefined) continue;
      done.push(response === undefined ? { request, chunks, end } : { request, response, chunks, end });
    }
    return done;
  }

  /** Everything recorded; an error while any exchange is still in flight. */
  cassette(): Result<Cassette, VcrError> {
    const inFlight = this.inFlight;
    if (inFlight > 0) {
      return err(vcrError('in_flight', `${this.#name}: ${inFlight} exchange(s) still in flight; finish or cancel them before saving`, { file: this.#name }));
    }
    return ok({ exchanges: this.exchanges() });
  }

  /** The cassette as JSONL; refuses (naming where, never the secret) when something secret-shaped remains. */
  toJSONL(): Result<string, VcrError> {
    return this.cassette().andThen((cassette) => serializeWithoutSecrets(cassette, this.#name));
  }

  /** Writes the cassette (atomically, creating directories). */
  async save(path: string): Promise<Result<void, VcrError>> {
    const text = this.toJSONL();
    if (text.isErr()) return err(text.error);
    return writeTextFile(path, text.value);
  }

  protected override closed(): Promise<void> {
    return this.#inner.close();
  }

  protected override destroyed(error: Error | null): Promise<void> {
    return this.#inner.destroy(error);
  }
}

/**
 * The cassette as JSONL, or a `secret` error naming where something secret-shaped is (line and
 * column; or the exchange whose body holds one split across chunks or in a base64 chunk).
 */
export function serializeWithoutSecrets(cassette: Cassette, name: string): Result<string, VcrError> {
  const text = serializeCassette(cassette);
  const findings = findSecrets(text);
  const places = findings.map(describeFinding);
  const line = findings[0]?.line;
  if (places.length === 0) {
    cassette.exchanges.forEach((exchange, i) => {
      for (const [where, body] of encodedBodies(exchange)) {
        for (const finding of findSecrets(body)) places.push(`exchange #${i + 1} ${where}, ${describeFinding(finding)}`);
      }
    });
  }
  if (places.length === 0) return ok(text);
  const more = places.length > 3 ? ` and ${places.length - 3} more` : '';
  const message = `refusing to save ${name}: it still holds something shaped like a secret at ${places.slice(0, 3).join('; ')}${more}`;
  return err(vcrError('secret', message, { file: name, ...(line === undefined ? {} : { line }) }));
}

/**
 * Bodies the JSONL text hides from a scan: a response body split across chunks or stored as
 * base64, and a request body stored as base64. UTF-8 decoding keeps every ASCII byte (all a
 * key is made of), even among bytes that are not valid UTF-8.
 */
function encodedBodies(exchange: Exchange): Array<readonly [string, string]> {
  const bodies: Array<readonly [string, string]> = [['response body', bodyBytes(exchange).toString('utf8')]];
  const request = exchange.request.body;
  if (request?.kind === 'bytes') bodies.push(['request body', request.bytes.toString('utf8')]);
  return bodies;
}

/** Writes a file atomically (temp file + rename), creating its directory. */
export async function writeTextFile(path: string, text: string): Promise<Result<void, VcrError>> {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, text, 'utf8');
    await rename(temp, path);
    return ok(undefined);
  } catch (cause) {
    await rm(temp, { force: true }).catch(() => undefined);
    return err(vcrError('io', `could not write ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { file: path, cause }));
  }
}
