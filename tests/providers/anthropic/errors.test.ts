import t from 'tap';
import { redactSecrets } from '../../../src/providers/kit/index.js';
import { mapAnthropicHttpError, mapAnthropicStreamError } from '../../../src/providers/anthropic/errors.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const body = (type: string, message: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'error', error: { type, message, ...extra }, request_id: 'req_body' });

t.test('the error body fills the ProviderError, request id included', async (t) => {
  const error = mapAnthropicHttpError(400, {}, body('invalid_request_error', 'max_tokens: field required'), NOW);
  t.equal(error.category, 'invalid_arg');
  t.equal(error.httpStatus, 400);
  t.equal(error.providerType, 'invalid_request_error');
  t.equal(error.retryable, false);
  t.match(error.message, /HTTP 400\): max_tokens: field required \[request req_body\]/);
});

t.test('the request-id header stands in when the body has none', async (t) => {
  const error = mapAnthropicHttpError(500, { 'request-id': 'req_header' }, JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'Internal' } }), NOW);
  t.equal(error.category, 'server');
  t.equal(error.retryable, true);
  t.match(error.message, /\[request req_header\]/);
});

t.test('categories by type and status', async (t) => {
  const cases: [number, string, string, boolean][] = [
    [401, 'authentication_error', 'auth', false],
    [403, 'permission_error', 'auth', false],
    [404, 'not_found_error', 'not_found', false],
    [402, 'billing_error', 'rate_limit', false],
    [429, 'rate_limit_error', 'rate_limit', true],
    [500, 'api_error', 'server', true],
    [504, 'timeout_error', 'timeout', true],
    [529, 'overloaded_error', 'server', true],
    [413, 'request_too_large', 'invalid_arg', false],
    [404, 'invalid_request_error', 'not_found', false],
    [418, 'teapot_error', 'unknown', false],
  ];
  for (const [status, type, category, retryable] of cases) {
    const error = mapAnthropicHttpError(status, {}, body(type, 'x'), NOW);
    t.equal(error.category, category, `${status} ${type}`);
    t.equal(error.retryable, retryable, `${status} ${type} retryable`);
  }
  t.match(mapAnthropicHttpError(401, {}, body('authentication_error', 'invalid x-api-key'), NOW).hint, /ANTHROPIC_API_KEY/);
  t.match(mapAnthropicHttpError(402, {}, body('billing_error', 'credit'), NOW).hint, /Retrying will not help/);
});

t.test('a 429 at the spend limit is not retryable, even with a retry-after', async (t) => {
  const error = mapAnthropicHttpError(429, { 'retry-after': '5', 'x-should-retry': 'true' }, body('rate_limit_error', 'limit', { details: { error_code: 'enforced_spend_limit_reached' } }), NOW);
  t.equal(error.category, 'rate_limit');
  t.equal(error.retryable, false);
  t.equal(error.providerCode, 'enforced_spend_limit_reached');
  t.equal(error.retryAfterMs, 5000);
});

t.test('retry-after and x-should-retry', async (t) => {
  const limited = mapAnthropicHttpError(429, { 'retry-after': '7' }, body('rate_limit_error', 'slow down'), NOW);
  t.equal(limited.retryAfterMs, 7000);
  t.equal(limited.retryable, true);
  t.equal(mapAnthropicHttpError(429, { 'x-should-retry': 'false' }, body('rate_limit_error', 'no'), NOW).retryable, false);
  t.equal(mapAnthropicHttpError(400, { 'x-should-retry': 'true' }, body('invalid_request_error', 'odd'), NOW).retryable, true);
});

t.test('bodies that are not Anthropic JSON are classified by status', async (t) => {
  const proxy = mapAnthropicHttpError(413, {}, '<html><head><style>p{}</style></head><body><h1>413 Request Entity Too Large</h1></body></html>', NOW);
  t.equal(proxy.category, 'invalid_arg');
  t.equal(proxy.providerType, undefined);
  t.match(proxy.message, /HTTP 413\): non-JSON body "413 Request Entity Too Large"/);
  t.match(mapAnthropicHttpError(502, {}, '', NOW).message, /empty body/);
  t.equal(mapAnthropicHttpError(502, {}, '', NOW).category, 'server');
  t.match(mapAnthropicHttpError(500, {}, '{"message":"odd"}', NOW).message, /HTTP 500\): body "\{\\"message\\":\\"odd\\"\}"/);
  t.equal(mapAnthropicHttpError(401, {}, 'nope', NOW).category, 'auth');
});

t.test('keys never appear in messages', async (t) => {
  const error = mapAnthropicHttpError(401, {}, body('authentication_error', 'bad key sk-ant-api03-abcdefgh and my-own-secret'), NOW, ['my-own-secret']);
  t.notMatch(error.message, /abcdefgh|my-own-secret/);
  t.notMatch(redactSecrets('x sk-ant-admin01-zzz y'), /admin01|zzz/);
  t.equal(redactSecrets('short', ['abc']), 'short', 'secrets under 4 characters are not replaced');
});

t.test('in-band stream errors get the category their HTTP status would', async (t) => {
  const overloaded = mapAnthropicStreamError({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  t.equal(overloaded.category, 'server');
  t.equal(overloaded.retryable, true);
  t.equal(overloaded.httpStatus, undefined);
  t.equal(mapAnthropicStreamError({ type: 'error', error: { type: 'invalid_request_error', message: 'bad' } }).category, 'invalid_arg');
  const unknown = mapAnthropicStreamError({ type: 'error' });
  t.equal(unknown.category, 'unknown');
  t.match(unknown.message, /no message/);
  t.match(mapAnthropicStreamError({ type: 'error', error: 'plain text' }).message, /plain text/);
});
