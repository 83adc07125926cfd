import t from 'tap';
import { providerError, withAttempts, type ErrorCategory, type TimeoutPhase } from '../../src/errors/category.js';
import { categoryForStatus, classifyNetworkCode, isRetryableStatus } from '../../src/errors/http-status.js';
import { hintFor } from '../../src/errors/hints.js';
import { headerValue, parseRetryAfter, parseShouldRetry } from '../../src/http/headers.js';

t.test('HTTP statuses map to categories by the documented table', async (t) => {
  const table: [number, ErrorCategory][] = [
    [400, 'invalid_arg'], [413, 'invalid_arg'], [422, 'invalid_arg'],
    [401, 'auth'], [403, 'auth'], [404, 'not_found'],
    [408, 'timeout'], [504, 'timeout'], [429, 'rate_limit'],
    [500, 'server'], [502, 'server'], [503, 'server'], [529, 'server'], [599, 'server'],
    [409, 'unknown'], [418, 'unknown'], [302, 'unknown'],
  ];
  for (const [status, category] of table) t.equal(categoryForStatus(status), category, `${status}`);
});

t.test('retryable statuses', async (t) => {
  t.same([408, 409, 429, 500, 503, 599].map(isRetryableStatus), [true, true, true, true, true, true]);
  t.same([400, 401, 404, 422, 600].map(isRetryableStatus), [false, false, false, false, false]);
});

t.test('network codes map to categories with a human description', async (t) => {
  t.same(classifyNetworkCode('ECONNREFUSED'), { category: 'network', what: 'connection refused' });
  t.equal(classifyNetworkCode('ENOTFOUND').what, 'host name not found (DNS)');
  t.equal(classifyNetworkCode('UND_ERR_CONNECT_TIMEOUT').category, 'timeout');
  t.equal(classifyNetworkCode('UND_ERR_SOCKET').category, 'network');
  t.equal(classifyNetworkCode('ERR_TLS_SOMETHING_NEW').what, 'TLS failure');
  t.equal(classifyNetworkCode('ERR_SSL_ODD').what, 'TLS failure');
  t.equal(classifyNetworkCode('EWHATEVER').what, 'network failure');
  t.equal(classifyNetworkCode(undefined).category, 'network');
  t.equal(classifyNetworkCode('UND_ERR_INVALID_ARG').retryable, false, 'a request the client refused is never retried');
  t.equal(classifyNetworkCode('UND_ERR_ABORTED').category, 'cancelled');
});

t.test('Retry-After in its three forms', async (t) => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  t.equal(parseRetryAfter({ 'retry-after-ms': '1500' }, now), 1500);
  t.equal(parseRetryAfter({ 'retry-after-ms': 'soon', 'retry-after': '3' }, now), 3000, 'bad ms falls back to seconds');
  t.equal(parseRetryAfter({ 'retry-after': '2' }, now), 2000);
  t.equal(parseRetryAfter({ 'retry-after': '0.5' }, now), 500);
  t.equal(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }, now), 7000);
  t.equal(parseRetryAfter({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, now), 0, 'a past date means now');
  t.equal(parseRetryAfter({ 'retry-after': 'whenever' }, now), undefined);
  t.equal(parseRetryAfter({}, now), undefined);
  t.equal(headerValue({ a: ['1', '2'] }, 'a'), '1', 'the first of repeated headers');
});

t.test('x-should-retry', async (t) => {
  t.equal(parseShouldRetry({ 'x-should-retry': 'true' }), true);
  t.equal(parseShouldRetry({ 'x-should-retry': 'false' }), false);
  t.equal(parseShouldRetry({ 'x-should-retry': 'maybe' }), undefined);
});

t.test('providerError keeps only what was given and defaults retryable by category', async (t) => {
  t.same(providerError('rate_limit', { message: 'm' }), { category: 'rate_limit', message: 'm', retryable: true });
  t.same(providerError('auth', { message: 'm' }), { category: 'auth', message: 'm', retryable: false });
  const full = providerError('timeout', {
    message: 'm', httpStatus: 504, providerCode: 'c', providerType: 'ty', param: 'p',
    retryAfterMs: 5, retryable: false, phase: 'idle', hint: 'h', attempts: 2,
  });
  t.same(Object.keys(full).sort(), ['attempts', 'category', 'hint', 'httpStatus', 'message', 'param', 'phase', 'providerCode', 'providerType', 'retryAfterMs', 'retryable']);
  t.equal(withAttempts(full, 3).attempts, 3);
});

t.test('every category and timeout phase has an actionable hint', async (t) => {
  const categories: ErrorCategory[] = ['auth', 'rate_limit', 'invalid_arg', 'not_found', 'server', 'timeout', 'content_filter', 'network', 'cancelled', 'protocol', 'unknown'];
  const hints = new Set(categories.map((category) => hintFor(category)));
  t.equal(hints.size, categories.length, 'each category says something different');
  const phases: (TimeoutPhase | undefined)[] = ['connect', 'headers', 'idle', 'total', undefined];
  t.equal(new Set(phases.map((phase) => hintFor('timeout', phase))).size, phases.length);
});
