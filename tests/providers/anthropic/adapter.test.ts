import t from 'tap';
import { createAnthropicAdapter } from '../../../src/providers/anthropic/adapter.js';
import { createAnthropic, createProvider } from '../../../src/providers/factory.js';
import type { ChatRequest } from '../../../src/providers/types.js';
import { errOf, okOf } from '../openai/helpers.js';

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hello!' }] };
const KEY = 'test-anthropic-key-0123';

t.test('headers: x-api-key, anthropic-version, and the JSON or SSE accept', async (t) => {
  const prepared = okOf(createAnthropicAdapter({ apiKey: KEY, env: {} }).prepare(hello, 'stream'));
  t.equal(prepared.http.url, 'https://api.anthropic.com/v1/messages');
  t.equal(prepared.http.method, 'POST');
  t.match(prepared.http.headers, { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', accept: 'text/event-stream', 'content-type': 'application/json' });
  t.equal(prepared.model, 'claude-sonnet-4-5');
  t.equal(prepared.api, 'messages');
  t.equal(okOf(createAnthropicAdapter({ apiKey: KEY, env: {} }).prepare(hello, 'request')).http.headers.accept, 'application/json');
});

t.test('the key and base URL come from the environment; options win', async (t) => {
  const env = { ANTHROPIC_API_KEY: ' env-key-456 ', ANTHROPIC_BASE_URL: 'https://gateway.example.com/anthropic/' };
  const prepared = okOf(createAnthropicAdapter({ env }).prepare(hello, 'stream'));
  t.equal(prepared.http.headers['x-api-key'], 'env-key-456');
  t.equal(prepared.http.url, 'https://gateway.example.com/anthropic/v1/messages');
  const given = okOf(createAnthropicAdapter({ env, apiKey: KEY, baseURL: 'http://localhost:9000', defaultModel: 'claude-haiku-4-5' }).prepare(hello, 'stream'));
  t.equal(given.http.headers['x-api-key'], KEY);
  t.equal(given.http.url, 'http://localhost:9000/v1/messages');
  t.equal(given.model, 'claude-haiku-4-5');
});

t.test('a missing key is an auth error naming ANTHROPIC_API_KEY; a gateway may go without', async (t) => {
  const error = errOf(createAnthropicAdapter({ env: {} }).prepare(hello, 'stream'));
  t.equal(error.category, 'auth');
  t.match(error.message, /ANTHROPIC_API_KEY/);
  t.match(error.hint, /createAnthropic\(\)/);
  const gateway = okOf(createAnthropicAdapter({ env: {}, baseURL: 'http://localhost:8080' }).prepare(hello, 'stream'));
  t.notOk('x-api-key' in gateway.http.headers);
  t.equal(errOf(createAnthropicAdapter({ apiKey: 'has space', env: {} }).prepare(hello, 'stream')).category, 'auth');
});

t.test('bad configuration is reported by every prepare', async (t) => {
  t.equal(errOf(createAnthropicAdapter({ apiKey: KEY, baseURL: 'not a url', env: {} }).prepare(hello, 'stream')).param, 'baseURL');
  t.equal(errOf(createAnthropicAdapter({ apiKey: KEY, headers: { 'bad header': 'x' }, env: {} }).prepare(hello, 'stream')).param, 'headers');
  t.match(errOf(createAnthropicAdapter({ apiKey: KEY, api: 'chat', env: {} }).prepare(hello, 'stream')).message, /one API/);
  okOf(createAnthropicAdapter({ apiKey: KEY, api: 'messages', env: {} }).prepare(hello, 'stream'));
  t.equal(errOf(createAnthropicAdapter({ apiKey: KEY, env: {} }).prepare({ ...hello, api: 'responses' }, 'stream')).param, 'api');
});

t.test('anthropic-beta values accumulate from options, headers and the request, never overwritten', async (t) => {
  const adapter = createAnthropicAdapter({
    apiKey: KEY,
    env: {},
    headers: { 'Anthropic-Beta': 'files-api-2025-04-14', 'x-team': 'a' },
    betas: ['context-1m-2025-08-07', 'files-api-2025-04-14'],
  });
  const prepared = okOf(adapter.prepare({ ...hello, extraHeaders: { 'anthropic-beta': 'interleaved-thinking-2025-05-14', 'x-team': 'b' } }, 'stream'));
  t.equal(prepared.http.headers['anthropic-beta'], 'files-api-2025-04-14,context-1m-2025-08-07,interleaved-thinking-2025-05-14');
  t.equal(prepared.http.headers['x-team'], 'b', 'other headers: the later layer wins');
  t.equal(errOf(adapter.prepare({ ...hello, extraHeaders: { host: 'x' } }, 'stream')).param, 'headers');
});

t.test('bad requests: model names, non-objects, bodies that are not JSON', async (t) => {
  const adapter = createAnthropicAdapter({ apiKey: KEY, env: {} });
  t.equal(errOf(adapter.prepare({ ...hello, model: 'has space' }, 'stream')).param, 'model');
  t.equal(errOf(adapter.prepare({ ...hello, model: '' }, 'stream')).param, 'model');
  t.equal(errOf(adapter.prepare(null as unknown as ChatRequest, 'stream')).category, 'invalid_arg');
  t.match(errOf(adapter.prepare({ ...hello, extraBody: { n: 1n } }, 'stream')).message, /cannot be written as JSON/);
  const hostile = { get messages(): never { throw new Error('boom'); } } as unknown as ChatRequest;
  t.match(errOf(adapter.prepare(hostile, 'stream')).message, /malformed: boom/);
});

t.test('the adapter maps errors with the key redacted and parses bodies with the requested model', async (t) => {
  const adapter = createAnthropicAdapter({ apiKey: KEY, env: {} });
  const error = adapter.mapHttpError(401, {}, JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: `bad ${KEY}` } }), 0);
  t.notMatch(error.message, new RegExp(KEY));
  const prepared = okOf(adapter.prepare(hello, 'request'));
  t.equal(okOf(adapter.parseResponse(prepared, JSON.stringify({ content: [{ type: 'text', text: 'hi' }], stop_reason: 'end_turn' }))).model, 'claude-sonnet-4-5');
});

t.test('createAnthropic and createProvider("anthropic") build the same provider', async (t) => {
  const direct = createAnthropic({ apiKey: KEY, env: {} });
  t.equal(direct.name, 'anthropic');
  const byName = okOf(createProvider('anthropic', { apiKey: KEY, env: {}, betas: ['x'] }));
  t.equal(byName.name, 'anthropic');
  const started = createAnthropic({ env: {} }).startStream(hello, () => undefined, () => undefined);
  t.match(started.isErr() ? started.error.message : '', /ANTHROPIC_API_KEY/);
  await direct.cleanup();
  await byName.cleanup();
});
