import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import t from 'tap';
import {
  createOpenAIAdapter,
  endpointUrl,
  LLMUX_VERSION,
  OPENAI_DEFAULT_BASE_URL,
  resolveOpenAIConfig,
  type OpenAIAdapterOptions,
} from '../../../src/providers/openai/adapter.js';
import type { RequestMode } from '../../../src/providers/adapter.js';
import type { ChatRequest } from '../../../src/providers/types.js';
import { errOf, okOf, REPO_ROOT, runParser, sse } from './helpers.js';

const KEY = 'sk-test-abcdefghijklmnop';
const request: ChatRequest = { messages: [{ role: 'user', content: 'Hi' }] };

function prepare(options: OpenAIAdapterOptions, req: ChatRequest = request, mode: RequestMode = 'stream') {
  return createOpenAIAdapter(options).prepare(req, mode);
}

t.test('the adapter names itself', async (t) => {
  const adapter = createOpenAIAdapter({ env: {} });
  t.equal(adapter.name, 'openai');
  t.equal(adapter.displayName, 'OpenAI');
});

t.test('a stream request: URL, headers and body', async (t) => {
  const prepared = okOf(prepare({ apiKey: KEY, env: {} }));
  t.same(prepared, {
    http: {
      method: 'POST',
      url: 'https://api.openai.com/v1/chat/completions',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        'user-agent': `llmux/${LLMUX_VERSION}`,
        authorization: `Bearer ${KEY}`,
      },
      body: '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true}}',
    },
    model: 'gpt-4o-mini',
    api: 'chat',
  });
  const plain = okOf(prepare({ apiKey: KEY, env: {} }, { ...request, model: 'gpt-5' }, 'request'));
  t.equal(plain.http.url, 'https://api.openai.com/v1/responses');
  t.equal(plain.http.headers.accept, 'application/json');
  t.equal(plain.api, 'responses');
  t.equal(plain.http.body, '{"model":"gpt-5","input":[{"role":"user","content":"Hi"}]}');
});

t.test('the user agent version is the package version', async (t) => {
  const pkg = JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  t.equal(LLMUX_VERSION, pkg.version);
});

t.test('the API key: options, then OPENAI_API_KEY; missing is an auth error that says what to do', async (t) => {
  t.equal(okOf(prepare({ env: { OPENAI_API_KEY: KEY } })).http.headers.authorization, `Bearer ${KEY}`);
  t.equal(okOf(prepare({ apiKey: 'sk-option-key-000', env: { OPENAI_API_KEY: KEY } })).http.headers.authorization, 'Bearer sk-option-key-000');
  t.equal(okOf(prepare({ apiKey: '', env: { OPENAI_API_KEY: ` ${KEY}\n` } })).http.headers.authorization, `Bearer ${KEY}`, 'trimmed; empty option ignored');
  const missing = errOf(prepare({ env: {} }));
  t.equal(missing.category, 'auth');
  t.match(missing.message, /export OPENAI_API_KEY=/);
  t.match(missing.message, /apiKey/);
  t.equal(missing.retryable, false);
  t.match(errOf(prepare({ env: { OPENAI_API_KEY: '' } })), { category: 'auth' });
  const bad = errOf(prepare({ apiKey: 'sk-has space-in-it', env: {} }));
  t.match(bad, { category: 'auth', message: /spaces, control or non-ASCII/ });
  t.notMatch(bad.message, /has space/, 'the key is not echoed');
  t.match(errOf(prepare({ apiKey: 'sk-ключ', env: {} })), { category: 'auth' });
  t.match(errOf(prepare({ apiKey: '   ', env: {} })), { category: 'auth', message: /No OpenAI API key/ }, 'blank is missing');
  const wrongTypes = { apiKey: 42, baseURL: 7, organization: {}, env: { OPENAI_API_KEY: KEY } } as unknown as OpenAIAdapterOptions;
  t.same(okOf(prepare(wrongTypes)).http.headers.authorization, `Bearer ${KEY}`, 'non-string options are ignored, not thrown on');
});

