import t from 'tap';
import { createGeminiAdapter } from '../../../src/providers/gemini/adapter.js';
import { GEMINI_DEFAULT_BASE_URL, resolveGeminiConfig, vertexBaseURL } from '../../../src/providers/gemini/config.js';
import { createProvider, createGemini } from '../../../src/providers/factory.js';
import { providerDefinition } from '../../../src/providers/registry.js';
import type { ChatRequest } from '../../../src/providers/types.js';

const KEY = 'AIzaSyTEST-adapter-key-000000000000000';
const hello: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };

function prepare(options: Parameters<typeof createGeminiAdapter>[0], request: ChatRequest = hello, mode: 'stream' | 'request' = 'stream') {
  return createGeminiAdapter({ env: {}, ...options }).prepare(request, mode);
}

t.test('the key goes in x-goog-api-key, never in the URL', async (t) => {
  const stream = prepare({ apiKey: KEY })._unsafeUnwrap();
  t.equal(stream.http.url, `${GEMINI_DEFAULT_BASE_URL}/models/gemini-2.5-flash:streamGenerateContent?alt=sse`);
  t.equal(stream.http.headers?.['x-goog-api-key'], KEY);
  t.equal(stream.http.headers?.accept, 'text/event-stream');
  t.notMatch(stream.http.url, KEY);
  const plain = prepare({ apiKey: KEY }, { ...hello, model: 'models/gemini-2.5-pro' }, 'request')._unsafeUnwrap();
  t.equal(plain.http.url, `${GEMINI_DEFAULT_BASE_URL}/models/gemini-2.5-pro:generateContent`);
  t.equal(plain.model, 'gemini-2.5-pro');
  t.equal(plain.api, 'generateContent');
});

t.test('keys from GEMINI_API_KEY, then GOOGLE_API_KEY; a missing one says how to set it', async (t) => {
  t.equal(createGeminiAdapter({ env: { GEMINI_API_KEY: 'AIza-one', GOOGLE_API_KEY: 'AIza-two' } }).prepare(hello, 'stream')._unsafeUnwrap().http.headers?.['x-goog-api-key'], 'AIza-one');
  t.equal(createGeminiAdapter({ env: { GOOGLE_API_KEY: 'AIza-two' } }).prepare(hello, 'stream')._unsafeUnwrap().http.headers?.['x-goog-api-key'], 'AIza-two');
  const missing = prepare({})._unsafeUnwrapErr();
  t.equal(missing.category, 'auth');
  t.match(missing.message, /GEMINI_API_KEY or GOOGLE_API_KEY/);
  t.match(missing.hint, /createGemini\(\)/);
  t.equal(prepare({ apiKey: 'bad key' })._unsafeUnwrapErr().category, 'auth');
  t.ok(prepare({ baseURL: 'http://localhost:8080/v1beta' }).isOk(), 'a proxy may need no key');
});

t.test('options that are wrong come back from every prepare', async (t) => {
  t.match(prepare({ apiKey: KEY, api: 'chat' })._unsafeUnwrapErr(), { category: 'invalid_arg', param: 'api' });
  t.match(prepare({ apiKey: KEY }, { ...hello, api: 'responses' })._unsafeUnwrapErr(), { category: 'invalid_arg', param: 'api' });
  t.match(prepare({ apiKey: KEY, baseURL: 'ftp://x' })._unsafeUnwrapErr(), { category: 'invalid_arg', param: 'baseURL' });
  t.match(prepare({ apiKey: KEY, headers: { 'bad header': 'x' } })._unsafeUnwrapErr(), { category: 'invalid_arg', param: 'headers' });
  t.match(prepare({ apiKey: KEY }, { ...hello, model: 'a/b' })._unsafeUnwrapErr(), { category: 'invalid_arg', param: 'model' });
  t.match(prepare({ apiKey: KEY }, null as unknown as ChatRequest)._unsafeUnwrapErr(), { category: 'invalid_arg' });
  t.match(prepare({ apiKey: KEY }, { messages: [] })._unsafeUnwrapErr(), { category: 'invalid_arg', param: 'messages' });
  t.match(prepare({ apiKey: KEY }, { ...hello, extraHeaders: { host: 'x' } })._unsafeUnwrapErr(), { category: 'invalid_arg' });
  t.match(prepare({ apiKey: KEY }, { ...hello, extraBody: { big: 10n } as unknown as Record<string, unknown> })._unsafeUnwrapErr(), { category: 'invalid_arg' });
  const hostile = { get messages(): never { throw new Error('boom'); } } as unknown as ChatRequest;
  t.match(prepare({ apiKey: KEY }, hostile)._unsafeUnwrapErr(), { category: 'invalid_arg', message: /boom/ });
  t.equal(prepare({ apiKey: KEY, defaultModel: 'gemini-2.0-flash' })._unsafeUnwrap().model, 'gemini-2.0-flash');
});

