/** Reading undici dispatch options into the cassette's request shape (both recorder and replay). */
import type { Dispatcher } from 'undici';
import { bodyFromBytes, bodyFromText, type RecordedRequest, type RequestBody } from './cassette.js';

/** The absolute URL a dispatch goes to: origin + path (+ `query`, when given as an option). */
export function requestUrl(opts: Dispatcher.DispatchOptions): string {
  const origin = opts.origin === undefined ? '' : String(opts.origin).replace(/\/$/, '');
  let url = origin + opts.path;
  const query: Readonly<Record<string, unknown>> | undefined = opts.query;
  if (query !== undefined && query !== null) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      for (const item of Array.isArray(value) ? value : [value]) params.append(name, String(item));
    }
    const text = params.toString();
    if (text !== '') url += (url.includes('?') ? '&' : '?') + text;
  }
  return url;
}

type HeaderValue = string | readonly string[] | undefined;

function add(out: Record<string, string>, name: string, value: HeaderValue): void {
  if (value === undefined) return;
  const text = typeof value === 'string' ? value : value.join(', ');
  const key = name.toLowerCase();
  const prior = out[key];
  out[key] = prior === undefined ? text : `${prior}, ${text}`;
}

/** Any undici header form (record, flat array, iterable of pairs) as lower-case name -> value. */
export function requestHeaders(headers: Dispatcher.DispatchOptions['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined || headers === null) return out;
  if (Array.isArray(headers)) {
    const flat: readonly string[] = headers;
    for (let i = 0; i + 1 < flat.length; i += 2) add(out, flat[i] ?? '', flat[i + 1]);
  } else if (Symbol.iterator in headers) {
    for (const [name, value] of headers as Iterable<[string, HeaderValue]>) add(out, name, value);
  } else {
    for (const [name, value] of Object.entries(headers as Readonly<Record<string, HeaderValue>>)) add(out, name, value);
  }
  return out;
}

/** The request body as the cassette keeps it; streams and forms cannot be read without consuming them. */
export function requestBody(body: Dispatcher.DispatchOptions['body']): RequestBody | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return bodyFromText(body);
  if (body instanceof Uint8Array) return bodyFromBytes(body);
  return { kind: 'text', text: '[unrecordable body: stream or form]' };
}

/** The request of a dispatch, unredacted. */
export function requestFromDispatch(opts: Dispatcher.DispatchOptions): RecordedRequest {
  const body = requestBody(opts.body);
  const request = { method: String(opts.method).toUpperCase(), url: requestUrl(opts), headers: requestHeaders(opts.headers) };
  return body === undefined ? request : { ...request, body };
}
