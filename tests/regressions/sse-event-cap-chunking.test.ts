import t from 'tap';
import type { SseEvent } from '../../src/providers/adapter.js';
import { SseDecoder } from '../../src/sse/decoder.js';

/**
 * The event-size cap is enforced on a running count that is reset only by a feed in
 * which the parser completed an event, and a feed is let through whole whenever its text
 * contains a blank line. Whether a stream fails therefore depends on where the chunks
 * were cut (DESIGN 10: same bytes, same result, whatever the chunk boundaries):
 *  - false failure: an event that ends with the "\n" at the very start of the next chunk
 *    leaves its whole length in the count, and the next (small) event trips the cap;
 *  - missed cap: a feed that completes an event resets the count to 0, forgetting the
 *    start of the next event that came in the same feed, so an event far past the cap is
 *    delivered (DESIGN 7: "a line or event past the cap fails that transfer").
 */
const LIMITS = { maxLineLength: 1_000, maxEventLength: 100 };

function decode(chunks: readonly string[]): { events: SseEvent[]; error: string | undefined } {
  const events: SseEvent[] = [];
  const decoder = new SseDecoder((event) => void events.push(event), LIMITS);
  let error: string | undefined;
  for (const chunk of chunks) error ??= decoder.feed(Buffer.from(chunk))?.message;
  error ??= decoder.end()?.message;
  return { events, error };
}

t.test('two events under the cap decode the same whatever the chunking', async (t) => {
  const first = `data: ${'x'.repeat(88)}\n`; // a 95-character event (with its blank line: 96, under the cap)
  const whole = decode([`${first}\ndata: yy\n\n`]);
  t.equal(whole.error, undefined, 'one chunk: fine');
  t.equal(whole.events.length, 2);
  const cut = decode([first, '\ndata: yy', '\n\n']);
  t.equal(cut.error, undefined, `cut after the first event's last line: ${cut.error ?? 'fine'}`);
  t.same(cut.events, whole.events);
});

t.test('an event past the cap fails whatever the chunking', async (t) => {
  const line = `data: ${'y'.repeat(80)}\n`; // 87 characters
  // One event of two 80-character data lines: about 174 characters, past the cap of 100.
  const asOne = decode([`data: a\n\n${line}${line}\n`]);
  const split = decode([`data: a\n\n${line}`, line, '\n']);
  t.ok(split.error !== undefined, `split: the over-long event fails (events: ${split.events.map((event) => event.data.length).join(', ')})`);
  t.ok(asOne.error !== undefined, `one chunk: the over-long event fails (events: ${asOne.events.map((event) => event.data.length).join(', ')})`);
});
