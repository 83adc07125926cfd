/**
 * The cassette format: JSONL, one object per line, exchanges in order. Pure functions only.
 *
 *   {"_request":{"method":"POST","url":"...","headers":{...},"body":<JSON or string>}}
 *   {"_response":{"status":200,"headers":{...}},"t":312}
 *   {"_chunk":"data: ...\n\n","t":318}          one per body chunk as the socket delivered it
 *   {"_chunk_b64":"8J+Y","t":320}               a chunk that is not valid UTF-8 on its own
 *   {"_end":"ok","t":400}                       or "error" (+code, message) or "none" (never ended)
 *
 * `t` is milliseconds since the request was dispatched.
 */
import { Buffer, isUtf8 } from 'node:buffer';
import { err, ok, type Result } from 'neverthrow';
import { vcrError, type VcrError } from './errors.js';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A request body: parsed JSON (objects and arrays only), other text, or bytes that are not UTF-8. */
export type RequestBody =
  | { readonly kind: 'json'; readonly value: JsonValue }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bytes'; readonly bytes: Buffer };

export interface RecordedRequest {
  /** Upper case. */
  readonly method: string;
  /** Absolute URL, `key=` query values redacted in a saved cassette. */
  readonly url: string;
  /** Lower-case names, secrets redacted in a saved cassette. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: RequestBody;
}

export type ResponseHeaders = Readonly<Record<string, string | readonly string[]>>;

export interface RecordedResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly statusMessage?: string;
  /** When the status line and headers arrived. */
  readonly t: number;
}

export interface RecordedChunk {
  /** Exactly the bytes of one `onResponseData` call. */
  readonly bytes: Buffer;
  readonly t: number;
}

/**
 * How the exchange ended: `ok` (clean end), `error` (a network error; `started: false` when it
 * came before the request reached a socket, so undici never called onRequestStart), or `none`
 * (the server never ended it: the client aborted, or a stall fault). Replaying `none`
 * delivers nothing further, so the client's own timeout or cancel ends it.
 */
export type ExchangeEnd =
  | { readonly kind: 'ok'; readonly t: number }
  | {
      readonly kind: 'error';
      readonly t: number;
      readonly message: string;
      readonly code?: string;
      readonly name?: string;
      readonly started: boolean;
    }
  | { readonly kind: 'none'; readonly t: number; readonly message?: string };

export interface Exchange {
  readonly request: RecordedRequest;
  /** Absent when the exchange failed before any response. */
  readonly response?: RecordedResponse;
  readonly chunks: readonly RecordedChunk[];
  readonly end: ExchangeEnd;
}

export interface Cassette {
  readonly exchanges: readonly Exchange[];
}

// ---------------------------------------------------------------------------------------
// Serialization

function serializeBody(body: RequestBody): Record<string, JsonValue> {
  switch (body.kind) {
    case 'json':
      return { body: body.value };
    case 'text':
      return { body: body.text };
    case 'bytes':
      return { body_b64: body.bytes.toString('base64') };
  }
}

function serializeEnd(end: ExchangeEnd): Record<string, JsonValue> {
  switch (end.kind) {
    case 'ok':
      return { _end: 'ok', t: end.t };
    case 'error': {
      const line: Record<string, JsonValue> = { _end: 'error' };
      if (end.code !== undefined) line['code'] = end.code;
      if (end.name !== undefined) line['name'] = end.name;
      line['message'] = end.message;
      if (!end.started) line['started'] = false;
      line['t'] = end.t;
      return line;
    }
    case 'none':
      return end.message === undefined ? { _end: 'none', t: end.t } : { _end: 'none', message: end.message, t: end.t };
  }
}

/** One chunk line: text when the bytes are valid UTF-8 on their own, base64 otherwise. */
export function serializeChunk(chunk: RecordedChunk): string {
  if (isUtf8(chunk.bytes)) return JSON.stringify({ _chunk: chunk.bytes.toString('utf8'), t: chunk.t });
  return JSON.stringify({ _chunk_b64: chunk.bytes.toString('base64'), t: chunk.t });
}

