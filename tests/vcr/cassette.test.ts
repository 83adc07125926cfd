import { Buffer } from 'node:buffer';
import t from 'tap';
import { bodyFromBytes, parseCassette, serializeCassette, serializeChunk, type Cassette, type Exchange } from '../../src/vcr/cassette.js';
import { chunks, sseExchange, URL } from './util.js';

const euro = Buffer.from('€', 'utf8'); // e2 82 ac

function roundTrip(cassette: Cassette): Cassette {
  const parsed = parseCassette(serializeCassette(cassette), 'x.jsonl');
  if (parsed.isErr()) throw new Error(parsed.error.message);
  return parsed.value;
}

t.test('a streamed exchange round-trips, text chunks stay readable', async (t) => {
  const exchange = sseExchange(chunks(['data: {"a":1}\n\n', 12], ['data: [DONE]\n\n', 30]));
  const text = serializeCassette({ exchanges: [exchange] });
  const lines = text.trimEnd().split('\n');
  t.equal(lines.length, 5);
  t.same(JSON.parse(lines[0] ?? ''), {
    _request: {
      method: 'POST',
      url: URL,
      headers: { 'content-type': 'application/json' },
      body: { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Hi' }] },
    },
  });
  t.same(JSON.parse(lines[1] ?? ''), { _response: { status: 200, headers: { 'content-type': 'text/event-stream' } }, t: 10 });
  t.same(JSON.parse(lines[2] ?? ''), { _chunk: 'data: {"a":1}\n\n', t: 12 });
  t.same(JSON.parse(lines[4] ?? ''), { _end: 'ok', t: 31 });
  t.same(roundTrip({ exchanges: [exchange] }), { exchanges: [exchange] });
});

t.test('a chunk that splits a multi-byte character is stored as base64 and round-trips exactly', async (t) => {
  const parts = chunks([Buffer.concat([Buffer.from('data: '), euro.subarray(0, 2)]), 1], [Buffer.concat([euro.subarray(2), Buffer.from('\r')]), 2], ['\n\r\n', 3]);
  const exchange = sseExchange(parts);
  const text = serializeCassette({ exchanges: [exchange] });
  t.match(text, /"_chunk_b64":"ZGF0YTog4oI="/);
  t.match(text, /"_chunk_b64":"rA0="/);
  t.match(text, /"_chunk":"\\n\\r\\n"/);
  const back = roundTrip({ exchanges: [exchange] });
  t.same(
    back.exchanges[0]?.chunks.map((chunk) => chunk.bytes.toString('hex')),
    parts.map((chunk) => chunk.bytes.toString('hex')),
  );
  t.equal(serializeChunk({ bytes: Buffer.from([0xef, 0xbb, 0xbf, 0x41]), t: 0 }), '{"_chunk":"\uFEFFA","t":0}', 'a BOM is kept');
});

t.test('every end kind, bodies and response fields round-trip', async (t) => {
  const exchanges: Exchange[] = [
    {
      request: { method: 'GET', url: 'https://x.test/a?key=[REDACTED]', headers: {} },
      chunks: [],
      end: { kind: 'error', t: 3, code: 'ECONNREFUSED', message: 'connect ECONNREFUSED', started: false },
    },
    {
      request: { method: 'POST', url: 'https://x.test/b', headers: { a: 'b' }, body: { kind: 'text', text: 'plain' } },
      response: { status: 429, headers: { 'set-cookie': ['a', 'b'], 'retry-after': '1' }, statusMessage: 'Too Many Requests', t: 5 },
      chunks: chunks(['{"error":{}}', 6]),
      end: { kind: 'error', t: 7, code: 'UND_ERR_SOCKET', name: 'SocketError', message: 'other side closed', started: true },
    },
    {
      request: { method: 'POST', url: 'https://x.test/c', headers: {}, body: { kind: 'bytes', bytes: Buffer.from([0xff, 0x00]) } },
      response: { status: 200, headers: {}, t: 1 },
      chunks: [],
      end: { kind: 'none', t: 9, message: 'client aborted' },
    },
    {
      request: { method: 'POST', url: 'https://x.test/d', headers: {}, body: { kind: 'json', value: [1, 2] } },
      response: { status: 200, headers: {}, t: 1 },
      chunks: [],
      end: { kind: 'none', t: 2 },
    },
    {
      request: { method: 'GET', url: 'https://x.test/e', headers: {} },
      chunks: [],
      end: { kind: 'error', t: 2, message: 'boom', started: true },
    },
  ];
  t.same(roundTrip({ exchanges }), { exchanges });
  t.equal(serializeCassette({ exchanges: [] }), '');
});

t.test('request bodies: JSON objects and arrays parse, other text stays text, non-UTF-8 stays bytes', async (t) => {
  t.same(bodyFromBytes(Buffer.from('{"a":1}')), { kind: 'json', value: { a: 1 } });
  t.same(bodyFromBytes(Buffer.from('"just a string"')), { kind: 'text', text: '"just a string"' });
  t.same(bodyFromBytes(Buffer.from('42')), { kind: 'text', text: '42' });
  t.same(bodyFromBytes(Buffer.from('not json')), { kind: 'text', text: 'not json' });
  t.equal(bodyFromBytes(Buffer.from([0xc3])).kind, 'bytes');
});

t.test('hand-written cassettes: blank lines, CRLF, missing t, upper-case header names', async (t) => {
  const text = [
    '{"_request":{"method":"post","url":"https://x.test/","headers":{"Content-Type":"application/json"},"body":null}}',
    '',
    '{"_response":{"status":200,"headers":{"Content-Type":"text/plain"}}}',
    '{"_chunk":"hi"}',
    '{"_end":"error","code":"ECONNRESET"}',
  ].join('\r\n');
  const parsed = parseCassette(text);
  t.ok(parsed.isOk());
  const exchange = parsed._unsafeUnwrap().exchanges[0];
  t.equal(exchange?.request.method, 'POST');
  t.same(exchange?.request.headers, { 'content-type': 'application/json' });
  t.equal(exchange?.request.body, undefined);
  t.same(exchange?.response?.headers, { 'content-type': 'text/plain' });
  t.same(exchange?.end, { kind: 'error', t: 0, message: 'ECONNRESET', code: 'ECONNRESET', started: true });
  const noCode = parseCassette('{"_request":{"method":"GET","url":"u"}}\n{"_end":"error"}')._unsafeUnwrap();
  t.same(noCode.exchanges[0]?.end, { kind: 'error', t: 0, message: 'network error', started: true });
});

t.test('parse errors name the file and the line', async (t) => {
  const req = '{"_request":{"method":"GET","url":"https://x.test/"}}';
  const res = '{"_response":{"status":200,"headers":{}},"t":1}';
  const cases: Array<[string, RegExp]> = [
    ['not json', /^f\.jsonl:1: not valid JSON$/],
    ['[1]', /^f\.jsonl:1: not a JSON object$/],
    ['{"x":1}', /^f\.jsonl:1: expected one of _request/],
    [`${req}\n${req}`, /^f\.jsonl:2: _request before the _end of the exchange at line 1$/],
    [res, /^f\.jsonl:1: _response outside an exchange/],
    [`${req}\n${res}\n${res}`, /^f\.jsonl:3: second _response/],
    [`${req}\n{"_chunk":"a","t":1}`, /^f\.jsonl:2: _chunk before _response/],
    [`${req}\n${res}`, /^f\.jsonl:1: exchange has no _end line$/],
    ['{"_request":1}', /_request must be an object/],
    ['{"_request":{"url":"u"}}', /_request\.method must be a string/],
    ['{"_request":{"method":"GET"}}', /_request\.url must be a string/],
    ['{"_request":{"method":"GET","url":"u","headers":[]}}', /_request\.headers must be an object/],
    ['{"_request":{"method":"GET","url":"u","headers":{"a":1}}}', /_request\.headers\.a must be a string/],
    ['{"_request":{"method":"GET","url":"u","body_b64":1}}', /body_b64 must be a string/],
    ['{"_request":{"method":"GET","url":"u","body":1}}', /_request\.body must be/],
    [`${req}\n{"_response":1}`, /_response must be an object/],
    [`${req}\n{"_response":{"status":42}}`, /status must be an HTTP status/],
    [`${req}\n{"_response":{"status":200,"headers":1}}`, /response headers must be an object/],
    [`${req}\n{"_response":{"status":200,"headers":{"a":[1]}}}`, /response header a must be/],
    [`${req}\n{"_response":{"status":200},"t":-1}`, /"t" must be a number >= 0/],
    [`${req}\n{"_response":{"status":200,"statusMessage":3}}`, /statusMessage must be a string/],
    [`${req}\n${res}\n{"_chunk":1}`, /_chunk\/_chunk_b64 must be a string/],
    [`${req}\n${res}\n{"_chunk":"a","t":"x"}`, /"t" must be a number/],
    [`${req}\n{"_end":"maybe"}`, /_end must be "ok", "error" or "none"/],
    [`${req}\n{"_end":"ok","t":null}`, /"t" must be a number/],
    [`${req}\n{"_end":"error","message":1}`, /"message" must be a string/],
    [`${req}\n{"_end":"error","code":1}`, /"code" and "name" must be strings/],
    [`${req}\n{"_end":"error","started":"no"}`, /"started" must be a boolean/],
    [`${req}\n{"_end":"ok","t":1}`, /^f\.jsonl:2: _end "ok" without a _response \(only "error" may come before one\)$/],
    [`\n${req}\n{"_end":"none"}`, /^f\.jsonl:3: _end "none" without a _response/],
  ];
  for (const [text, pattern] of cases) {
    const parsed = parseCassette(text, 'f.jsonl');
    t.ok(parsed.isErr(), text);
    if (parsed.isErr()) {
      t.match(parsed.error.message, pattern, text);
      t.equal(parsed.error.kind, 'parse');
      t.equal(parsed.error.file, 'f.jsonl');
    }
  }
  t.match(parseCassette('x')._unsafeUnwrapErr().message, /^<cassette>:1:/, 'a default name');
});
