// The Gemini stream parser on hand-made bodies: what the cassettes and corpus do not reach.
import t from 'tap';
import { parseGeminiResponse } from '../../../src/providers/gemini/stream-parser.js';
import { chunkings, eventLog, runGemini } from './helpers.js';

const data = (payload: unknown): string => `data: ${JSON.stringify(payload)}\r\n\r\n`;
const parts = (list: unknown[], extra: Record<string, unknown> = {}, index?: number): Record<string, unknown> => ({
  candidates: [{ content: { role: 'model', parts: list }, ...(index === undefined ? {} : { index }), ...extra }],
  responseId: 'r1',
  modelVersion: 'gemini-x',
});
const STOP = { finishReason: 'STOP' };

function run(body: string) {
  const runs = chunkings(Buffer.from(body), 3).map(([how, chunks]) => ({ how, run: runGemini(chunks) }));
  const first = runs[0]!.run;
  for (const { how, run } of runs.slice(1)) {
    t.same(eventLog(run.events), eventLog(first.events), `same events (${how})`);
    t.same(run.result, first.result, `same result (${how})`);
  }
  return first;
}

t.test('raw JSON outside data: lines', async (t) => {
  const notError = run(data(parts([{ text: 'a' }])) + '{"candidates": []}\n' + data(parts([{ text: 'b' }], STOP)));
  t.equal(notError.failure?.category, 'protocol');
  t.match(notError.failure?.message, /JSON outside any data: line that is not an error object/);
  const unfinished = run(data(parts([{ text: 'a' }], STOP)) + '{"error": {\n  "code": 500,\n');
  t.match(unfinished.failure?.message, /the body ended inside JSON outside any data: line/);
  const stray = run(data(parts([{ text: 'a' }])) + 'garbage line\nretry: soon\n' + data(parts([{ text: 'b' }], STOP)));
  t.equal(stray.failure, undefined, 'other stray lines are ignored, as SSE says');
  t.equal(stray.result.isOk() && stray.result.value.text, 'ab');
  const huge = runGemini([Buffer.from(`[${'1,'.repeat(600_000)}`)]);
  t.match(huge.failure?.message, /more than 1048576 characters/);
  const arrayError = run(`[{\n  "error": {"code": 429, "message": "quota", "status": "RESOURCE_EXHAUSTED"}\n}]\n`);
  t.match(arrayError.result.isErr() && arrayError.result.error, { category: 'rate_limit' }, 'the array form (no alt=sse) of an error');
});

t.test('malformed chunks and keep-alives', async (t) => {
  const bad = run(data(parts([{ text: 'a' }])) + 'data: {not json\r\n\r\n');
  t.equal(bad.failure?.category, 'protocol');
  t.match(bad.failure?.message, /A Gemini stream chunk is not valid JSON/);
  const keepAlive = run('data: \r\n\r\n' + data(parts([{ text: 'a' }], STOP)));
  t.equal(keepAlive.result.isOk() && keepAlive.result.value.text, 'a');
  const inData = run(data(parts([{ text: 'a' }])) + data({ error: { code: 500, message: 'internal', status: 'INTERNAL' } }));
  t.match(inData.result.isErr() && inData.result.error, { category: 'server', retryable: true });
  t.same(eventLog(inData.events).at(-1), 'error server Gemini reported an error inside the stream (500 INTERNAL): internal');
  const brokenArgs = run(data(parts([{ functionCall: { name: 'f', partialArgs: [{ jsonPath: 'nope', stringValue: 'x' }], willContinue: true } }])));
  t.match(brokenArgs.failure?.message, /A streamed function-call argument is malformed/);
  const brokenLater = run(data(parts([{ functionCall: { name: 'f', willContinue: true } }])) + data(parts([{ functionCall: { partialArgs: ['x'] } }])));
  t.match(brokenLater.failure?.message, /not an object/);
});