t.test('Vertex AI: the project URL and a caller-supplied token', async (t) => {
  t.equal(vertexBaseURL('p', 'global'), 'https://aiplatform.googleapis.com/v1beta1/projects/p/locations/global/publishers/google');
  const token = prepare({ vertex: { project: 'my-proj', location: 'europe-west4', accessToken: 'ya29.token' } })._unsafeUnwrap();
  t.equal(token.http.url, 'https://europe-west4-aiplatform.googleapis.com/v1beta1/projects/my-proj/locations/europe-west4/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
  t.equal(token.http.headers?.authorization, 'Bearer ya29.token');
  t.notOk(token.http.headers?.['x-goog-api-key']);
  let calls = 0;
  const refreshing = createGeminiAdapter({ env: {}, vertex: { project: 'p', location: 'global', accessToken: () => `ya29.fresh-${++calls}` } });
  t.equal(refreshing.prepare(hello, 'stream')._unsafeUnwrap().http.headers?.authorization, 'Bearer ya29.fresh-1');
  t.equal(refreshing.prepare(hello, 'stream')._unsafeUnwrap().http.headers?.authorization, 'Bearer ya29.fresh-2', 'the function is asked per request');
  t.equal(refreshing.displayName, 'Vertex AI');
  const express = prepare({ apiKey: KEY, vertex: { project: 'p', location: 'us-central1' } })._unsafeUnwrap();
  t.equal(express.http.headers?.['x-goog-api-key'], KEY, 'express mode: a key instead of a token');
  t.match(prepare({ vertex: { project: 'p', location: 'us-central1' }, env: { GEMINI_API_KEY: KEY } })._unsafeUnwrapErr(), { category: 'auth', message: /Vertex AI needs credentials/ });
  t.match(prepare({ vertex: { project: '', location: 'x' } })._unsafeUnwrapErr(), { param: 'vertex.project' });
  t.match(prepare({ vertex: { project: 'p', location: 'Bad Place' } })._unsafeUnwrapErr(), { param: 'vertex.location' });
  for (const [accessToken, why] of [
    [() => { throw new Error('expired'); }, /threw: expired/],
    [() => '  ', /empty/],
    [() => undefined, /empty/],
    ['bad token', /spaces, control/],
  ] as const) {
    t.match(prepare({ vertex: { project: 'p', location: 'global', accessToken } })._unsafeUnwrapErr(), { category: 'auth', message: why });
  }
  t.same(resolveGeminiConfig({ vertex: { project: 'p', location: 'global', accessToken: 'ya29.x' }, env: {} })._unsafeUnwrap().errorContext.secrets, ['ya29.x']);
});

t.test('the registry and createGemini', async (t) => {
  t.equal(providerDefinition('gemini')?.displayName, 'Gemini');
  const provider = createProvider('gemini', { apiKey: KEY });
  t.ok(provider.isOk());
  t.equal(provider._unsafeUnwrap().name, 'gemini');
  await provider._unsafeUnwrap().cleanup();
  const direct = createGemini({ apiKey: KEY });
  t.equal(direct.name, 'gemini');
  await direct.cleanup();
  const adapter = createGeminiAdapter({ apiKey: KEY, env: {} });
  const error = adapter.mapHttpError(400, {}, `{"error":{"code":400,"message":"bad ${KEY}","status":"INVALID_ARGUMENT"}}`, 0);
  t.notMatch(error.message, KEY, 'the key in use is redacted from messages');
});
