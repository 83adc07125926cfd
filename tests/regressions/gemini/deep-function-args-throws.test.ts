import t from 'tap';
import { parseGeminiResponse } from '../../../src/providers/gemini/stream-parser.js';
import { runGemini } from '../../providers/gemini/helpers.js';

/**
 * A whole `functionCall.args` was copied recursively (PartialArgs.setWhole) and written
 * back with JSON.stringify; Vertex `partialArgs` paths build the same kind of value. A
 * 20,000-level value threw a RangeError out of the parser (and out of parseGeminiResponse),
 * so the stream never ended in a completion of its own. It must end in one `protocol` error.
 */

const deep = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const chunk = (call: string): string => `{"candidates":[{"content":{"parts":[{"functionCall":${call}}]},"finishReason":"STOP"}]}`;

t.test('deep whole args end the stream in a protocol error, not a throw', async (t) => {
  const run = runGemini([Buffer.from(`data: ${chunk(`{"name":"f","args":${deep(20_000)}}`)}\n\n`)]);
  t.equal(run.result.isErr() && run.result.error.category, 'protocol');
  t.match(run.result.isErr() && run.result.error.message, /nested too deeply/);
});

t.test('a deep partialArgs path ends the stream in a protocol error, not a throw', async (t) => {
  const path = `$${'.a'.repeat(20_000)}`;
  const run = runGemini([Buffer.from(`data: ${chunk(`{"name":"f","partialArgs":[{"jsonPath":"${path}","numberValue":1}]}`)}\n\n`)]);
  t.equal(run.result.isErr() && run.result.error.category, 'protocol');
});

t.test('a non-streaming body with deep args is a protocol error', async (t) => {
  const result = parseGeminiResponse(chunk(`{"name":"f","args":${deep(20_000)}}`), { model: 'g' });
  t.equal(result.isErr() && result.error.category, 'protocol');
});

t.test('500-level args are still delivered whole', async (t) => {
  const run = runGemini([Buffer.from(`data: ${chunk(`{"name":"f","args":${deep(500)}}`)}\n\n`)]);
  t.equal(run.result.isOk() && run.result.value.toolCalls[0]?.arguments, deep(500));
});
