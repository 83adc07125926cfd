/**
 * Fault injection: pure transforms Exchange -> Exchange applied at replay, so any recording
 * becomes a truncated, stalled, reset or oddly chunked one. Bytes, never strings: a split
 * may land inside a multi-byte UTF-8 character or between \r and \n, as a real socket's can.
 * Exchanges without a response (an error before the headers) come back unchanged.
 */
import { Buffer } from 'node:buffer';
import { err, ok, type Result } from 'neverthrow';
import { bodyBytes, type Exchange, type RecordedChunk } from './cassette.js';
import { vcrError, type VcrError } from './errors.js';

export type Fault =
  /** The body ends cleanly after `byte` bytes. */
  | { readonly kind: 'cut_at_byte'; readonly byte: number }
  /** The body ends cleanly after SSE event `event` (0 = before the first). */
  | { readonly kind: 'cut_after_event'; readonly event: number }
  /** After event `event` nothing more arrives and the stream never ends: an idle timeout must fire. */
  | { readonly kind: 'stall_after_event'; readonly event: number }
  /** After event `event` the connection is reset (ECONNRESET unless `code` says otherwise). */
  | { readonly kind: 'reset_after_event'; readonly event: number; readonly code?: string; readonly message?: string }
  /** After event `event` the raw SSE text `sse` arrives, then a clean end (or the rest, with `keepRest`). */
  | { readonly kind: 'inject_after_event'; readonly event: number; readonly sse: string; readonly keepRest?: boolean }
  /** Every byte its own chunk. */
  | { readonly kind: 'rechunk_bytes' }
  /** The whole body as one chunk. */
  | { readonly kind: 'rechunk_single' }
  /** Random chunk sizes from 1 to `maxChunk` (default 24) bytes, reproducible by `seed`. */
  | { readonly kind: 'rechunk_random'; readonly seed: number; readonly maxChunk?: number };

// ---------------------------------------------------------------------------------------
// Helpers

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CR = 0x0d;
const LF = 0x0a;

const DATA = [0x64, 0x61, 0x74, 0x61]; // "data"
const COLON = 0x3a;

/** True for a `data` field line: `data`, or `data:` and a value. */
function isDataLine(body: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length < DATA.length || (length > DATA.length && body[start + DATA.length] !== COLON)) return false;
  return DATA.every((byte, i) => body[start + i] === byte);
}

/**
 * The byte offsets just past the end of each SSE event a parser delivers: a blank line (two
 * line terminators in a row, each of \r\n, \n or \r) ending a block with at least one `data`
 * field. Blocks of comments (`: keepalive`) or only `id:` / `retry:` lines deliver no event,
 * so they are not counted: `cut-after:K` means after the K-th event the client sees.
 */
export function sseEventEnds(body: Uint8Array): number[] {
  const ends: number[] = [];
  let lineStart = 0;
  let hasData = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (byte !== CR && byte !== LF) continue;
    const lineEnd = i;
    if (byte === CR && body[i + 1] === LF) i++;
    if (lineEnd > lineStart) hasData ||= isDataLine(body, lineStart, lineEnd);
    else {
      if (hasData) ends.push(i + 1);
      hasData = false;
    }
    lineStart = i + 1;
  }
  return ends;
}

/** The chunks holding the first `n` body bytes (a chunk straddling `n` is split) and the rest. */
function splitChunks(chunks: readonly RecordedChunk[], n: number): [RecordedChunk[], RecordedChunk[]] {
  const before: RecordedChunk[] = [];
  const after: RecordedChunk[] = [];
  let offset = 0;
  for (const chunk of chunks) {
    const end = offset + chunk.bytes.length;
    if (end <= n) before.push(chunk);
    else if (offset >= n) after.push(chunk);
    else {
      before.push({ bytes: chunk.bytes.subarray(0, n - offset), t: chunk.t });
      after.push({ bytes: chunk.bytes.subarray(n - offset), t: chunk.t });
    }
    offset = end;
  }
  return [before, after];
}

