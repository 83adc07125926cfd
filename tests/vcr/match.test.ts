import { Buffer } from 'node:buffer';
import t from 'tap';
import type { RecordedRequest } from '../../src/vcr/cassette.js';
import { compareRequests, findMatch } from '../../src/vcr/match.js';
import { requestFromDispatch, requestHeaders, requestUrl } from '../../src/vcr/request.js';
import { chatBody, chunks, sseExchange, URL } from './util.js';

const json = (value: Record<string, unknown>): RecordedRequest => ({
  method: 'POST',
  url: URL,
  headers: {},
  body: { kind: 'json', value: value as never },
});

t.test('requests match on method, URL and the JSON body structurally', async (t) => {
  t.same(compareRequests(json({ a: 1, b: [1, { c: 2 }] }), json({ b: [1, { c: 2 }], a: 1 })), [], 'key order does not matter');
  t.same(compareRequests(json({ model: 'gpt-4o' }), json({ model: 'gpt-4o-mini' })), ['body.model: recorded "gpt-4o", got "gpt-4o-mini"']);
  t.same(compareRequests(json({ messages: [{ role: 'user' }] }), json({ messages: [{ role: 'user' }, { role: 'assistant' }] })), [
    'body.messages[1]: recorded nothing, got {"role":"assistant"}',
  ]);
  t.same(compareRequests(json({ a: 'x'.repeat(100) }), json({ a: 'y' }))[0], `body.a: recorded "${'x'.repeat(56)}..., got "y"`, 'long values are cut');
  t.same(compareRequests(json({ a: 1 }), { ...json({ a: 1 }), method: 'PUT' }), ['method: recorded POST, got PUT']);
});

t.test('ignored body fields: names and paths, with everything under them', async (t) => {
  const recorded = json({ model: 'm', user: 'u1', stream_options: { include_usage: true }, metadata: { trace: 'a', keep: 1 } });
  const actual = json({ model: 'm', user: 'u2', metadata: { trace: 'b', keep: 1 } });
  t.equal(compareRequests(recorded, actual).length, 3);
  t.same(compareRequests(recorded, actual, { ignoreBodyFields: ['user', 'stream_options', 'metadata.trace'] }), []);
  t.same(compareRequests(json({ m: [{ a: 1 }] }), json({ m: [{ a: 2 }] }), { ignoreBodyFields: ['m'] }), [], 'arrays under a path');
  t.same(compareRequests(json({ m: [{ a: 1 }] }), json({ m: [{ a: 2 }] }), { ignoreBodyFields: ['m[0].a'] }), []);
  t.same(compareRequests(json({ users: 1 }), json({ users: 2 }), { ignoreBodyFields: ['user'] }).length, 1, 'a prefix is not a path');
});

t.test('URLs: origin and path, query values, key= ignored', async (t) => {
  const at = (url: string): RecordedRequest => ({ method: 'GET', url, headers: {} });
  t.same(compareRequests(at('https://g.test/v1/m?alt=sse&key=[REDACTED]'), at('https://g.test/v1/m?key=real123&alt=sse')), []);
  t.same(compareRequests(at('https://g.test/v1/a'), at('https://g.test/v1/b')), ['url: recorded https://g.test/v1/a, got https://g.test/v1/b']);
  t.same(compareRequests(at('https://g.test/a?x=1&x=2'), at('https://g.test/a?x=1')), ['query x: recorded "1,2", got "1"']);
  t.same(compareRequests(at('not a url'), at('not a url')), [], 'unparseable URLs compare as text');
  t.same(compareRequests(at('not a url?key=1'), at('other')), ['url: recorded not a url?key=[REDACTED], got other']);
});

t.test('bodies of other kinds', async (t) => {
  const base: RecordedRequest = { method: 'POST', url: URL, headers: {} };
  const text = (s: string): RecordedRequest => ({ ...base, body: { kind: 'text', text: s } });
  const bytes = (b: number[]): RecordedRequest => ({ ...base, body: { kind: 'bytes', bytes: Buffer.from(b) } });
  t.same(compareRequests(base, base), []);
  t.same(compareRequests(text('a'), text('a')), []);
  t.same(compareRequests(bytes([1]), bytes([1])), []);
  t.same(compareRequests(text('a'), text('b')), ['body: recorded a text body "a", got a text body "b"']);
  t.same(compareRequests(bytes([1]), bytes([2])), ['body: recorded a binary body of 1 bytes, got a binary body of 1 bytes']);
  t.same(compareRequests(base, json({})), ['body: recorded no body, got a JSON body']);
  t.same(compareRequests(json({}), base), ['body: recorded a JSON body, got no body']);
});

