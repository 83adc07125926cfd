import t from 'tap';
import { parseGeminiResponse } from '../../../src/providers/gemini/stream-parser.js';
import { runGemini } from '../../providers/gemini/helpers.js';

/**
 * `functionCall.args` is a protobuf Struct: a JSON object. Any other value (an array, a
 * string, a number) was read as "no arguments" and the call delivered with `"{}"`, the
 * model's arguments silently replaced; the SDK hands the value on as it came. Such a call is
 * malformed output: a `protocol` error naming the call, never a call with made-up arguments.
 * (`args: null` still means "no arguments".)
 */

const body = (args: string): string =>
  `{"candidates":[{"content":{"parts":[{"functionCall":{"name":"lookup","args":${args}}}]},"finishReason":"STOP"}]}`;

for (const args of ['[1,2]', '"city=Paris"', '42']) {
  t.test(`args ${args} is a protocol error, not "{}"`, async (t) => {
    const run = runGemini([Buffer.from(`data: ${body(args)}\n\n`)]);
    t.notOk(run.events.some((event) => event.type === 'tool_call_done'), 'no call delivered');
    t.equal(run.result.isErr() && run.result.error.category, 'protocol');
    t.match(run.result.isErr() && run.result.error.message, /lookup/);
    const whole = parseGeminiResponse(body(args), { model: 'g' });
    t.equal(whole.isErr() && whole.error.category, 'protocol', 'non-streaming too');
  });
}

t.test('args null is a call without arguments', async (t) => {
  const run = runGemini([Buffer.from(`data: ${body('null')}\n\n`)]);
  t.equal(run.result.isOk() && run.result.value.toolCalls[0]?.arguments, '{}');
});

t.test('a deep array as args is a protocol error too, not a throw', async (t) => {
  const run = runGemini([Buffer.from(`data: ${body(`${'['.repeat(20_000)}${']'.repeat(20_000)}`)}\n\n`)]);
  t.equal(run.result.isErr() && run.result.error.category, 'protocol');
});
