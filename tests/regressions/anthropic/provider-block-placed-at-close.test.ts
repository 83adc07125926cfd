import t from 'tap';
import { createAnthropicStreamParser } from '../../../src/providers/anthropic/stream-parser.js';
import { okOf, runParser } from '../../providers/openai/helpers.js';
import { blockDelta, blockStart, blockStop, messageDelta, messageStart, messageStop } from './helpers.js';

/**
 * A block with no neutral form (redacted_thinking, server_tool_use, web_search_tool_result,
 * ...) took its place in the content when it closed, while text and thinking blocks take
 * theirs at their first delta. With blocks open at once (a text block streaming before the
 * redacted_thinking block before it was stopped, or blocks closed only by message_stop), the
 * provider block moved after the text: sent back so, the thinking no longer comes first and
 * the API rejects the turn. The SDK keeps content in content_block_start order; so does llmux.
 */

const parser = () => createAnthropicStreamParser({ model: 'm' });

t.test('a redacted_thinking block keeps its place before a text block that streamed before it closed', async (t) => {
  const run = runParser(parser(), [
    messageStart(),
    blockStart(0, { type: 'redacted_thinking', data: 'opaque' }),
    blockStart(1, { type: 'text', text: '' }),
    blockDelta(1, { type: 'text_delta', text: 'answer' }),
    blockStop(0),
    blockStop(1),
    messageDelta('end_turn'),
    messageStop,
  ]);
  t.same(
    okOf(run.result).content.map((block) => block.type),
    ['provider', 'text'],
  );
});

t.test('a server_tool_use block closed only by message_stop keeps its place and its input', async (t) => {
  const run = runParser(parser(), [
    messageStart(),
    blockStart(0, { type: 'server_tool_use', id: 's', name: 'web_search', input: {} }),
    blockDelta(0, { type: 'input_json_delta', partial_json: '{"query":"x"}' }),
    blockStart(1, { type: 'text', text: 'after' }),
    messageDelta('end_turn'),
    messageStop,
  ]);
  const content = okOf(run.result).content;
  t.same(content.map((block) => block.type), ['provider', 'text']);
  t.same(content[0], { type: 'provider', provider: 'anthropic', data: { type: 'server_tool_use', id: 's', name: 'web_search', input: { query: 'x' } } });
});
