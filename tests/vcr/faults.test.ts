import { Buffer } from 'node:buffer';
import t from 'tap';
import { bodyBytes, type Exchange } from '../../src/vcr/cassette.js';
import {
  applyFault,
  applyFaults,
  cutAfterEvent,
  cutAtByte,
  injectAfterEvent,
  mulberry32,
  parseFault,
  rechunkEveryByte,
  rechunkRandom,
  rechunkSingle,
  resetAfterEvent,
  sseEventEnds,
  stallAfterEvent,
  type Fault,
} from '../../src/vcr/faults.js';
import { chunks, sseExchange } from './util.js';

const E1 = 'data: {"t":"h€llo"}\r\n\r\n'; // CRLF events and a 3-byte character
const E2 = ': keep-alive\n\n';
const E3 = 'data: [DONE]\r\r';

/** Three events over four chunks, the second chunk boundary inside E2. */
function exchange(): Exchange {
  return sseExchange(chunks([E1, 10], [E2.slice(0, 5), 20], [E2.slice(5) + E3.slice(0, 3), 30], [E3.slice(3), 40]), undefined, 41);
}

const text = (ex: Exchange): string[] => ex.chunks.map((c) => c.bytes.toString('utf8'));
const len = (s: string): number => Buffer.byteLength(s);

t.test('event boundaries: \\n\\n, \\r\\n\\r\\n, \\r\\r, mixed, and blank lines before any content', async (t) => {
  t.same(sseEventEnds(Buffer.from(E1 + E2 + E3)), [len(E1), len(E1 + E2 + E3)], 'the keep-alive comment is no event');
  t.same(sseEventEnds(Buffer.from('\n\n\r\ndata: a\n\r\ndata: b\r\n\ndata: c')), [14, 24]);
  t.same(sseEventEnds(Buffer.from('data: a\ndata: b\n')), [], 'no blank line yet');
});

t.test('only blocks with a data field are events, as eventsource-parser delivers them', async (t) => {
  const blocks = [': keepalive\n\n', 'id: 7\n\n', 'retry: 1000\r\n\r\n', 'event: ping\n\n', 'data\n\n', ': c\nid: 8\ndata:x\n\n', 'database: no\n\n', 'data: last\n\n'];
  const body = blocks.join('');
  const ends = sseEventEnds(Buffer.from(body));
  const after = (i: number): number => len(blocks.slice(0, i + 1).join(''));
  t.same(ends, [after(4), after(5), after(7)], '"data" alone counts, comments, id, retry, event and "database:" do not');
  const withComments = sseExchange(chunks([': keepalive\n\n' + E1, 10], [': keepalive\n\n' + 'data: b\n\n', 20]));
  t.same(text(cutAfterEvent(withComments, 1)), [': keepalive\n\n' + E1], 'cut-after:1 keeps the first delivered event');
});

t.test('cut at byte N: the body ends cleanly there, splitting a chunk, inside a character if need be', async (t) => {
  const at = len('data: {"t":"h') + 1; // one byte into '€'
  const cut = cutAtByte(exchange(), at);
  t.same(cut.chunks.map((c) => [c.bytes.length, c.t]), [[at, 10]]);
  t.same(cut.end, { kind: 'ok', t: 10 });
  t.same(cutAtByte(exchange(), 0).chunks, []);
  t.same(cutAtByte(exchange(), 0).end, { kind: 'ok', t: 10 }, 'at the response time');
  t.same(cutAtByte(exchange(), -5).chunks, []);
  t.equal(bodyBytes(cutAtByte(exchange(), 10_000)).toString(), E1 + E2 + E3);
  t.same(cutAtByte(exchange(), len(E1) + 5).chunks.map((c) => c.t), [10, 20], 'at a chunk boundary');
});

t.test('cut, stall and reset after event K', async (t) => {
  const cut = cutAfterEvent(exchange(), 1);
  t.same(text(cut), [E1]);
  t.same(cut.end, { kind: 'ok', t: 10 });
  t.equal(bodyBytes(cutAfterEvent(exchange(), 2)).toString(), E1 + E2 + E3, 'the second event is E3: the keep-alive is none');
  t.same(text(cutAfterEvent(exchange(), 0)), []);
  t.equal(bodyBytes(cutAfterEvent(exchange(), 9)).toString(), E1 + E2 + E3, 'past the last event keeps everything');

  const stall = stallAfterEvent(exchange(), 1);
  t.same(text(stall), [E1]);
  t.same(stall.end, { kind: 'none', t: 10, message: 'stalled after event 1 (fault)' });

  const reset = resetAfterEvent(exchange(), 1);
  t.same(text(reset), [E1]);
  t.same(reset.end, { kind: 'error', t: 10, code: 'ECONNRESET', message: 'read ECONNRESET', started: true });
  t.match(resetAfterEvent(exchange(), 1, 'EPIPE').end, { code: 'EPIPE', message: 'read EPIPE' });
  t.match(resetAfterEvent(exchange(), 1, 'UND_ERR_SOCKET', 'other side closed').end, { message: 'other side closed' });
});

