import t from 'tap';
import { chunkings, runGemini } from '../../providers/gemini/helpers.js';

/**
 * With several candidates, the end of the body counted as a whole stream when ANY candidate
 * had carried a finishReason. A body cut after candidate 1 finished but before candidate 0
 * (the result) did was reported as `done`, with candidate 1's finishReason and candidate 0's
 * partial text as if it were complete. And the result candidate was re-chosen per chunk
 * (index 0 once it appeared, else the first seen), so a stream whose first chunk held only
 * candidate 1 built its result from the text of two candidates. The result is one candidate,
 * chosen once, and the stream is whole only when that candidate finished.
 */

const data = (payload: unknown): string => `data: ${JSON.stringify(payload)}\r\n\r\n`;
const candidate = (index: number, text: string, finishReason?: string) => ({
  index,
  content: { role: 'model', parts: [{ text }] },
  ...(finishReason === undefined ? {} : { finishReason }),
});

t.test('the result candidate never finished: a protocol error, not done', async (t) => {
  const body = data({ candidates: [candidate(0, 'half an an'), candidate(1, 'other', 'STOP')] });
  for (const [how, chunks] of chunkings(Buffer.from(body), 11)) {
    const run = runGemini(chunks);
    t.notOk(run.events.some((event) => event.type === 'done'), `no done (${how})`);
    t.equal(run.result.isErr() && run.result.error.category, 'protocol', `protocol error (${how})`);
  }
});

t.test('the result is made of one candidate, even when another came first', async (t) => {
  const body =
    data({ candidates: [candidate(1, 'B1')] }) +
    data({ candidates: [candidate(0, 'A1'), candidate(1, 'B2')] }) +
    data({ candidates: [candidate(0, 'A2', 'STOP'), candidate(1, 'B3', 'STOP')] });
  const run = runGemini([Buffer.from(body)]);
  t.ok(run.result.isOk());
  const text = run.result.isOk() ? run.result.value.text : '';
  t.ok(text === 'A1A2' || text === 'B1B2B3', `one candidate's text, got ${JSON.stringify(text)}`);
});
