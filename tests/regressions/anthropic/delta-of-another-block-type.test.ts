import t from 'tap';
import { createAnthropicStreamParser } from '../../../src/providers/anthropic/stream-parser.js';
import { errOf, runParser } from '../../providers/openai/helpers.js';
import { blockDelta, blockStart, blockStop, messageDelta, messageStart, messageStop } from './helpers.js';

/**
 * A `content_block_delta` was applied whatever block it addressed: a `text_delta` for a
 * `tool_use` block streamed as answer text (and was kept as a text block beside the call),
 * a `thinking_delta` for a text block streamed as thinking. The official SDK applies a delta
 * only to a block of its kind. Such a delta is a broken stream: it ends in a `protocol`
 * error naming the block, instead of mixing text into the wrong place.
 */

const parser = () => createAnthropicStreamParser({ model: 'm' });

t.test('a text_delta for a tool_use block is a protocol error, never answer text', async (t) => {
  const run = runParser(parser(), [
    messageStart(),
    blockStart(0, { type: 'tool_use', id: 't', name: 'f', input: {} }),
    blockDelta(0, { type: 'text_delta', text: 'leak' }),
    blockStop(0),
    messageDelta('tool_use'),
    messageStop,
  ]);
  t.notOk(run.events.some((event) => event.type === 'text_delta'), 'no text streamed');
  t.equal(run.error?.category, 'protocol');
  t.match(run.error?.message, /text_delta for block 0, a tool_use block/);
  t.equal(errOf(run.result).category, 'protocol');
});

t.test('a thinking_delta for a text block is a protocol error', async (t) => {
  const run = runParser(parser(), [
    messageStart(),
    blockStart(0, { type: 'text', text: '' }),
    blockDelta(0, { type: 'thinking_delta', thinking: 'secret' }),
    blockStop(0),
    messageDelta('end_turn'),
    messageStop,
  ]);
  t.notOk(run.events.some((event) => event.type === 'thinking_delta'), 'no thinking streamed');
  t.equal(errOf(run.result).category, 'protocol');
});

t.test('an input_json_delta for a text block is a protocol error', async (t) => {
  const run = runParser(parser(), [
    messageStart(),
    blockStart(0, { type: 'text', text: '' }),
    blockDelta(0, { type: 'input_json_delta', partial_json: '{"a":1}' }),
    blockStop(0),
    messageStop,
  ]);
  t.equal(errOf(run.result).category, 'protocol');
});