t.test('findMatch takes the first unused match, else names the nearest candidate and the differences', async (t) => {
  const exchanges = [
    sseExchange(chunks(['a', 1]), chatBody({ model: 'one' })),
    sseExchange(chunks(['b', 1]), chatBody({ model: 'two' })),
    sseExchange(chunks(['c', 1]), chatBody({ model: 'two' })),
  ];
  const request = (body: Record<string, unknown>): RecordedRequest => ({ ...exchanges[0]!.request, body: { kind: 'json', value: body as never } });
  t.same(findMatch(exchanges, new Set(), request(chatBody({ model: 'two' }))), { matched: true, index: 1 });
  t.same(findMatch(exchanges, new Set([1]), request(chatBody({ model: 'two' }))), { matched: true, index: 2 });

  const miss = findMatch(exchanges, new Set([0]), request(chatBody({ model: 'one', temperature: 0.5 })));
  t.same(miss, {
    matched: false,
    message: `no recorded exchange matches POST ${URL}; nearest is exchange #2 (POST ${URL}): body.model: recorded "two", got "one"; body.temperature: recorded nothing, got 0.5`,
  });

  const many = findMatch(exchanges, new Set(), request({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }));
  t.match(many, { matched: false, message: /and \d+ more differences$/ });

  const allUsed = findMatch(exchanges, new Set([0, 1, 2]), request(chatBody({ model: 'one' })));
  t.same(allUsed, {
    matched: false,
    message: `no recorded exchange matches POST ${URL}: all 3 were already played; exchange #1 matches but was already played`,
  });
  t.match(findMatch(exchanges, new Set([0, 1, 2]), request({ x: 1 })), { message: /all 3 were already played$/ });
  t.match(findMatch([], new Set(), request({})), { message: /the cassette is empty$/ });
  t.match(findMatch(exchanges, new Set(), { ...request({}), url: `${URL}?key=s3cr3tAbc` }), { message: /\?key=\[REDACTED\]/ });
});

t.test('dispatch options: origin, path, query, every header form, every body form', async (t) => {
  t.equal(requestUrl({ origin: 'https://h.test/', path: '/a?b=1', method: 'GET', query: { c: 2, d: ['x', 'y'] } }), 'https://h.test/a?b=1&c=2&d=x&d=y');
  t.equal(requestUrl({ origin: new globalThis.URL('https://h.test'), path: '/a', method: 'GET', query: { c: 'd' } }), 'https://h.test/a?c=d');
  t.equal(requestUrl({ path: '/a', method: 'GET', query: {} }), '/a');
  t.same(requestHeaders(['A', '1', 'b', '2', 'a', '3']), { a: '1, 3', b: '2' });
  t.same(requestHeaders(new Map([['X', ['1', '2']]])), { x: '1, 2' });
  t.same(requestHeaders({ X: 'y', z: undefined }), { x: 'y' });
  t.same(requestHeaders(null), {});
  t.same(requestFromDispatch({ origin: 'https://h.test', path: '/', method: 'get' }), { method: 'GET', url: 'https://h.test/', headers: {} });
  t.same(requestFromDispatch({ origin: 'https://h.test', path: '/', method: 'POST', body: Buffer.from('{"a":1}') }).body, { kind: 'json', value: { a: 1 } });
  t.same(requestFromDispatch({ origin: 'https://h.test', path: '/', method: 'POST', body: new Uint8Array([0xff]) }).body?.kind, 'bytes');
  const { Readable } = await import('node:stream');
  t.same(requestFromDispatch({ origin: 'https://h.test', path: '/', method: 'POST', body: Readable.from(['x']) }).body, {
    kind: 'text',
    text: '[unrecordable body: stream or form]',
  });
});