/** When the last kept byte arrived (the response time if none was kept). */
function lastTime(exchange: Exchange, kept: readonly RecordedChunk[]): number {
  return kept[kept.length - 1]?.t ?? exchange.response?.t ?? 0;
}

function offsetAfterEvent(exchange: Exchange, event: number): number {
  const body = bodyBytes(exchange);
  if (event <= 0) return 0;
  return sseEventEnds(body)[event - 1] ?? body.length;
}

/** Re-cuts the body at `ends` (ascending offsets); each new chunk takes the time of its last byte. */
function rechunk(exchange: Exchange, ends: readonly number[]): Exchange {
  const body = bodyBytes(exchange);
  const sourceEnds: number[] = [];
  let total = 0;
  for (const chunk of exchange.chunks) sourceEnds.push((total += chunk.bytes.length));
  const chunks: RecordedChunk[] = [];
  let start = 0;
  let source = 0;
  for (const end of ends) {
    while ((sourceEnds[source] ?? Infinity) < end) source++;
    chunks.push({ bytes: Buffer.from(body.subarray(start, end)), t: exchange.chunks[source]?.t ?? 0 });
    start = end;
  }
  return { ...exchange, chunks };
}

// ---------------------------------------------------------------------------------------
// The transforms

export function cutAtByte(exchange: Exchange, byte: number): Exchange {
  if (exchange.response === undefined) return exchange;
  const [kept] = splitChunks(exchange.chunks, Math.max(0, byte));
  return { ...exchange, chunks: kept, end: { kind: 'ok', t: lastTime(exchange, kept) } };
}

export function cutAfterEvent(exchange: Exchange, event: number): Exchange {
  return cutAtByte(exchange, offsetAfterEvent(exchange, event));
}

export function stallAfterEvent(exchange: Exchange, event: number): Exchange {
  if (exchange.response === undefined) return exchange;
  const [kept] = splitChunks(exchange.chunks, offsetAfterEvent(exchange, event));
  return { ...exchange, chunks: kept, end: { kind: 'none', t: lastTime(exchange, kept), message: `stalled after event ${event} (fault)` } };
}

export function resetAfterEvent(exchange: Exchange, event: number, code = 'ECONNRESET', message = `read ${code}`): Exchange {
  if (exchange.response === undefined) return exchange;
  const [kept] = splitChunks(exchange.chunks, offsetAfterEvent(exchange, event));
  return { ...exchange, chunks: kept, end: { kind: 'error', t: lastTime(exchange, kept), code, message, started: true } };
}

export function injectAfterEvent(exchange: Exchange, event: number, sse: string, keepRest = false): Exchange {
  if (exchange.response === undefined) return exchange;
  const [kept, rest] = splitChunks(exchange.chunks, offsetAfterEvent(exchange, event));
  const t = lastTime(exchange, kept);
  const injected = { bytes: Buffer.from(sse, 'utf8'), t };
  if (keepRest) return { ...exchange, chunks: [...kept, injected, ...rest] };
  return { ...exchange, chunks: [...kept, injected], end: { kind: 'ok', t } };
}

export function rechunkEveryByte(exchange: Exchange): Exchange {
  const length = bodyBytes(exchange).length;
  return rechunk(exchange, Array.from({ length }, (_, i) => i + 1));
}

export function rechunkSingle(exchange: Exchange): Exchange {
  const length = bodyBytes(exchange).length;
  return rechunk(exchange, length === 0 ? [] : [length]);
}

export function rechunkRandom(exchange: Exchange, seed: number, maxChunk = 24): Exchange {
  const length = bodyBytes(exchange).length;
  const random = mulberry32(seed);
  const max = Math.max(1, Math.floor(maxChunk));
  const ends: number[] = [];
  for (let end = 0; end < length; ) {
    end = Math.min(length, end + 1 + Math.floor(random() * max));
    ends.push(end);
  }
  return rechunk(exchange, ends);
}

/** Faults placed by SSE event: they only make sense on a stream, so a 429 or 500 body is left alone. */
const EVENT_FAULTS: ReadonlySet<Fault['kind']> = new Set(['cut_after_event', 'stall_after_event', 'reset_after_event', 'inject_after_event']);

