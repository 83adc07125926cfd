import t from 'tap';
import {
  API_KEY_HINT,
  cleanBodySnippet,
  CONTEXT_HINT,
  mapOpenAIHttpError,
  mapOpenAIStreamError,
  QUOTA_HINT,
  readErrorFields,
  redactSecrets,
} from '../../../src/providers/openai/errors.js';
import { hintFor } from '../../../src/errors/hints.js';

const body = (error: Record<string, unknown>): string => JSON.stringify({ error });
const NOW = Date.parse('2026-01-01T00:00:00Z');

t.test('status gives the category when the code says nothing more', async (t) => {
  const cases: ReadonlyArray<[number, string, boolean]> = [
    [400, 'invalid_arg', false],
    [403, 'auth', false],
    [404, 'not_found', false],
    [408, 'timeout', true],
    [409, 'unknown', true],
    [413, 'invalid_arg', false],
    [422, 'invalid_arg', false],
    [429, 'rate_limit', true],
    [500, 'server', true],
    [503, 'server', true],
    [504, 'timeout', true],
    [418, 'unknown', false],
  ];
  for (const [status, category, retryable] of cases) {
    const error = mapOpenAIHttpError(status, {}, body({ message: 'm', type: 'x' }), NOW);
    t.equal(error.category, category, `${status} category`);
    t.equal(error.retryable, retryable, `${status} retryable`);
    t.equal(error.httpStatus, status);
    t.equal(error.hint, hintFor(error.category), `${status} hint`);
  }
  t.equal(mapOpenAIHttpError(403, {}, body({ message: 'Country not supported', code: 'unsupported_country_region_territory' }), NOW).hint, hintFor('auth'), '403 is not about the key');
});

t.test('401 and invalid_api_key say how to set the key', async (t) => {
  const error = mapOpenAIHttpError(401, {}, body({ message: 'Incorrect API key provided: sk-abc***wxyz.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' }), NOW);
  t.same(error, {
    category: 'auth',
    message: 'OpenAI API error (HTTP 401): Incorrect API key provided: sk-[REDACTED].',
    httpStatus: 401,
    providerCode: 'invalid_api_key',
    providerType: 'invalid_request_error',
    retryable: false,
    hint: API_KEY_HINT,
  });
  t.match(API_KEY_HINT, /export OPENAI_API_KEY=/);
  t.equal(mapOpenAIHttpError(400, {}, body({ message: 'bad key', code: 'invalid_api_key' }), NOW).category, 'auth');
  t.equal(mapOpenAIStreamError({ error: { message: 'no', type: 'authentication_error' } }).category, 'auth');
});

