import t from 'tap';
import { apiKeyHint, optionOrEnv, resolveApiKey, textOption } from '../../../src/providers/kit/env.js';
import { bodyOnlyHttpMessage, cleanBodySnippet } from '../../../src/providers/kit/error-text.js';
import { joinUrl, mergeHeaders, parseBaseURL, requestHeaders, stringifyBody, USER_AGENT } from '../../../src/providers/kit/http.js';
import { asJsonValue, parseJson, tryParseJson, tryParseJsonObject } from '../../../src/providers/kit/json.js';
import { redactSecrets } from '../../../src/providers/kit/secrets.js';
import { assistantBlocks, dataUrl } from '../../../src/providers/kit/index.js';
import { errOf, okOf } from '../openai/helpers.js';

const RULE = { providerName: 'Gemini', envVars: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], factoryName: 'createGemini()', keysUrl: 'https://aistudio.google.com/apikey' };

t.test('every provider key shape is redacted, the most specific first', async (t) => {
  t.equal(redactSecrets('key sk-ant-api03-AbCdEf0123456789 here'), 'key sk-ant-[REDACTED] here');
  t.equal(redactSecrets('key sk-proj-AbCdEf0123456789'), 'key sk-[REDACTED]');
  t.equal(redactSecrets('?key=AIzaSyA1234567890abcdefghijklmnopqrstu'), '?key=AIza[REDACTED]');
  t.equal(redactSecrets('Authorization: Bearer abcdefgh12345678'), 'Authorization: Bearer [REDACTED]');
  t.equal(redactSecrets('my own key xyzzy-1234 leaked', ['xyzzy-1234', 'ab']), 'my own key [REDACTED] leaked');
});

t.test('API keys: option first, then each variable in order; missing and malformed keys say what to set', async (t) => {
  t.equal(okOf(resolveApiKey(' k1 ', { GEMINI_API_KEY: 'k2' }, RULE)), 'k1');
  t.equal(okOf(resolveApiKey('  ', { GEMINI_API_KEY: ' ', GOOGLE_API_KEY: 'k3' }, RULE)), 'k3');
  t.equal(okOf(resolveApiKey(undefined, {}, { ...RULE, required: false })), undefined);
  const missing = errOf(resolveApiKey(undefined, {}, RULE));
  t.match(missing, {
    category: 'auth',
    message: 'No Gemini API key: set the GEMINI_API_KEY or GOOGLE_API_KEY environment variable (export GEMINI_API_KEY=...) or pass { apiKey } to createGemini().',
    hint: apiKeyHint(RULE),
  });
  t.equal(apiKeyHint(RULE), 'Set GEMINI_API_KEY (export GEMINI_API_KEY=...) or pass { apiKey } to createGemini(); keys are at https://aistudio.google.com/apikey.');
  const bad = errOf(resolveApiKey('k\u00e9y', {}, RULE));
  t.match(bad, { category: 'auth', message: /contains spaces, control or non-ASCII/ });
  t.notMatch(bad.message, /k\u00e9y/, 'the key is never echoed');
  t.equal(optionOrEnv(undefined, { A: '', B: 'b' }, ['A', 'B']), 'b');
  t.equal(optionOrEnv(42, {}, []), undefined);
  t.equal(textOption(''), undefined);
});

t.test('base URLs, paths and query', async (t) => {
  t.equal(okOf(parseBaseURL('https://api.anthropic.com', 'Anthropic', 'https://api.anthropic.com')).host, 'api.anthropic.com');
  t.match(errOf(parseBaseURL('ftp://x', 'Anthropic', 'https://api.anthropic.com')), { param: 'baseURL', message: /Invalid Anthropic base URL ftp:\/\/x\/: the scheme/ });
  t.match(errOf(parseBaseURL('sk-secret', 'Anthropic', 'https://api.anthropic.com')), { message: /not an absolute URL \(9 characters/ });
  t.equal(joinUrl('https://h/v1/', '/messages'), 'https://h/v1/messages');
  t.equal(joinUrl('https://h/v1beta?x=1', 'models/m:streamGenerateContent', { alt: 'sse' }), 'https://h/v1beta/models/m:streamGenerateContent?x=1&alt=sse');
});

t.test('headers: merged case-insensitively, checked, with the user agent', async (t) => {
  t.same(okOf(mergeHeaders({ a: '1' }, { A: '2' }, undefined, { 'X-Key': 'v' })), { a: '2', 'x-key': 'v' });
  t.match(errOf(mergeHeaders({}, { 'bad name': 'x' })), { param: 'headers' });
  t.match(errOf(mergeHeaders({}, { ok: 'two\nlines' })), { param: 'headers' });
  t.match(errOf(mergeHeaders({}, { Host: 'x' })), { message: /managed by the HTTP client/ });
  t.same(okOf(requestHeaders(true, { 'x-api-key': 'k' }, { 'anthropic-beta': 'b' })), {
    'content-type': 'application/json',
    accept: 'text/event-stream',
    'user-agent': USER_AGENT,
    'x-api-key': 'k',
    'anthropic-beta': 'b',
  });
  t.equal(okOf(requestHeaders(false, {}, undefined)).accept, 'application/json');
  t.equal(okOf(stringifyBody({ a: 1 })), '{"a":1}');
  t.match(errOf(stringifyBody({ n: 1n })), { category: 'invalid_arg', message: /cannot be written as JSON/ });
});

t.test('JSON helpers and error text', async (t) => {
  t.equal(tryParseJson('nope'), undefined);
  t.same(tryParseJsonObject('{"a":1}'), { a: 1 });
  t.equal(tryParseJsonObject('[1]'), undefined);
  t.match(errOf(parseJson('{', 'The body')), { category: 'protocol', message: 'The body is not valid JSON: "{"' });
  t.equal(asJsonValue(undefined), null);
  t.same(asJsonValue({ a: [1] }), { a: [1] });
  t.equal(cleanBodySnippet('<html><style>x{}</style><b>Bad&nbsp;gateway</b> &amp; more</html>'), 'Bad gateway & more');
  t.equal(bodyOnlyHttpMessage('Anthropic', 502, '  ', false), 'Anthropic API returned HTTP 502 with an empty body.');
  t.equal(bodyOnlyHttpMessage('Anthropic', 502, '<p>down</p>', false), 'Anthropic API returned HTTP 502 with a non-JSON body: "down"');
  t.equal(bodyOnlyHttpMessage('Anthropic', 400, '{"x":1}', true), 'Anthropic API returned HTTP 400: "{\\"x\\":1}"');
});

t.test('assistant turns as blocks, either spelling', async (t) => {
  t.same(assistantBlocks({ role: 'assistant', content: 'Hi', toolCalls: [{ id: 'c', name: 'f', arguments: '{}' }] }), [
    { type: 'text', text: 'Hi' },
    { type: 'tool_call', id: 'c', name: 'f', arguments: '{}' },
  ]);
  t.same(assistantBlocks({ role: 'assistant', content: '' }), []);
  const blocks = [{ type: 'thinking', text: 't', signature: 's' }] as const;
  t.equal(assistantBlocks({ role: 'assistant', content: 'ignored', blocks }), blocks);
  t.equal(dataUrl('image/png', 'AAAA'), 'data:image/png;base64,AAAA');
});