t.test('inject an in-band error event after event K', async (t) => {
  const error = 'event: error\ndata: {"error":{"message":"overloaded"}}\n\n';
  const injected = injectAfterEvent(exchange(), 1, error);
  t.same(text(injected), [E1, error]);
  t.same(injected.end, { kind: 'ok', t: 10 });
  const kept = injectAfterEvent(exchange(), 1, error, true);
  t.equal(bodyBytes(kept).toString(), E1 + error + E2 + E3);
  t.same(kept.end, exchange().end);
  t.same(text(injectAfterEvent(exchange(), 0, error)), [error]);
});

t.test('re-chunk: every byte, one chunk, seeded random; times follow the bytes', async (t) => {
  const body = Buffer.from(E1 + E2 + E3);
  const bytes = rechunkEveryByte(exchange());
  t.equal(bytes.chunks.length, body.length);
  t.ok(bytes.chunks.every((c) => c.bytes.length === 1));
  t.ok(bodyBytes(bytes).equals(body));
  t.equal(bytes.chunks[len(E1) - 1]?.t, 10);
  t.equal(bytes.chunks[len(E1)]?.t, 20);
  t.equal(bytes.chunks.at(-1)?.t, 40);

  const single = rechunkSingle(exchange());
  t.equal(single.chunks.length, 1);
  t.ok(single.chunks[0]?.bytes.equals(body));
  t.equal(single.chunks[0]?.t, 40, 'complete when its last byte arrived');
  t.same(rechunkSingle(cutAtByte(exchange(), 0)).chunks, []);

  const a = rechunkRandom(exchange(), 42);
  t.ok(bodyBytes(a).equals(body));
  t.same(text(a), text(rechunkRandom(exchange(), 42)), 'the same seed, the same splits');
  t.notSame(text(a), text(rechunkRandom(exchange(), 43)), 'another seed, other splits');
  t.ok(rechunkRandom(exchange(), 1, 3).chunks.every((c) => c.bytes.length >= 1 && c.bytes.length <= 3));
  t.ok(rechunkRandom(exchange(), 1, 0).chunks.every((c) => c.bytes.length === 1), 'maxChunk is at least 1');
  for (let i = 1; i < a.chunks.length; i++) t.ok((a.chunks[i]?.t ?? 0) >= (a.chunks[i - 1]?.t ?? 0), 'times never go back');
});

t.test('random splits land inside a multi-byte character and between \\r and \\n', async (t) => {
  const body = Buffer.from(E1 + E2 + E3);
  const euroAt = body.indexOf(Buffer.from('€'));
  const crlfAt = body.indexOf(Buffer.from('\r\n'));
  const splitsOf = (ex: Exchange): Set<number> => {
    const ends = new Set<number>();
    let offset = 0;
    for (const chunk of ex.chunks) ends.add((offset += chunk.bytes.length));
    return ends;
  };
  let insideChar: number | undefined;
  let insideCrlf: number | undefined;
  for (let seed = 0; seed < 200 && (insideChar === undefined || insideCrlf === undefined); seed++) {
    const ends = splitsOf(rechunkRandom(exchange(), seed, 8));
    if (insideChar === undefined && (ends.has(euroAt + 1) || ends.has(euroAt + 2))) insideChar = seed;
    if (insideCrlf === undefined && ends.has(crlfAt + 1)) insideCrlf = seed;
  }
  t.not(insideChar, undefined, `seed ${insideChar} splits the euro sign`);
  t.not(insideCrlf, undefined, `seed ${insideCrlf} splits a CRLF`);
  const split = rechunkRandom(exchange(), insideChar ?? 0, 8);
  t.ok(bodyBytes(split).equals(body), 'and the bytes survive');
});

t.test('mulberry32 is deterministic and in [0, 1)', async (t) => {
  const a = mulberry32(7);
  const b = mulberry32(7);
  const values = Array.from({ length: 100 }, () => a());
  t.same(values, Array.from({ length: 100 }, () => b()));
  t.ok(values.every((v) => v >= 0 && v < 1));
});

t.test('an exchange without a response is left alone', async (t) => {
  const failed: Exchange = { request: exchange().request, chunks: [], end: { kind: 'error', t: 1, message: 'refused', code: 'ECONNREFUSED', started: false } };
  for (const fault of [
    { kind: 'cut_at_byte', byte: 1 },
    { kind: 'cut_after_event', event: 1 },
    { kind: 'stall_after_event', event: 1 },
    { kind: 'reset_after_event', event: 1 },
    { kind: 'inject_after_event', event: 1, sse: 'x' },
    { kind: 'rechunk_bytes' },
    { kind: 'rechunk_single' },
    { kind: 'rechunk_random', seed: 1 },
  ] satisfies Fault[]) {
    t.same(applyFault(failed, fault), failed, fault.kind);
  }
});

