import t from 'tap';
import type { SseEvent } from '../../src/sse/types.js';
import { SseDecoder } from '../../src/sse/decoder.js';
import { runBatch } from '../fuzz/lib/engine-run.js';
import { openAIChat } from '../fuzz/lib/openai-chat.js';

/**
 * eventsource-parser holds a CR that ends a chunk until the next chunk arrives (it may be
 * the first half of a CRLF), and the decoder fed it raw text. Under CR-only framing (legal
 * SSE) every event therefore arrived one chunk late: `["data: [DONE]\r\rdat"]` gave one
 * event, `["data: [DONE]\r\r", "dat"]` none, and a stream reset or stalled right after
 * `data: [DONE]\r\r` ended as `network` / `timeout` instead of `done` (issue 16, break 4).
 */
function decode(chunks: readonly string[], finish = true): SseEvent[] {
  const events: SseEvent[] = [];
  const decoder = new SseDecoder((event) => void events.push(event));
  for (const chunk of chunks) decoder.feed(Buffer.from(chunk));
  if (finish) decoder.end();
  return events;
}

const DONE = [{ event: undefined, data: '[DONE]', id: undefined }];

t.test('the minimal case: a CR-framed event is the same in one chunk or two', async (t) => {
  t.same(decode(['data: [DONE]\r\rdat']), DONE, 'one chunk');
  t.same(decode(['data: [DONE]\r\r', 'dat']), DONE, 'split after the blank line');
});

t.test('an event ended by CR CR is delivered at once, before any later byte or end()', async (t) => {
  t.same(decode(['data: [DONE]\r\r'], false), DONE, 'no end(): a stall or reset right after it still sees the event');
  t.same(decode(['data: [DONE]\r', '\r'], false), DONE, 'the two CRs in separate chunks');
});

t.test('a CR at the end of the body completes the line it ends', async (t) => {
  t.same(decode(['data: [DONE]\r']), DONE);
  t.same(decode(['data: [DONE]', '\r']), DONE, 'the CR alone in the last chunk');
});

t.test('LF, CRLF and CR framings give the same events under every two-way cut', async (t) => {
  const lines = ['event: a', 'data: 1', 'data: 2', '', ': note', 'id: 9', 'data: 3', '', 'data: [DONE]', ''];
  let expected: SseEvent[] | undefined;
  for (const eol of ['\n', '\r\n', '\r']) {
    const body = lines.map((line) => line + eol).join('');
    const whole = decode([body]);
    expected ??= whole;
    t.same(whole, expected, `${JSON.stringify(eol)} in one chunk`);
    t.same(decode([...body]), expected, `${JSON.stringify(eol)} one character per chunk`);
    for (let cut = 1; cut < body.length; cut++) {
      const split = decode([body.slice(0, cut), body.slice(cut)]);
      if (JSON.stringify(split) !== JSON.stringify(expected)) t.fail(`${JSON.stringify(eol)} cut at ${cut} differs`);
    }
  }
  t.equal(expected?.length, 3);
});

t.test('a CRLF split across chunks, with an empty chunk between, is one line break', async (t) => {
  const events = decode(['data: a\r', '', '\n', 'data: b\r\n\r\n']);
  t.same(events.map((event) => event.data), ['a\nb'], 'one event of two data lines, not two events');
});

t.test('through the engine: a CR-framed stream reset right after data: [DONE]\\r\\r ends done, not network', async (t) => {
  const body = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: 'stop' }] })}\r\rdata: [DONE]\r\r`;
  const result = await runBatch(openAIChat, [
    { key: 'cr', streaming: true, status: 200, headers: { 'content-type': 'text/event-stream' }, bytes: Buffer.from(body), chunking: { kind: 'whole' }, end: 'reset' },
  ]);
  const seen = result.observed.get('cr');
  t.same(seen?.events.map((event) => event.type), ['start', 'text_delta', 'done']);
  t.equal(seen?.completions[0]?.isOk(), true, 'the stream reached its terminal event before the reset');
});