/** The lines of one exchange, without newlines. */
export function serializeExchange(exchange: Exchange): string[] {
  const { request, response } = exchange;
  const req: Record<string, JsonValue> = { method: request.method, url: request.url, headers: request.headers };
  const lines = [JSON.stringify({ _request: request.body === undefined ? req : { ...req, ...serializeBody(request.body) } })];
  if (response !== undefined) {
    const res: Record<string, JsonValue> = { status: response.status, headers: response.headers };
    if (response.statusMessage !== undefined) res['statusMessage'] = response.statusMessage;
    lines.push(JSON.stringify({ _response: res, t: response.t }));
  }
  for (const chunk of exchange.chunks) lines.push(serializeChunk(chunk));
  lines.push(JSON.stringify(serializeEnd(exchange.end)));
  return lines;
}

/** The whole cassette as JSONL, ending with a newline (empty string for no exchanges). */
export function serializeCassette(cassette: Cassette): string {
  return cassette.exchanges.map((exchange) => serializeExchange(exchange).join('\n') + '\n').join('');
}

// ---------------------------------------------------------------------------------------
// Parsing

type JsonObject = { readonly [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/** Parses a request body text: objects and arrays become JSON, anything else stays text. */
export function bodyFromText(text: string): RequestBody {
  const value = parseJson(text);
  return typeof value === 'object' && value !== null ? { kind: 'json', value } : { kind: 'text', text };
}

/** Turns a body's bytes into a RequestBody: JSON, text, or bytes when not UTF-8. */
export function bodyFromBytes(bytes: Uint8Array): RequestBody {
  const buffer = Buffer.from(bytes);
  return isUtf8(buffer) ? bodyFromText(buffer.toString('utf8')) : { kind: 'bytes', bytes: buffer };
}

/** A time offset: a finite number >= 0, or 0 when absent (hand-written cassettes may omit it). */
function readTime(line: JsonObject): number | string {
  const t = line['t'];
  if (t === undefined) return 0;
  return typeof t === 'number' && Number.isFinite(t) && t >= 0 ? t : '"t" must be a number >= 0';
}

function readStringRecord(value: JsonValue | undefined, what: string): Record<string, string> | string {
  if (value === undefined) return {};
  if (!isObject(value)) return `${what} must be an object`;
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string') return `${what}.${name} must be a string`;
    out[name.toLowerCase()] = v;
  }
  return out;
}

function readResponseHeaders(value: JsonValue | undefined): ResponseHeaders | string {
  if (value === undefined) return {};
  if (!isObject(value)) return 'response headers must be an object';
  const out: Record<string, string | readonly string[]> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string') out[name.toLowerCase()] = v;
    else if (Array.isArray(v) && v.every((item) => typeof item === 'string')) out[name.toLowerCase()] = v as readonly string[];
    else return `response header ${name} must be a string or an array of strings`;
  }
  return out;
}

function readRequest(value: JsonValue | undefined): RecordedRequest | string {
  if (!isObject(value)) return '_request must be an object';
  const method = value['method'];
  const url = value['url'];
  if (typeof method !== 'string' || method === '') return '_request.method must be a string';
  if (typeof url !== 'string' || url === '') return '_request.url must be a string';
  const headers = readStringRecord(value['headers'], '_request.headers');
  if (typeof headers === 'string') return headers;
  const request = { method: method.toUpperCase(), url, headers };
  const body = value['body'];
  const b64 = value['body_b64'];
  if (b64 !== undefined) {
    if (typeof b64 !== 'string') return '_request.body_b64 must be a string';
    return { ...request, body: { kind: 'bytes', bytes: Buffer.from(b64, 'base64') } };
  }
  if (body === undefined || body === null) return request;
  if (typeof body === 'string') return { ...request, body: { kind: 'text', text: body } };
  if (typeof body === 'object') return { ...request, body: { kind: 'json', value: body } };
  return '_request.body must be JSON object/array or a string';
}

function readResponse(line: JsonObject): RecordedResponse | string {
  const value = line['_response'];
  if (!isObject(value)) return '_response must be an object';
  const status = value['status'];
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 999) {
    return '_response.status must be an HTTP status';
  }
  const headers = readResponseHeaders(value['headers']);
  if (typeof headers === 'string') return headers;
  const t = readTime(line);
  if (typeof t === 'string') return t;
  const statusMessage = value['statusMessage'];
  if (statusMessage !== undefined && typeof statusMessage !== 'string') return '_response.statusMessage must be a string';
  return statusMessage === undefined ? { status, headers, t } : { status, headers, statusMessage, t };
}

