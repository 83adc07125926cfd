import t from 'tap';
import { createChatStreamParser } from '../../../src/providers/openai/chat-stream-parser.js';
import { parseChatResponse } from '../../../src/providers/openai/response-parsers.js';
import type { SseEvent } from '../../../src/providers/adapter.js';
import { okOf, runParser, sse } from '../../providers/openai/helpers.js';

/**
 * With `n: 2` (extraBody), Chat Completions returns two *alternative* completions. The
 * stream events keep them apart (text_delta.index), but the ChatResponse built by
 * ContentAssembler/buildResponse (content.ts) puts every choice's blocks in one list with
 * no choice marker and joins them into `text`, in order of first delta. `text` becomes
 * the two answers glued together (here "Lyon.Paris.": choice 1 first), `toolCalls` holds the
 * calls of both alternatives (a host would run both), while `finishReason` is choice 0's.
 * The OpenAI SDK's answer is `choices[0].message` (finalContent()). Fix: build
 * content/text/toolCalls from choice 0 only (or expose choices separately).
 */
const chunk = (choices: unknown[]): SseEvent =>
  sse(JSON.stringify({ id: 'chatcmpl-n', object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices }));

t.test('stream: the result text is choice 0, not both alternatives glued', async (t) => {
  const r = runParser(createChatStreamParser({ model: 'gpt-4o-mini' }), [
    chunk([
      { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null },
      { index: 1, delta: { role: 'assistant', content: '' }, finish_reason: null },
    ]),
    chunk([{ index: 1, delta: { content: 'Lyon.' }, finish_reason: null }]),
    chunk([{ index: 0, delta: { content: 'Paris.' }, finish_reason: null }]),
    chunk([
      { index: 0, delta: {}, finish_reason: 'stop' },
      { index: 1, delta: {}, finish_reason: 'stop' },
    ]),
    sse('[DONE]'),
  ]);
  const response = okOf(r.result);
  t.equal(response.text, 'Paris.', `text was ${JSON.stringify(response.text)}`);
});

t.test('non-stream: the result text is choice 0, not both alternatives glued', async (t) => {
  const body = JSON.stringify({
    id: 'chatcmpl-n',
    object: 'chat.completion',
    model: 'gpt-4o-mini',
    choices: [
      { index: 0, message: { role: 'assistant', content: 'Paris.' }, finish_reason: 'stop' },
      { index: 1, message: { role: 'assistant', content: 'Lyon.' }, finish_reason: 'stop' },
    ],
  });
  const response = okOf(parseChatResponse(body, { model: 'gpt-4o-mini' }));
  t.equal(response.text, 'Paris.', `text was ${JSON.stringify(response.text)}`);
});
