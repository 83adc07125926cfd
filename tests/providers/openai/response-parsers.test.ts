import t from 'tap';
import { parseChatResponse, parseResponsesResponse } from '../../../src/providers/openai/response-parsers.js';
import { errOf, okOf } from './helpers.js';

const options = { model: 'requested-model' };

t.test('chat: every block kind of the first choice (other choices are alternatives), object arguments', async (t) => {
  const body = JSON.stringify({
    id: 'chatcmpl-9',
    object: 'chat.completion',
    model: 'gpt-test',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          reasoning_content: 'hmm',
          content: 'Calling.',
          refusal: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
            { id: 'call_2', type: 'function', function: { name: 'g', arguments: { b: 2 } } },
            { type: 'function' },
            null,
          ],
        },
        finish_reason: 'tool_calls',
      },
      { index: 1, message: { role: 'assistant', content: null, refusal: 'I cannot.' }, finish_reason: 'stop' },
      { index: 2, finish_reason: 'stop' },
      'junk',
    ],
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
  });
  t.same(okOf(parseChatResponse(body, options)), {
    id: 'chatcmpl-9',
    model: 'gpt-test',
    content: [
      { type: 'thinking', text: 'hmm' },
      { type: 'text', text: 'Calling.' },
      { type: 'tool_call', id: 'call_1', name: 'f', arguments: '{"a":1}' },
      { type: 'tool_call', id: 'call_2', name: 'g', arguments: '{"b":2}' },
      { type: 'tool_call', id: '', name: '', arguments: '' },
    ],
    text: 'Calling.',
    toolCalls: [
      { id: 'call_1', name: 'f', arguments: '{"a":1}' },
      { id: 'call_2', name: 'g', arguments: '{"b":2}' },
      { id: '', name: '', arguments: '' },
    ],
    finishReason: 'tool_use',
    usage: { input: 1, output: 2, thinking: null, cached: null, cacheWrite: null, total: 3 },
    rawFinishReason: 'tool_calls',
  });
});

t.test('chat: minimal and odd bodies', async (t) => {
  const minimal = okOf(parseChatResponse('{"choices":[{"message":{"content":"hi","reasoning":"r"}}]}', options));
  t.same(minimal, {
    model: 'requested-model',
    content: [
      { type: 'thinking', text: 'r' },
      { type: 'text', text: 'hi' },
    ],
    text: 'hi',
    toolCalls: [],
    finishReason: 'unknown',
    usage: null,
  });
  t.same(okOf(parseChatResponse('{"choices":[]}', options)).content, []);
  t.match(errOf(parseChatResponse('{"object":"chat.completion"}', options)), { category: 'protocol', message: /no `choices` array/ });
  t.match(errOf(parseChatResponse('<html>nope</html>', options)), {
    category: 'protocol',
    message: 'The Chat Completions response is not valid JSON: "<html>nope</html>"',
  });
  t.match(errOf(parseChatResponse('[]', options)), { category: 'protocol', message: /not a JSON object/ });
  t.match(errOf(parseChatResponse('{"error":{"message":"quota","code":"insufficient_quota"}}', options)), {
    category: 'rate_limit',
    retryable: false,
  });
});

const responseBody = (extra: Record<string, unknown>): string =>
  JSON.stringify({ id: 'resp_9', object: 'response', model: 'gpt-test', status: 'completed', output: [], usage: null, error: null, ...extra });

t.test('responses: every output kind', async (t) => {
  const body = responseBody({
    output: [
      {
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: 'plan' }, { type: 'summary_text', text: '' }],
        content: [{ type: 'reasoning_text', text: 'raw' }],
      },
      { type: 'reasoning' },
      {
        type: 'message',
        role: 'assistant',
        content: [
          { type: 'output_text', text: 'Hello ' },
          { type: 'refusal', refusal: 'but no' },
          { type: 'output_text' },
          { type: 'output_audio' },
          7,
        ],
      },
      { type: 'message' },
      { type: 'message', content: [{ type: 'refusal' }] },
      { type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{}' },
      { type: 'function_call', arguments: { a: 1 } },
      { type: 'function_call' },
      { type: 'web_search_call', id: 'ws_1', status: 'completed' },
      'junk',
    ],
    usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7, input_tokens_details: { cached_tokens: 1 }, output_tokens_details: { reasoning_tokens: 2 } },
  });
  t.same(okOf(parseResponsesResponse(body, options)), {
    id: 'resp_9',
    model: 'gpt-test',
    content: [
      { type: 'thinking', text: 'plan' },
      { type: 'thinking', text: 'raw' },
      { type: 'text', text: 'Hello ' },
      { type: 'refusal', text: 'but no' },
      { type: 'text', text: '' },
      { type: 'refusal', text: '' },
      { type: 'tool_call', id: 'call_1', name: 'f', arguments: '{}' },
      { type: 'tool_call', id: '', name: '', arguments: '{"a":1}' },
      { type: 'tool_call', id: '', name: '', arguments: '' },
    ],
    text: 'Hello ',
    toolCalls: [
      { id: 'call_1', name: 'f', arguments: '{}' },
      { id: '', name: '', arguments: '{"a":1}' },
      { id: '', name: '', arguments: '' },
    ],
    finishReason: 'tool_use',
    usage: { input: 3, output: 4, thinking: 2, cached: 1, cacheWrite: null, total: 7 },
    rawFinishReason: 'completed',
  });
});

t.test('responses: statuses', async (t) => {
  const finish = (extra: Record<string, unknown>) => {
    const r = okOf(parseResponsesResponse(responseBody(extra), options));
    return [r.finishReason, r.rawFinishReason];
  };
  t.same(finish({}), ['stop', 'completed']);
  t.same(finish({ status: undefined }), ['stop', undefined]);
  t.same(finish({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }), ['length', 'max_output_tokens']);
  t.same(finish({ status: 'incomplete', incomplete_details: { reason: 'content_filter' } }), ['content_filter', 'content_filter']);
  t.same(finish({ status: 'incomplete' }), ['unknown', 'incomplete']);
  t.same(finish({ status: 'in_progress' }), ['unknown', 'in_progress']);
  t.equal(okOf(parseResponsesResponse('{"output":[]}', options)).model, 'requested-model');
  t.same(okOf(parseResponsesResponse('{"output":[],"usage":{"input_tokens":9}}', options)).usage, {
    input: 9,
    output: null,
    thinking: null,
    cached: null,
    cacheWrite: null,
    total: null,
  });
  t.match(errOf(parseResponsesResponse(responseBody({ status: 'failed', error: { code: 'server_error', message: 'boom' } }), options)), {
    category: 'server',
    message: 'OpenAI reported an error: boom',
  });
  t.match(errOf(parseResponsesResponse(responseBody({ status: 'failed' }), options)), { message: /failed without saying why/ });
  t.match(errOf(parseResponsesResponse('{"error":{"message":"bad","type":"invalid_request_error"}}', options)), { category: 'invalid_arg' });
  t.match(errOf(parseResponsesResponse('{"id":"x","status":"completed"}', options)), { category: 'protocol', message: /no `output` array/ });
  t.match(errOf(parseResponsesResponse('nope', options)), { category: 'protocol', message: /The Responses API response is not valid JSON/ });
});
