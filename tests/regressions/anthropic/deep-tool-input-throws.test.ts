import t from 'tap';
import { parseAnthropicResponse } from '../../../src/providers/anthropic/response.js';
import { createAnthropicStreamParser } from '../../../src/providers/anthropic/stream-parser.js';
import { errOf, okOf, runParser, sse } from '../../providers/openai/helpers.js';

/**
 * A `tool_use` input that arrived whole (in `content_block_start`, a pre-filled
 * `message_start`, or a non-streaming body) is re-encoded with JSON.stringify to become the
 * call's arguments. JSON.parse reads any depth, JSON.stringify recurses: a 5,000-level input
 * threw a RangeError out of the parser (and out of parseAnthropicResponse), so the stream
 * never ended in a completion of its own. It must end in one `protocol` error instead.
 */

const deep = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const start = sse('{"type":"message_start","message":{"id":"m","model":"c","content":[],"usage":{"input_tokens":1,"output_tokens":1}}}');
const stop = (index: number) => sse(JSON.stringify({ type: 'content_block_stop', index }));
const end = sse('{"type":"message_stop"}');
const parser = () => createAnthropicStreamParser({ model: 'm' });

t.test('a deep input in content_block_start ends in a protocol error, not a throw', async (t) => {
  const block = sse(`{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"f","input":${deep(20_000)}}}`);
  const run = runParser(parser(), [start, block, stop(0), end]);
  t.equal(run.error?.category, 'protocol');
  t.match(run.error?.message, /nested too deeply/);
  t.equal(errOf(run.result).category, 'protocol');
});

t.test('a deep input in a pre-filled message_start ends in a protocol error', async (t) => {
  const prefilled = sse(
    `{"type":"message_start","message":{"id":"m","model":"c","content":[{"type":"tool_use","id":"t","name":"f","input":${deep(20_000)}}],"usage":{"input_tokens":1}}}`,
  );
  const run = runParser(parser(), [prefilled, end]);
  t.equal(errOf(run.result).category, 'protocol');
});

t.test('a deep input in a non-streaming body is a protocol error', async (t) => {
  const body = `{"id":"m","type":"message","model":"c","content":[{"type":"tool_use","id":"t","name":"f","input":${deep(20_000)}}],"stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":1}}`;
  const result = parseAnthropicResponse(body, 'm');
  t.equal(errOf(result).category, 'protocol');
});

t.test('a merely deep input (500 levels) is still delivered whole', async (t) => {
  const block = sse(`{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"f","input":${deep(500)}}}`);
  const run = runParser(parser(), [start, block, stop(0), end]);
  t.equal(okOf(run.result).toolCalls[0]?.arguments, deep(500));
});
