import t from 'tap';
import { createAnthropicStreamParser } from '../../../src/providers/anthropic/stream-parser.js';
import { okOf, runParser } from '../../providers/openai/helpers.js';
import { blockDelta, blockStart, blockStop, messageDelta, messageStart, messageStop } from './helpers.js';

/**
 * A thinking block's `signature_delta`s were concatenated onto each other (and onto the
 * signature of `content_block_start`). A signature is one opaque token: the official SDK's
 * MessageStream sets `signature = delta.signature` (the last one wins), and a spliced
 * "AAABBB" is a signature the API rejects when the block is sent back on the next turn.
 */

const parser = () => createAnthropicStreamParser({ model: 'm' });

t.test('the last signature_delta is the signature, as in the SDK', async (t) => {
  const run = runParser(parser(), [
    messageStart(),
    blockStart(0, { type: 'thinking', thinking: '', signature: '' }),
    blockDelta(0, { type: 'thinking_delta', thinking: 'hmm' }),
    blockDelta(0, { type: 'signature_delta', signature: 'AAA' }),
    blockDelta(0, { type: 'signature_delta', signature: 'BBB' }),
    blockStop(0),
    messageDelta('end_turn'),
    messageStop,
  ]);
  t.same(okOf(run.result).content, [{ type: 'thinking', text: 'hmm', signature: 'BBB' }]);
});

t.test('a signature_delta replaces the signature content_block_start carried', async (t) => {
  const run = runParser(parser(), [
    messageStart(),
    blockStart(0, { type: 'thinking', thinking: '', signature: 'START' }),
    blockDelta(0, { type: 'signature_delta', signature: 'SIG' }),
    blockStop(0),
    messageDelta('end_turn'),
    messageStop,
  ]);
  t.same(okOf(run.result).content, [{ type: 'thinking', text: '', signature: 'SIG' }]);
});

t.test('without a signature_delta the start signature is kept', async (t) => {
  const run = runParser(parser(), [
    messageStart(),
    blockStart(0, { type: 'thinking', thinking: 'x', signature: 'START' }),
    blockStop(0),
    messageDelta('end_turn'),
    messageStop,
  ]);
  t.same(okOf(run.result).content, [{ type: 'thinking', text: 'x', signature: 'START' }]);
});