t.test('applyFault and applyFaults dispatch every kind; faults compose left to right', async (t) => {
  const ex = exchange();
  const pairs: Array<[Fault, Exchange]> = [
    [{ kind: 'cut_at_byte', byte: 5 }, cutAtByte(ex, 5)],
    [{ kind: 'cut_after_event', event: 1 }, cutAfterEvent(ex, 1)],
    [{ kind: 'stall_after_event', event: 2 }, stallAfterEvent(ex, 2)],
    [{ kind: 'reset_after_event', event: 2, code: 'EPIPE' }, resetAfterEvent(ex, 2, 'EPIPE')],
    [{ kind: 'inject_after_event', event: 1, sse: 'data: x\n\n', keepRest: true }, injectAfterEvent(ex, 1, 'data: x\n\n', true)],
    [{ kind: 'rechunk_bytes' }, rechunkEveryByte(ex)],
    [{ kind: 'rechunk_single' }, rechunkSingle(ex)],
    [{ kind: 'rechunk_random', seed: 3, maxChunk: 4 }, rechunkRandom(ex, 3, 4)],
  ];
  for (const [fault, expected] of pairs) t.same(applyFault(ex, fault), expected, fault.kind);
  const both = applyFaults(ex, [{ kind: 'cut_after_event', event: 1 }, { kind: 'rechunk_bytes' }]);
  t.equal(both.chunks.length, len(E1));
  t.same(applyFaults(ex, []), ex);
});

t.test('fault specs for the command line', async (t) => {
  const good: Array<[string, Fault]> = [
    ['cut-at-byte:120', { kind: 'cut_at_byte', byte: 120 }],
    ['cut-after:3', { kind: 'cut_after_event', event: 3 }],
    ['stall-after:0', { kind: 'stall_after_event', event: 0 }],
    ['reset-after:2', { kind: 'reset_after_event', event: 2 }],
    ['inject-after:1:event: error\\ndata: {"a":1}\\r\\n\\n', { kind: 'inject_after_event', event: 1, sse: 'event: error\ndata: {"a":1}\r\n\n' }],
    ['rechunk:bytes', { kind: 'rechunk_bytes' }],
    ['rechunk:single', { kind: 'rechunk_single' }],
    ['rechunk:random:7', { kind: 'rechunk_random', seed: 7 }],
    ['rechunk:random:7:3', { kind: 'rechunk_random', seed: 7, maxChunk: 3 }],
  ];
  for (const [spec, fault] of good) t.same(parseFault(spec)._unsafeUnwrap(), fault, spec);
  for (const spec of ['', 'cut-at-byte', 'cut-at-byte:x', 'cut-at-byte:5:x', 'cut-after:1:2', 'stall-after:3:', 'reset-after:2:EPIPE', 'cut-after:-1', 'stall-after:', 'reset-after:a', 'inject-after:1', 'inject-after:x:data', 'rechunk', 'rechunk:bytes:1', 'rechunk:single:2', 'rechunk:random', 'rechunk:random:x', 'rechunk:random:1:0', 'rechunk:random:1:2:3', 'explode:1']) {
    const parsed = parseFault(spec);
    t.ok(parsed.isErr(), spec);
    t.match(parsed.isErr() ? parsed.error : {}, { kind: 'config', message: /^bad fault/ }, spec);
  }
});

t.test('event faults touch only 2xx exchanges; byte and rechunk faults touch every one', async (t) => {
  const limited: Exchange = { ...exchange(), response: { status: 429, headers: { 'content-type': 'application/json' }, t: 5 } };
  const redirected: Exchange = { ...exchange(), response: { status: 302, headers: {}, t: 5 } };
  const eventFaults: Fault[] = [
    { kind: 'cut_after_event', event: 0 },
    { kind: 'stall_after_event', event: 0 },
    { kind: 'reset_after_event', event: 1 },
    { kind: 'inject_after_event', event: 0, sse: 'data: x\n\n' },
  ];
  for (const fault of eventFaults) {
    t.same(applyFault(limited, fault), limited, `${fault.kind} leaves a 429 alone`);
    t.same(applyFault(redirected, fault), redirected, `${fault.kind} leaves a 302 alone`);
    t.notSame(applyFault(exchange(), fault), exchange(), `${fault.kind} still applies to the 200`);
  }
  t.same(applyFault(limited, { kind: 'cut_at_byte', byte: 3 }).chunks.map((c) => c.bytes.length), [3], 'cut-at-byte applies to the 429');
  t.equal(applyFault(limited, { kind: 'rechunk_bytes' }).chunks.length, len(E1 + E2 + E3), 'rechunk applies to the 429');
  // A 429-then-200 cassette under reset-after:1: the retry path sees the real 429, then the reset.
  const [first, second] = [limited, exchange()].map((ex) => applyFaults(ex, [{ kind: 'reset_after_event', event: 1 }]));
  t.same(first, limited);
  t.match(second?.end, { kind: 'error', code: 'ECONNRESET' });
});