t.test('insufficient_quota is a rate limit that retrying will not fix', async (t) => {
  const quota = mapOpenAIHttpError(
    429,
    { 'x-should-retry': 'true', 'retry-after': '3' },
    body({ message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' }),
    NOW,
  );
  t.match(quota, { category: 'rate_limit', retryable: false, providerCode: 'insufficient_quota', hint: QUOTA_HINT, retryAfterMs: 3000 });
  t.match(mapOpenAIHttpError(429, {}, body({ message: 'q', type: 'insufficient_quota' }), NOW), { retryable: false, hint: QUOTA_HINT });
});

t.test('context_length_exceeded stays recognisable', async (t) => {
  const error = mapOpenAIHttpError(
    400,
    {},
    body({ message: "This model's maximum context length is 128000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' }),
    NOW,
  );
  t.match(error, { category: 'invalid_arg', providerCode: 'context_length_exceeded', param: 'messages', retryable: false, hint: CONTEXT_HINT });
});

t.test('content policy codes are content_filter', async (t) => {
  for (const code of ['content_policy_violation', 'content_filter', 'moderation_blocked']) {
    t.equal(mapOpenAIHttpError(400, {}, body({ message: 'no', code }), NOW).category, 'content_filter', code);
  }
  t.equal(mapOpenAIHttpError(400, {}, body({ message: 'no', type: 'content_policy_violation' }), NOW).category, 'content_filter');
  const flagged = body({ message: 'Invalid prompt: your prompt was flagged as potentially violating our usage policy.', code: 'invalid_prompt' });
  t.equal(mapOpenAIHttpError(400, {}, flagged, NOW).category, 'content_filter');
  t.equal(mapOpenAIHttpError(400, {}, body({ message: 'Invalid prompt: too long', code: 'invalid_prompt' }), NOW).category, 'invalid_arg');
  t.equal(mapOpenAIHttpError(400, {}, body({ code: 'invalid_prompt' }), NOW).category, 'invalid_arg', 'no message to read');
});

t.test('codes refine odd statuses', async (t) => {
  t.equal(mapOpenAIHttpError(400, {}, body({ message: 'slow down', code: 'rate_limit_exceeded' }), NOW).category, 'rate_limit');
  t.equal(mapOpenAIHttpError(400, {}, body({ message: 'The model `gpt-9` does not exist', code: 'model_not_found' }), NOW).category, 'not_found');
});

t.test('Retry-After, retry-after-ms and x-should-retry', async (t) => {
  t.equal(mapOpenAIHttpError(429, { 'retry-after-ms': '250' }, '{}', NOW).retryAfterMs, 250);
  t.equal(mapOpenAIHttpError(503, { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, '', NOW).retryAfterMs, 5000);
  t.equal(mapOpenAIHttpError(503, {}, '', NOW).retryAfterMs, undefined);
  t.equal(mapOpenAIHttpError(500, { 'x-should-retry': 'false' }, '', NOW).retryable, false);
  t.equal(mapOpenAIHttpError(400, { 'x-should-retry': 'true' }, '', NOW).retryable, true);
});

t.test('bodies that are not OpenAI JSON', async (t) => {
  const html = '<html><head><title>502 Bad Gateway</title><style>body{color:red}</style><script>var x = "&lt;";</script></head><body><h1>502&nbsp;Bad Gateway</h1><p>nginx &amp; friends &quot;ok&quot; it&#39;s &lt;b&gt;</p></body></html>';
  const error = mapOpenAIHttpError(502, { 'content-type': 'text/html' }, html, NOW);
  t.equal(error.message, 'OpenAI API returned HTTP 502 with a non-JSON body: "502 Bad Gateway 502 Bad Gateway nginx & friends \\"ok\\" it\'s <b>"');
  t.equal(error.category, 'server');
  t.equal(mapOpenAIHttpError(503, {}, '   ', NOW).message, 'OpenAI API returned HTTP 503 with an empty body.');
  t.equal(mapOpenAIHttpError(500, {}, '{"weird":true}', NOW).message, 'OpenAI API returned HTTP 500: "{\\"weird\\":true}"');
  t.equal(mapOpenAIHttpError(500, {}, '[1,2]', NOW).message, 'OpenAI API returned HTTP 500 with a non-JSON body: "[1,2]"');
  const long = cleanBodySnippet('x'.repeat(1000));
  t.equal(long.length, 201, 'cut to 200 characters and an ellipsis');
  t.equal(mapOpenAIHttpError(404, {}, '{"detail":"Not Found"}', NOW, { label: 'OpenAI-compatible server localhost:8000' }).message,
    'OpenAI-compatible server localhost:8000 API error (HTTP 404): Not Found');
  const vllm = mapOpenAIHttpError(400, {}, JSON.stringify({ object: 'error', message: 'max_tokens is too large', type: 'BadRequestError', param: null, code: 400 }), NOW);
  t.match(vllm, { category: 'invalid_arg', providerCode: '400', providerType: 'BadRequestError', message: /max_tokens is too large/ });
  const proxy = mapOpenAIHttpError(401, {}, '{"error":"Unauthorized"}', NOW);
  t.match(proxy, { category: 'auth', message: 'OpenAI API error (HTTP 401): Unauthorized' });
});

t.test('messages never contain the API key', async (t) => {
  const key = 'sk-live-THISisTheSecretKey1234567890';
  const error = mapOpenAIHttpError(
    401,
    {},
    body({ message: `Key ${key} rejected (Bearer abcdefgh12345678, sk-other-key-4242)`, code: key, type: key, param: key }),
    NOW,
    { secrets: [key] },
  );
  const text = JSON.stringify(error);
  t.notMatch(text, /THISisTheSecretKey/);
  t.notMatch(text, /abcdefgh12345678/);
  t.notMatch(text, /other-key-4242/);
  t.match(error.message, /\[REDACTED\]/);
  const html = mapOpenAIHttpError(500, {}, `<p>token=${key}</p>`, NOW, { secrets: [key] });
  t.notMatch(html.message, /THISisTheSecretKey/);
  const stream = mapOpenAIStreamError({ error: { message: `bad ${key}` } }, { secrets: [key] });
  t.notMatch(stream.message, /THISisTheSecretKey/);
  t.equal(redactSecrets('abc', ['']), 'abc', 'an empty secret redacts nothing');
  t.equal(redactSecrets('short abc', ['abc']), 'short abc', 'secrets under 4 characters are not searched for');
});

t.test('in-band stream errors', async (t) => {
  t.same(mapOpenAIStreamError({ error: { message: 'The server had an error', type: 'server_error', param: null, code: null } }), {
    category: 'server',
    message: 'OpenAI reported an error: The server had an error',
    providerType: 'server_error',
    retryable: true,
    hint: hintFor('server'),
  });
  // The Responses `error` event: fields at top level, `type: "error"` is the event's own.
  t.match(mapOpenAIStreamError({ type: 'error', code: 'rate_limit_exceeded', message: 'slow down', param: null, sequence_number: 3 }), {
    category: 'rate_limit',
    providerCode: 'rate_limit_exceeded',
    retryable: true,
  });
  t.notOk('providerType' in mapOpenAIStreamError({ type: 'error', message: 'x' }));
  t.match(mapOpenAIStreamError({ type: 'error', error: { type: 'insufficient_quota', code: 'insufficient_quota', message: 'quota' } }), {
    category: 'rate_limit',
    retryable: false,
  });
  t.match(mapOpenAIStreamError({ code: 'server_error', message: 'boom' }), { category: 'server' });
  t.match(mapOpenAIStreamError({ error: { message: 'bad', type: 'invalid_request_error' } }), { category: 'invalid_arg', retryable: false });
  for (const type of ['rate_limit_error', 'requests', 'tokens']) t.equal(mapOpenAIStreamError({ error: { type } }).category, 'rate_limit');
  t.match(mapOpenAIStreamError({ error: { code: 'weird' } }), { category: 'unknown', message: 'OpenAI reported an error: weird' });
  t.match(mapOpenAIStreamError({}), { category: 'unknown', message: 'OpenAI reported an error: no message' });
  t.match(mapOpenAIStreamError({ error: 'plain text' }, { label: 'Local' }), { message: 'Local reported an error: plain text' });
});

t.test('readErrorFields ignores unusable values', async (t) => {
  t.same(readErrorFields({ error: { message: '', type: null, code: Number.NaN, param: ['x'] } }), {});
  t.same(readErrorFields({ error: { message: 'm', code: 429 } }), { message: 'm', code: '429' });
});
