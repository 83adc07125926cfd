import t from 'tap';
import { runGemini } from '../../providers/gemini/helpers.js';

/**
 * A part that carries both `text` and a `functionCall` lost its text: the call was read and
 * the rest of the part ignored, while the SDK's `response.text` joins the text of every
 * part whatever else it holds. The text is now kept (streamed and in the result) before the
 * call it came with.
 */

t.test('text beside a functionCall in one part is kept', async (t) => {
  const chunk = { candidates: [{ content: { parts: [{ text: 'Looking it up.', functionCall: { name: 'lookup', args: { q: 'x' } } }] }, finishReason: 'STOP' }] };
  const run = runGemini([Buffer.from(`data: ${JSON.stringify(chunk)}\n\n`)]);
  t.ok(run.result.isOk());
  if (!run.result.isOk()) return;
  t.equal(run.result.value.text, 'Looking it up.');
  t.same(run.result.value.content.map((block) => block.type), ['text', 'tool_call']);
  t.equal(run.result.value.toolCalls[0]?.arguments, '{"q":"x"}');
  t.ok(run.events.some((event) => event.type === 'text_delta' && event.text === 'Looking it up.'), 'the text streamed');
});