function readChunk(line: JsonObject): RecordedChunk | string {
  const t = readTime(line);
  if (typeof t === 'string') return t;
  const text = line['_chunk'];
  if (typeof text === 'string') return { bytes: Buffer.from(text, 'utf8'), t };
  const b64 = line['_chunk_b64'];
  if (typeof b64 === 'string') return { bytes: Buffer.from(b64, 'base64'), t };
  return '_chunk/_chunk_b64 must be a string';
}

function optionalString(line: JsonObject, key: string): string | undefined | false {
  const value = line[key];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : false;
}

function readEnd(line: JsonObject): ExchangeEnd | string {
  const t = readTime(line);
  if (typeof t === 'string') return t;
  const kind = line['_end'];
  if (kind === 'ok') return { kind: 'ok', t };
  const message = optionalString(line, 'message');
  if (message === false) return '"message" must be a string';
  if (kind === 'none') return message === undefined ? { kind: 'none', t } : { kind: 'none', t, message };
  if (kind !== 'error') return '_end must be "ok", "error" or "none"';
  const code = optionalString(line, 'code');
  const name = optionalString(line, 'name');
  if (code === false || name === false) return '"code" and "name" must be strings';
  const started = line['started'];
  if (started !== undefined && typeof started !== 'boolean') return '"started" must be a boolean';
  return {
    kind: 'error',
    t,
    message: message ?? code ?? 'network error',
    ...(code === undefined ? {} : { code }),
    ...(name === undefined ? {} : { name }),
    started: started ?? true,
  };
}

interface Pending {
  readonly line: number;
  readonly request: RecordedRequest;
  response?: RecordedResponse;
  readonly chunks: RecordedChunk[];
}

const LINE_KINDS = ['_request', '_response', '_chunk', '_chunk_b64', '_end'] as const;

/**
 * Parses a cassette. Errors name the file and the 1-based line: `file:12: _chunk before _response`.
 * Blank lines are ignored.
 */
export function parseCassette(text: string, file = '<cassette>'): Result<Cassette, VcrError> {
  const exchanges: Exchange[] = [];
  let pending: Pending | undefined;
  const lines = text.split(/\r?\n/);
  const fail = (line: number, what: string): Result<Cassette, VcrError> =>
    err(vcrError('parse', `${file}:${line}: ${what}`, { file, line }));

  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim();
    if (raw === '') continue;
    const lineNo = i + 1;
    const value = parseJson(raw);
    if (!isObject(value)) return fail(lineNo, value === undefined ? 'not valid JSON' : 'not a JSON object');
    const kind = LINE_KINDS.find((key) => key in value);
    if (kind === undefined) return fail(lineNo, `expected one of ${LINE_KINDS.join(', ')}`);

    if (kind === '_request') {
      if (pending !== undefined) return fail(lineNo, `_request before the _end of the exchange at line ${pending.line}`);
      const request = readRequest(value['_request']);
      if (typeof request === 'string') return fail(lineNo, request);
      pending = { line: lineNo, request, chunks: [] };
      continue;
    }
    if (pending === undefined) return fail(lineNo, `${kind} outside an exchange (no _request before it)`);
    if (kind === '_response') {
      if (pending.response !== undefined) return fail(lineNo, 'second _response in one exchange');
      const response = readResponse(value);
      if (typeof response === 'string') return fail(lineNo, response);
      pending.response = response;
    } else if (kind === '_end') {
      const end = readEnd(value);
      if (typeof end === 'string') return fail(lineNo, end);
      const { request, response, chunks } = pending;
      // Only a network error can come before the headers; a clean or open end needs a response.
      if (response === undefined && end.kind !== 'error') return fail(lineNo, `_end "${end.kind}" without a _response (only "error" may come before one)`);
      exchanges.push(response === undefined ? { request, chunks, end } : { request, response, chunks, end });
      pending = undefined;
    } else {
      if (pending.response === undefined) return fail(lineNo, `${kind} before _response`);
      const chunk = readChunk(value);
      if (typeof chunk === 'string') return fail(lineNo, chunk);
      pending.chunks.push(chunk);
    }
  }
  if (pending !== undefined) return fail(pending.line, 'exchange has no _end line');
  return ok({ exchanges });
}

/** All body bytes of an exchange, concatenated. */
export function bodyBytes(exchange: Exchange): Buffer {
  return Buffer.concat(exchange.chunks.map((chunk) => chunk.bytes));
}
