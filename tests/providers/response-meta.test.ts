import t from 'tap';
import type { Result } from 'neverthrow';
import type { ProviderError } from '../../src/errors/category.js';
import type { PreparedRequest, ProviderAdapter } from '../../src/providers/adapter.js';
import { createKitStreamParser } from '../../src/providers/kit/stream-parser.js';
import { createOpenAIAdapter } from '../../src/providers/openai/adapter.js';
import { RequestSession } from '../../src/providers/request-session.js';
import { pickResponseHeaders, requestIdOf } from '../../src/providers/response-meta.js';
import { StreamSession } from '../../src/providers/stream-session.js';
import type { ChatResponse, StreamEvent } from '../../src/providers/types.js';
import { errOf, okOf } from './openai/helpers.js';

const HEADERS = {
  'content-type': 'text/event-stream',
  'x-request-id': 'req_123',
  'x-ratelimit-remaining-requests': '99',
  'x-ratelimit-reset-tokens': '6ms',
  'anthropic-ratelimit-tokens-remaining': '1000',
  'retry-after': '3',
  'set-cookie': ['session=secret', 'other=secret'],
  'openai-processing-ms': ['12', '13'],
  server: 'cloudflare',
};

function got<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('no completion was delivered');
  return value;
}

const adapter = createOpenAIAdapter({ apiKey: 'sk-test-abcdefghijklmnop', env: {} });

function prepared(mode: 'stream' | 'request', api = 'chat'): PreparedRequest {
  const result = adapter.prepare({ messages: [{ role: 'user', content: 'hi' }], api }, mode);
  return okOf(result);
}

t.test('the kept headers: rate limits, retry hints, request ids; never cookies', async (t) => {
  t.same(pickResponseHeaders(HEADERS), {
    'x-request-id': 'req_123',
    'x-ratelimit-remaining-requests': '99',
    'x-ratelimit-reset-tokens': '6ms',
    'anthropic-ratelimit-tokens-remaining': '1000',
    'retry-after': '3',
    'openai-processing-ms': '12, 13',
  });
  t.equal(requestIdOf({ 'request-id': 'req_anthropic' }), 'req_anthropic');
  t.equal(requestIdOf({ 'x-request-id': ['first', 'second'] }), 'first');
  t.equal(requestIdOf({ 'x-request-id': '' }), undefined);
  t.same(pickResponseHeaders({ 'X-RateLimit-Limit': '5', absent: undefined }), { 'x-ratelimit-limit': '5' });
});

function streamRun(body: string, headers: Record<string, string | string[]>): { events: StreamEvent[]; result: Result<ChatResponse, ProviderError> | undefined } {
  const events: StreamEvent[] = [];
  let result: Result<ChatResponse, ProviderError> | undefined;
  const session = new StreamSession(adapter, prepared('stream'), (e) => events.push(e), (r) => (result = r));
  t.equal(session.onResponse(200, headers), undefined);
  session.onData(Buffer.from(body));
  session.finish({ kind: 'ok', status: 200, headers });
  session.complete({ kind: 'ok', status: 200, headers });
  return { events, result };
}