t.test('several candidates: the first is the result, all stream', async (t) => {
  const body = data({
    candidates: [
      { content: { parts: [{ text: 'zero' }, { functionCall: { name: 'f', args: {} } }] }, index: 0 },
      { content: { parts: [{ text: 'one', thought: true }, { functionCall: { name: 'g', args: { x: 1 } } }] }, finishReason: 'MAX_TOKENS', index: 1 },
    ],
  }) + data({ candidates: [{ content: { parts: [{ text: '!' }] }, finishReason: 'STOP', index: 0 }] });
  const r = run(body);
  t.same(eventLog(r.events), [
    'start gemini-2.5-flash',
    'text[0] "zero"',
    'tool_start[0] gemini_call_0 f',
    'tool_delta[0] {}',
    'tool_done[0] gemini_call_0 f {}',
    'thinking[1] "one"',
    'tool_start[1] gemini_call_1 g',
    'tool_delta[1] {"x":1}',
    'tool_done[1] gemini_call_1 g {"x":1}',
    'text[0] "!"',
    'done tool_use (STOP) null',
  ]);
  t.same(r.result.isOk() && r.result.value.content.map((b) => b.type), ['text', 'tool_call', 'text']);
  const onlyOne = run(data({ candidates: [{ content: { parts: [{ text: 'b' }] }, finishReason: 'RECITATION', index: 1 }] }));
  t.match(onlyOne.result.isOk() && onlyOne.result.value, { finishReason: 'content_filter', rawFinishReason: 'RECITATION', text: 'b' }, 'without candidate 0 the first one seen');
});

t.test('function call shapes', async (t) => {
  const r = run(
    data(parts([{ functionCall: {} }, { executableCode: { language: 'PYTHON', code: 'print(1)' } }, { functionCall: { args: { q: 1 } } }])) +
      data(parts([{ functionCall: { name: 'open', id: 'fc-9', willContinue: true, args: { base: true } } }])) +
      data(parts([{ functionCall: { partialArgs: [{ jsonPath: '$.n', numberValue: 2 }], args: { base: false }, willContinue: true }, thoughtSignature: 'late-sig' }])) +
      data(parts([{ text: 'after' }, { functionCall: { name: 'left_open', willContinue: true } }], STOP)),
  );
  t.same(eventLog(r.events), [
    'start gemini-x r1',
    'tool_start[0] gemini_call_r1_0 ',
    'tool_delta[0] {"q":1}',
    'tool_done[0] gemini_call_r1_0  {"q":1}',
    'tool_start[1] fc-9 open',
    'text[0] "after"',
    'tool_delta[1] {"base":false,"n":2}',
    'tool_done[1] fc-9 open {"base":false,"n":2}',
    'tool_start[2] gemini_call_r1_2 left_open',
    'tool_delta[2] {}',
    'tool_done[2] gemini_call_r1_2 left_open {}',
    'done tool_use (STOP) null',
  ]);
  const response = r.result.isOk() ? r.result.value : undefined;
  t.same(response?.content.map((b) => b.type), ['provider', 'tool_call', 'tool_call', 'text', 'tool_call']);
  t.same(response?.toolCalls.map((c) => [c.id, c.name, c.arguments]), [
    ['gemini_call_r1_0', '', '{"q":1}'],
    ['fc-9', 'open', '{"base":false,"n":2}'],
    ['gemini_call_r1_2', 'left_open', '{}'],
  ], 'an unnamed call keeps its arguments; a new call closes the open one; a call open at the end is closed');
  t.match(response?.content[2], { type: 'tool_call', signature: 'late-sig' }, 'a signature on a later fragment lands on its call');
});

t.test('prompt blocked, with Vertex message', async (t) => {
  const r = run(data({ promptFeedback: { blockReason: 'JAILBREAK', blockReasonMessage: 'Prompt was blocked.' } }));
  t.match(r.result.isErr() && r.result.error, { category: 'content_filter', providerCode: 'JAILBREAK', message: 'Gemini blocked the prompt (JAILBREAK): Prompt was blocked.; no answer was generated.' });
  const unspecified = run(data({ promptFeedback: { blockReason: 'BLOCKED_REASON_UNSPECIFIED' } }) + data(parts([{ text: 'a' }], STOP)));
  t.ok(unspecified.result.isOk(), 'an unspecified reason blocks nothing');
});

t.test('non-streaming bodies', async (t) => {
  const model = { model: 'gemini-2.5-flash' };
  t.match(parseGeminiResponse(JSON.stringify(parts([{ text: 'hi' }], STOP)), model).unwrapOr(undefined), { text: 'hi', finishReason: 'stop' });
  t.match(parseGeminiResponse('nope', model).isErr() && parseGeminiResponse('nope', model), { error: { category: 'protocol' } });
  const noFinish = parseGeminiResponse(JSON.stringify(parts([{ text: 'hi' }])), model);
  t.match(noFinish.isErr() && noFinish.error.message, /no candidate with a finishReason/);
  const blocked = parseGeminiResponse(JSON.stringify({ promptFeedback: { blockReason: 'SAFETY' } }), model);
  t.match(blocked.isErr() && blocked.error, { category: 'content_filter' });
  const broken = parseGeminiResponse(JSON.stringify(parts([{ functionCall: { name: 'f', partialArgs: [{}] } }], STOP)), model);
  t.match(broken.isErr() && broken.error, { category: 'protocol' });
});