function isSuccess(exchange: Exchange): boolean {
  const status = exchange.response?.status ?? 0;
  return status >= 200 && status < 300;
}

/**
 * One fault applied to one exchange. Event faults (cut-after, stall-after, reset-after,
 * inject-after) touch only 2xx responses, so a 429-then-200 cassette keeps its 429 and the
 * fault lands on the stream; byte and rechunk faults apply to every exchange.
 */
export function applyFault(exchange: Exchange, fault: Fault): Exchange {
  if (EVENT_FAULTS.has(fault.kind) && !isSuccess(exchange)) return exchange;
  switch (fault.kind) {
    case 'cut_at_byte':
      return cutAtByte(exchange, fault.byte);
    case 'cut_after_event':
      return cutAfterEvent(exchange, fault.event);
    case 'stall_after_event':
      return stallAfterEvent(exchange, fault.event);
    case 'reset_after_event':
      return resetAfterEvent(exchange, fault.event, fault.code, fault.message);
    case 'inject_after_event':
      return injectAfterEvent(exchange, fault.event, fault.sse, fault.keepRest);
    case 'rechunk_bytes':
      return rechunkEveryByte(exchange);
    case 'rechunk_single':
      return rechunkSingle(exchange);
    case 'rechunk_random':
      return rechunkRandom(exchange, fault.seed, fault.maxChunk);
  }
}

/** Applies faults left to right. */
export function applyFaults(exchange: Exchange, faults: readonly Fault[]): Exchange {
  return faults.reduce(applyFault, exchange);
}

/**
 * Reads a fault from a command-line spec: `cut-at-byte:N`, `cut-after:K`, `stall-after:K`,
 * `reset-after:K`, `inject-after:K:<raw SSE, \n escapes allowed>`, `rechunk:bytes`,
 * `rechunk:single`, `rechunk:random:SEED[:MAX]`.
 */
export function parseFault(spec: string): Result<Fault, VcrError> {
  const [name = '', first = '', ...rest] = spec.split(':');
  const bad = (): Result<Fault, VcrError> =>
    err(
      vcrError(
        'config',
        `bad fault "${spec}": expected cut-at-byte:N, cut-after:K, stall-after:K, reset-after:K, inject-after:K:SSE, rechunk:bytes|single|random:SEED[:MAX]`,
      ),
    );
  // Only inject-after and rechunk take more than one argument; anything else after it is a typo.
  const number = /^\d+$/.test(first) && (rest.length === 0 || name === 'inject-after') ? Number(first) : undefined;
  switch (name) {
    case 'cut-at-byte':
      return number === undefined ? bad() : ok({ kind: 'cut_at_byte', byte: number });
    case 'cut-after':
      return number === undefined ? bad() : ok({ kind: 'cut_after_event', event: number });
    case 'stall-after':
      return number === undefined ? bad() : ok({ kind: 'stall_after_event', event: number });
    case 'reset-after':
      return number === undefined ? bad() : ok({ kind: 'reset_after_event', event: number });
    case 'inject-after': {
      const sse = rest.join(':').replace(/\\r/g, '\r').replace(/\\n/g, '\n');
      return number === undefined || sse === '' ? bad() : ok({ kind: 'inject_after_event', event: number, sse });
    }
    case 'rechunk':
      return parseRechunk(first, rest, bad);
    default:
      return bad();
  }
}

function parseRechunk(how: string, rest: readonly string[], bad: () => Result<Fault, VcrError>): Result<Fault, VcrError> {
  if (how === 'bytes' && rest.length === 0) return ok({ kind: 'rechunk_bytes' });
  if (how === 'single' && rest.length === 0) return ok({ kind: 'rechunk_single' });
  const [seed = '', max, ...extra] = rest;
  if (how !== 'random' || !/^\d+$/.test(seed) || extra.length > 0 || (max !== undefined && !/^[1-9]\d*$/.test(max))) return bad();
  return ok(max === undefined ? { kind: 'rechunk_random', seed: Number(seed) } : { kind: 'rechunk_random', seed: Number(seed), maxChunk: Number(max) });
}