t.test('process.env is the default environment', async (t) => {
  const saved = process.env.OPENAI_API_KEY;
  process.env.OPENAI_API_KEY = 'sk-from-process-env-123';
  try {
    t.equal(okOf(createOpenAIAdapter().prepare(request, 'stream')).http.headers.authorization, 'Bearer sk-from-process-env-123');
  } finally {
    if (saved === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = saved;
  }
});

t.test('other servers need no key', async (t) => {
  const local = okOf(prepare({ baseURL: 'http://localhost:11434/v1', env: {} }, { ...request, model: 'llama3.1:8b' }));
  t.equal(local.http.url, 'http://localhost:11434/v1/chat/completions');
  t.notOk('authorization' in local.http.headers);
  const fromEnv = okOf(prepare({ env: { OPENAI_BASE_URL: 'https://openrouter.ai/api/v1/' } }));
  t.equal(fromEnv.http.url, 'https://openrouter.ai/api/v1/chat/completions');
  t.equal(okOf(prepare({ env: { OPENAI_BASE_URL: '' , OPENAI_API_KEY: KEY } })).http.url, 'https://api.openai.com/v1/chat/completions');
});

t.test('bad base URLs are invalid_arg', async (t) => {
  for (const [baseURL, why] of [
    ['not a url', /not an absolute URL/],
    ['/v1', /not an absolute URL/],
    ['ftp://example.com/v1', /scheme must be http or https, not ftp:/],
    ['https://user:pass@example.com/v1', /credentials/],
  ] as const) {
    const error = errOf(prepare({ baseURL, apiKey: KEY, env: {} }));
    t.equal(error.category, 'invalid_arg', baseURL);
    t.equal(error.param, 'baseURL');
    t.match(error.message, why);
    t.match(error.hint, /http/);
  }
  t.match(errOf(resolveOpenAIConfig({ baseURL: 'nope', env: {} })), { category: 'invalid_arg' });
});

t.test('endpoint URLs keep paths and queries', async (t) => {
  t.equal(endpointUrl(OPENAI_DEFAULT_BASE_URL, 'chat'), 'https://api.openai.com/v1/chat/completions');
  t.equal(endpointUrl('https://api.openai.com/v1///', 'responses'), 'https://api.openai.com/v1/responses');
  t.equal(endpointUrl('http://127.0.0.1:8080', 'chat'), 'http://127.0.0.1:8080/chat/completions');
  t.equal(
    endpointUrl('https://x.openai.azure.com/openai/v1?api-version=preview', 'responses'),
    'https://x.openai.azure.com/openai/v1/responses?api-version=preview',
  );
});

t.test('organization, project and extra headers', async (t) => {
  const fromEnv = okOf(prepare({ env: { OPENAI_API_KEY: KEY, OPENAI_ORG_ID: 'org-env', OPENAI_PROJECT_ID: 'proj_env' } }));
  t.equal(fromEnv.http.headers['openai-organization'], 'org-env');
  t.equal(fromEnv.http.headers['openai-project'], 'proj_env');
  const options: OpenAIAdapterOptions = {
    apiKey: KEY,
    organization: 'org-opt',
    project: 'proj_opt',
    headers: { 'X-Team': 'search', 'User-Agent': 'my-app/2.0' },
    env: { OPENAI_ORG_ID: 'org-env' },
  };
  const prepared = okOf(prepare(options, { ...request, extraHeaders: { 'x-team': 'ranking', 'Idempotency-Key': 'abc' } }));
  t.same(prepared.http.headers, {
    'content-type': 'application/json',
    accept: 'text/event-stream',
    'user-agent': 'my-app/2.0',
    authorization: `Bearer ${KEY}`,
    'openai-organization': 'org-opt',
    'openai-project': 'proj_opt',
    'x-team': 'ranking',
    'idempotency-key': 'abc',
  });
  t.match(errOf(prepare({ apiKey: KEY, env: {}, headers: { 'bad header': 'x' } })), { category: 'invalid_arg', param: 'headers' });
  t.match(errOf(prepare({ apiKey: KEY, env: {} }, { ...request, extraHeaders: { 'x-a': 'line\r\nInjected: 1' } })), {
    category: 'invalid_arg',
    message: /Invalid HTTP header "x-a"/,
  });
  t.match(errOf(prepare({ apiKey: KEY, env: {} }, { ...request, extraHeaders: { 'Transfer-Encoding': 'chunked' } })), {
    category: 'invalid_arg',
    message: /"Transfer-Encoding" is managed by the HTTP client/,
  });
  const notString = { 'x-n': 5 } as unknown as Record<string, string>;
  t.match(errOf(prepare({ apiKey: KEY, env: {}, headers: notString })), { category: 'invalid_arg' });
});

t.test('model and api choice', async (t) => {
  t.equal(okOf(prepare({ apiKey: KEY, env: {}, defaultModel: 'gpt-4.1' })).model, 'gpt-4.1');
  t.equal(okOf(prepare({ apiKey: KEY, env: {}, api: 'responses' })).api, 'responses');
  t.equal(okOf(prepare({ apiKey: KEY, env: {}, api: 'responses' }, { ...request, api: 'chat' })).api, 'chat');
  t.match(errOf(prepare({ apiKey: KEY, env: {} }, { ...request, model: 'gpt 4o' })), { category: 'invalid_arg', param: 'model' });
  t.match(errOf(prepare({ apiKey: KEY, env: {} }, { ...request, api: 'assistants' })), { category: 'invalid_arg', param: 'api' });
  const badOption = { apiKey: KEY, env: {}, api: 'completions' } as unknown as OpenAIAdapterOptions;
  t.match(errOf(prepare(badOption)), { category: 'invalid_arg', param: 'api', message: /Unknown OpenAI api option "completions"/ });
  t.match(errOf(prepare({ apiKey: KEY, env: {} }, { ...request, api: 'responses', seed: 1 })), { category: 'invalid_arg', param: 'seed' });
});

t.test('prepare never throws, whatever it is given', async (t) => {
  const adapter = createOpenAIAdapter({ apiKey: KEY, env: {} });
  for (const bad of [null, undefined, 42, 'hi']) {
    t.match(errOf(adapter.prepare(bad as unknown as ChatRequest, 'stream')), { category: 'invalid_arg', message: /must be an object/ });
  }
  const badContent = { messages: [{ role: 'user', content: 5 }] } as unknown as ChatRequest;
  t.match(errOf(adapter.prepare(badContent, 'stream')), { category: 'invalid_arg', message: /The request is malformed/ });
  const thrower = {
    get messages(): never {
      throw 'not even an Error';
    },
  } as unknown as ChatRequest;
  t.match(errOf(adapter.prepare(thrower, 'stream')), { category: 'invalid_arg', message: 'The request is malformed: not even an Error.' });
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  t.match(errOf(adapter.prepare({ ...request, extraBody: { cyclic } }, 'stream')), {
    category: 'invalid_arg',
    message: /cannot be written as JSON/,
  });
  t.match(errOf(adapter.prepare({ ...request, extraBody: { n: 10n } }, 'stream')), { message: /BigInt/ });
  const weirdThrow = {
    ...request,
    extraBody: {
      toJSON(): never {
        throw 7;
      },
    },
  };
  t.match(errOf(adapter.prepare(weirdThrow, 'stream')), { message: /\(7\)/ });
});

t.test('stream parsers and response parsers follow the prepared api', async (t) => {
  const adapter = createOpenAIAdapter({ apiKey: KEY, env: {} });
  const chat = okOf(adapter.prepare(request, 'stream'));
  const chatRun = runParser(adapter.createStreamParser(chat), [
    sse('{"model":"gpt-x","choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}'),
    sse('[DONE]'),
  ]);
  t.equal(okOf(chatRun.result).text, 'ok');
  const responses = okOf(adapter.prepare({ ...request, api: 'responses' }, 'stream'));
  const responsesRun = runParser(adapter.createStreamParser(responses), [
    sse('{"type":"response.output_text.delta","output_index":0,"delta":"ok"}'),
    sse('{"type":"response.completed","response":{"status":"completed"}}'),
  ]);
  t.equal(okOf(responsesRun.result).text, 'ok');
  t.equal(okOf(responsesRun.result).model, 'gpt-4o-mini', 'the requested model when the stream names none');
  t.equal(okOf(adapter.parseResponse(chat, '{"choices":[{"message":{"content":"c"}}]}')).text, 'c');
  t.equal(okOf(adapter.parseResponse(responses, '{"output":[{"type":"message","content":[{"type":"output_text","text":"r"}]}]}')).text, 'r');
});

t.test('mapHttpError names the server and redacts the key', async (t) => {
  const key = 'sk-proj-SECRETSECRETSECRET1234';
  const openai = createOpenAIAdapter({ apiKey: key, env: {} });
  const error = openai.mapHttpError(401, {}, JSON.stringify({ error: { message: `Incorrect API key provided: ${key}`, code: 'invalid_api_key' } }), 0);
  t.notMatch(error.message, /SECRET/);
  t.match(error.message, /^OpenAI API error \(HTTP 401\)/);
  const local = createOpenAIAdapter({ baseURL: 'http://localhost:8000/v1', apiKey: 'local-token-123456', env: {} });
  const localError = local.mapHttpError(500, {}, 'token local-token-123456 broke', 0);
  t.equal(localError.message, 'OpenAI-compatible server localhost:8000 API returned HTTP 500 with a non-JSON body: "token [REDACTED] broke"');
  const stream = local.createStreamParser(okOf(local.prepare({ ...request, model: 'm' }, 'stream')));
  const run = runParser(stream, [sse('{"error":{"message":"local-token-123456 expired"}}')]);
  t.match(errOf(run.result), { message: 'OpenAI-compatible server localhost:8000 reported an error: [REDACTED] expired' });
  const broken = createOpenAIAdapter({ baseURL: '::', env: {} });
  t.equal(broken.mapHttpError(500, {}, '', 0).message, 'OpenAI API returned HTTP 500 with an empty body.', 'a broken config still maps errors');
});
