import t from 'tap';
import { SseDecoder } from '../../src/sse/decoder.js';

/**
 * The caps were checked line first on each stretch of text between line breaks, so when
 * one stretch crossed both the line cap and the event cap the line cap was reported, while
 * the same bytes cut inside that stretch crossed the event cap in the first piece and
 * reported that one: "SSE line longer than 10" in one chunk, "SSE event longer than 15"
 * when split (issue 16, break 5). The cap crossed first, at its byte, is the one to report.
 */
const LIMITS = { maxLineLength: 10, maxEventLength: 15 };

function firstError(chunks: readonly string[]): string | undefined {
  const decoder = new SseDecoder(() => undefined, LIMITS);
  let error: string | undefined;
  for (const chunk of chunks) error ??= decoder.feed(Buffer.from(chunk))?.message;
  return error ?? decoder.end()?.message;
}

t.test('the same bytes report the same cap under every cut', async (t) => {
  // 'data: abc' plus its LF is 10 characters of the event; the next line crosses the
  // event cap (5 more) before the line cap (10 more).
  const body = 'data: abc\ndata: xxxxxxxxxxxxxxx\n\n';
  const whole = firstError([body]);
  t.match(whole, /SSE event longer than 15/);
  for (let cut = 1; cut < body.length; cut++) {
    t.equal(firstError([body.slice(0, cut), body.slice(cut)]), whole, `cut at ${cut}`);
  }
  t.equal(firstError([...body]), whole, 'one character per chunk');
});

t.test('a line that crosses its cap first reports the line cap, whatever the chunking', async (t) => {
  const body = 'data: xxxxxxxxxxx\n\n';
  for (let cut = 1; cut < body.length; cut++) {
    t.match(firstError([body.slice(0, cut), body.slice(cut)]), /SSE line longer than 10/, `cut at ${cut}`);
  }
});

t.test('the LF joining two lines counts toward the event, at the same byte for every cut', async (t) => {
  // 'data: 1234' (10) + LF = 11, 'ab12' (4) = 15: the event is full, so its next LF crosses.
  const body = 'data: 1234\nab12\ndata: z\n\n';
  const whole = firstError([body]);
  t.match(whole, /SSE event longer than 15/);
  for (let cut = 1; cut < body.length; cut++) t.equal(firstError([body.slice(0, cut), body.slice(cut)]), whole, `cut at ${cut}`);
});