const chunk = (delta: unknown, finish: string | null = null): string =>
  `data: ${JSON.stringify({ id: 'c', model: 'gpt-test', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

t.test('a streamed response carries the 2xx response request id and headers', async (t) => {
  const { result } = streamRun(chunk({ content: 'hi' }, 'stop') + 'data: [DONE]\n\n', HEADERS);
  const response = okOf(got(result));
  t.equal(response.requestId, 'req_123');
  t.equal(response.headers?.['x-ratelimit-remaining-requests'], '99');
  t.equal(response.headers?.['set-cookie'], undefined);
});

t.test('an in-band stream error and a cut stream carry them too', async (t) => {
  const inBand = streamRun(`data: ${JSON.stringify({ error: { message: 'boom', type: 'server_error' } })}\n\n`, HEADERS);
  t.match(errOf(got(inBand.result)), { category: 'server', requestId: 'req_123', headers: { 'retry-after': '3' } });
  const cut = streamRun(chunk({ content: 'hi' }), { 'request-id': 'req_cut' });
  t.match(errOf(got(cut.result)), { category: 'protocol', requestId: 'req_cut' });
});

t.test('HTTP errors carry the error response request id and headers; a retry forgets the old ones', async (t) => {
  const session = new StreamSession(adapter, prepared('stream'), () => {}, () => {});
  const error = session.describeHttpError(429, { 'x-request-id': 'req_429', 'x-ratelimit-remaining-tokens': '0' }, '{"error":{"message":"slow down"}}', 0);
  t.match(error, { category: 'rate_limit', requestId: 'req_429', headers: { 'x-ratelimit-remaining-tokens': '0' } });
  session.onResponse(200, HEADERS);
  session.reset();
  session.onData(Buffer.from(chunk({ content: 'x' }, 'stop') + 'data: [DONE]\n\n'));
  let result: Result<ChatResponse, ProviderError> | undefined;
  const retried = new StreamSession(adapter, prepared('stream'), () => {}, (r) => (result = r));
  retried.onResponse(200, HEADERS);
  retried.reset();
  retried.onData(Buffer.from(chunk({ content: 'x' }, 'stop') + 'data: [DONE]\n\n'));
  retried.finish({ kind: 'ok', status: 200, headers: {} });
  retried.complete({ kind: 'ok', status: 200, headers: {} });
  t.equal(okOf(got(result)).requestId, undefined, 'headers of a failed attempt are not reported');
});

t.test('a non-streaming response carries them, as does its parse error', async (t) => {
  const body = JSON.stringify({ id: 'chatcmpl-1', model: 'gpt-test', choices: [{ index: 0, message: { content: 'hi' }, finish_reason: 'stop' }] });
  let result: Result<ChatResponse, ProviderError> | undefined;
  const session = new RequestSession(adapter, prepared('request'), (r) => (result = r));
  session.onResponse(200, { 'content-type': 'application/json', 'x-request-id': 'req_json' });
  session.onData(Buffer.from(body));
  session.finish({ kind: 'ok', status: 200, headers: {} });
  session.complete({ kind: 'ok', status: 200, headers: {} });
  const response = okOf(got(result));
  t.equal(response.requestId, 'req_json');
  t.same(response.headers, { 'x-request-id': 'req_json' });
  const broken = new RequestSession(adapter, prepared('request'), (r) => (result = r));
  broken.onData(Buffer.from('not json'));
  broken.finish({ kind: 'ok', status: 200, headers: { 'x-request-id': 'req_bad' } });
  broken.complete({ kind: 'ok', status: 200, headers: {} });
  t.match(errOf(got(result)), { category: 'protocol', requestId: 'req_bad' });
  t.match(broken.describeHttpError(500, { 'request-id': 'req_500' }, '', 0), { category: 'server', requestId: 'req_500' });
});

t.test('a provider error that read its own request id from the body keeps it', async (t) => {
  const own: ProviderAdapter = {
    ...adapter,
    mapHttpError: () => ({ category: 'server', message: 'x', retryable: true, requestId: 'from_body' }),
  };
  const session = new StreamSession(own, prepared('stream'), () => {}, () => {});
  t.match(session.describeHttpError(500, { 'x-request-id': 'from_header' }, '', 0), { requestId: 'from_body', headers: { 'x-request-id': 'from_header' } });
});

t.test('the session calls the end hook: a stream without an end marker ends at the end of the body', async (t) => {
  const endless: ProviderAdapter = {
    ...adapter,
    createStreamParser: () =>
      createKitStreamParser(
        { model: 'm', streamName: 'The test stream', endMarker: 'the end of the body' },
        {
          onEvent: (event, stream) => (stream.text('0', event.data), undefined),
          onEnd: (stream) => (stream.finish('stop', 'STOP'), undefined),
        },
      ),
  };
  const events: StreamEvent[] = [];
  let result: Result<ChatResponse, ProviderError> | undefined;
  const session = new StreamSession(endless, prepared('stream'), (e) => events.push(e), (r) => (result = r));
  session.onResponse(200, { 'x-request-id': 'req_end' });
  session.onData(Buffer.from('data: Hello\n\ndata: world\n\n'));
  session.finish({ kind: 'ok', status: 200, headers: {} });
  session.complete({ kind: 'ok', status: 200, headers: {} });
  t.same(events.map((e) => e.type), ['start', 'text_delta', 'text_delta', 'done'], 'done comes after every event');
  t.same(events.at(-1), { type: 'done', finishReason: 'stop', usage: null, rawFinishReason: 'STOP' });
  t.equal(okOf(got(result)).text, 'Helloworld');
  // A transport failure is not an end of stream: no done, the failure is the result.
  const failedEvents: StreamEvent[] = [];
  const failed = new StreamSession(endless, prepared('stream'), (e) => failedEvents.push(e), (r) => (result = r));
  failed.onData(Buffer.from('data: Hello\n\n'));
  failed.finish({ kind: 'failed', error: { category: 'network', message: 'reset', retryable: true } });
  failed.complete({ kind: 'failed', error: { category: 'network', message: 'reset', retryable: true } });
  t.same(failedEvents.map((e) => e.type), ['start', 'text_delta', 'error']);
  t.match(errOf(got(result)), { category: 'network' });
});
