import t from 'tap';
import { createAnthropicStreamParser } from '../../../src/providers/anthropic/stream-parser.js';
import { errOf, runParser } from '../../providers/openai/helpers.js';
import { blockDelta, blockStart, blockStop, messageDelta, messageStop } from './helpers.js';

/**
 * A body without `message_start` was a success: `message_stop` alone gave `done` with empty
 * content and an `unknown` finish reason, and blocks streamed before any message_start were
 * delivered as a message of the requested model with no id. A Messages stream always opens
 * with message_start (the SDK ignores events before it and fails a body that never sends
 * one: "request ended without sending any chunks"); such a body (a proxy that cut the head,
 * or another API's stream) is a `protocol` error, never an empty success.
 */

const parser = () => createAnthropicStreamParser({ model: 'm' });

t.test('message_stop alone is a protocol error, not an empty success', async (t) => {
  const run = runParser(parser(), [messageStop]);
  t.notOk(run.events.some((event) => event.type === 'done'), 'no done event');
  t.equal(errOf(run.result).category, 'protocol');
  t.match(errOf(run.result).message, /before message_start/);
});

t.test('content before message_start is a protocol error', async (t) => {
  const run = runParser(parser(), [
    blockStart(0, { type: 'text', text: '' }),
    blockDelta(0, { type: 'text_delta', text: 'hi' }),
    blockStop(0),
    messageDelta('end_turn'),
    messageStop,
  ]);
  t.equal(run.events.length, 0, 'nothing streamed');
  t.equal(errOf(run.result).category, 'protocol');
});

t.test('message_delta before message_start is a protocol error', async (t) => {
  const run = runParser(parser(), [messageDelta('end_turn'), messageStop]);
  t.equal(errOf(run.result).category, 'protocol');
});
