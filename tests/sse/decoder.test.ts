import t from 'tap';
import { SseDecoder } from '../../src/sse/decoder.js';
import type { SseEvent } from '../../src/providers/adapter.js';
import { providerError } from '../../src/errors/category.js';

function decodeAll(chunks: readonly Uint8Array[]): SseEvent[] {
  const events: SseEvent[] = [];
  const decoder = new SseDecoder((event) => void events.push(event));
  for (const chunk of chunks) t.equal(decoder.feed(chunk), undefined);
  t.equal(decoder.end(), undefined);
  return events;
}

const BODY = Buffer.from(': hi\r\nevent: delta\r\nid: 7\r\ndata: {"t":"ü€🌍"}\r\n\r\ndata: a\ndata: b\n\ndata: last\rdata: line\r\r');

t.test('every chunking of the same bytes decodes to the same events', async (t) => {
  const whole = decodeAll([BODY]);
  t.same(whole, [
    { event: 'delta', data: '{"t":"ü€🌍"}', id: '7' },
    { event: undefined, data: 'a\nb', id: undefined },
    { event: undefined, data: 'last\nline', id: undefined },
  ]);
  const byByte = decodeAll([...BODY].map((byte) => Uint8Array.of(byte)));
  t.same(byByte, whole, 'one byte at a time, splitting characters and CRLF pairs');
  for (let cut = 1; cut < BODY.length; cut++) {
    const split = decodeAll([BODY.subarray(0, cut), BODY.subarray(cut)]);
    if (JSON.stringify(split) !== JSON.stringify(whole)) t.fail(`split at ${cut} differs`);
  }
});

t.test('end() keeps a last event with a complete line, drops a line cut mid-way', async (t) => {
  const complete: SseEvent[] = [];
  const lenient = new SseDecoder((event) => void complete.push(event));
  lenient.feed(Buffer.from('data: x\r\ndata: '));
  lenient.feed(Buffer.from([0xe2, 0x82, 0x0a]));
  t.equal(lenient.end(), undefined);
  t.same(complete.map((event) => event.data), ['x\n\uFFFD'], 'a broken character becomes U+FFFD, the event is kept');
  t.equal(lenient.events, 1);

  const cut: SseEvent[] = [];
  const strict = new SseDecoder((event) => void cut.push(event));
  strict.feed(Buffer.from('data: 1\n\ndata: {"half'));
  t.equal(strict.end(), undefined);
  t.same(cut.map((event) => event.data), ['1'], 'the cut line is not parsed as an event');
});

t.test('a handler error stops decoding and sticks', async (t) => {
  const failure = providerError('protocol', { message: 'bad' });
  let calls = 0;
  const decoder = new SseDecoder(() => {
    calls++;
    return failure;
  });
  t.equal(decoder.feed(Buffer.from('data: 1\n\ndata: 2\n\n')), failure);
  t.equal(calls, 1, 'nothing after the failing event');
  t.equal(decoder.feed(Buffer.from('data: 3\n\n')), failure);
  t.equal(decoder.end(), failure);
});

t.test('line and event caps', async (t) => {
  const limits = { maxLineLength: 10, maxEventLength: 25 };
  const line = new SseDecoder(() => undefined, limits);
  t.equal(line.feed(Buffer.from('data: 1234')), undefined, 'exactly at the cap');
  t.match(line.feed(Buffer.from('5'))?.message ?? '', /line longer than 10/);
  t.match(line.end()?.message ?? '', /line longer/, 'the failure sticks');

  const event = new SseDecoder(() => undefined, limits);
  t.equal(event.feed(Buffer.from('data: 12\ndata: 34\n')), undefined);
  t.match(event.feed(Buffer.from('data: 56\n'))?.message ?? '', /event longer than 25/);

  const flushing = new SseDecoder(() => undefined, limits);
  t.equal(flushing.feed(Buffer.from('data: 12\ndata: 34\n')), undefined);
  t.equal(flushing.feed(Buffer.from('\ndata: 5\n\n')), undefined, 'an event that ends resets the count');
  t.equal(flushing.feed(Buffer.from('data: 67\ndata: 89\n')), undefined);
});

t.test('a cap trips at the same byte whatever the chunking: earlier events still arrive', async (t) => {
  const body = Buffer.from('data: one\n\ndata: two\r\n\r\ndata: ' + 'x'.repeat(40) + '\n\ndata: never\n\n');
  const limits = { maxLineLength: 30, maxEventLength: 1000 };
  const run = (chunks: Buffer[]): string => {
    const seen: string[] = [];
    const decoder = new SseDecoder((event) => void seen.push(event.data), limits);
    let error: string | undefined;
    for (const chunk of chunks) error ??= decoder.feed(chunk)?.message;
    error ??= decoder.end()?.message;
    return JSON.stringify({ seen, error });
  };
  const whole = run([body]);
  t.same(JSON.parse(whole), { seen: ['one', 'two'], error: 'SSE line longer than 30 characters; the stream was stopped to bound memory' });
  for (let cut = 1; cut < body.length; cut++) {
    if (run([body.subarray(0, cut), body.subarray(cut)]) !== whole) t.fail(`split at ${cut} differs`);
  }
  t.equal(run([...body].map((byte) => Buffer.of(byte))), whole, 'byte by byte');
});

t.test('a leading BOM is stripped once, as the SSE spec says', async (t) => {
  const events: SseEvent[] = [];
  const decoder = new SseDecoder((event) => void events.push(event));
  decoder.feed(Buffer.from([0xef, 0xbb]));
  decoder.feed(Buffer.from([0xbf]));
  decoder.feed(Buffer.from('data: 1\n\n\uFEFFdata: 2\n\n'));
  decoder.end();
  t.same(events.map((event) => event.data), ['1'], 'a BOM later in the stream is text: that line is an unknown field');
});
