// The SSE decoder's other-line hook: lines that are no SSE field reach it (a raw JSON error
// object in a Gemini body), whatever the chunking, also as the body's last unterminated line;
// a decoder without the hook drops them as before.
import t from 'tap';
import { providerError } from '../../../src/errors/category.js';
import type { SseEvent } from '../../../src/providers/adapter.js';
import { SseDecoder } from '../../../src/sse/decoder.js';

const BODY = 'data: {"a":1}\r\n\r\n{"error":{"code":503}}\r\ndata: {"b":2}\n\n: comment\nevent: x\nid: 3\nretry: 10\nretry: soon\n';

function run(chunks: readonly string[], withHook: boolean): { events: string[]; other: string[] } {
  const events: string[] = [];
  const other: string[] = [];
  const decoder = new SseDecoder(
    (event: SseEvent) => void events.push(event.data),
    undefined,
    withHook ? (line) => void other.push(line) : undefined,
  );
  for (const chunk of chunks) t.equal(decoder.feed(Buffer.from(chunk)), undefined);
  t.equal(decoder.end(), undefined);
  return { events, other };
}

t.test('lines that are not SSE fields reach the hook, whatever the chunking', async (t) => {
  const whole = run([BODY], true);
  t.same(whole, { events: ['{"a":1}', '{"b":2}'], other: ['{"error":{"code":503}}'] }, 'comments, event, id and retry lines are fields');
  for (let cut = 1; cut < BODY.length; cut++) {
    const split = run([BODY.slice(0, cut), BODY.slice(cut)], true);
    if (JSON.stringify(split) !== JSON.stringify(whole)) t.fail(`split at ${cut} differs`);
  }
  t.same(run([...BODY], true), whole, 'one character at a time');
});

t.test('without a hook the decoder drops them, as the SSE rules say', async (t) => {
  t.same(run([BODY], false), { events: ['{"a":1}', '{"b":2}'], other: [] });
});

t.test('the last line without a line break still reaches the hook; a cut data line is still no event', async (t) => {
  t.same(run(['data: {"a":1}\n\n{"error":{"code":500}}'], true), { events: ['{"a":1}'], other: ['{"error":{"code":500}}'] });
  t.same(run(['data: {"a":1}\n\ndata: {"cut'], true), { events: ['{"a":1}'], other: [] });
  t.same(run(['data: {"a":1}\n\ndata: {"cut'], false), { events: ['{"a":1}'], other: [] });
});

t.test("the hook's error stops the decoder, as a handler's does", async (t) => {
  const failure = providerError('server', { message: 'raw error' });
  const events: string[] = [];
  let calls = 0;
  const decoder = new SseDecoder(
    (event) => void events.push(event.data),
    undefined,
    () => {
      calls++;
      return failure;
    },
  );
  t.equal(decoder.feed(Buffer.from('data: 1\n\n{"error":{}}\n{"more"}\ndata: 2\n\n')), failure);
  t.equal(decoder.feed(Buffer.from('data: 3\n\n')), failure);
  t.equal(decoder.end(), failure);
  t.same(events, ['1']);
  t.equal(calls, 1, 'nothing is decoded after the failure');
});
