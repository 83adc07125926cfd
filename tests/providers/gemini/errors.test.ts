import t from 'tap';
import {
  GEMINI_KEY_HINT,
  mapGeminiHttpError,
  mapGeminiStreamError,
  parseDuration,
  PER_DAY_HINT,
  PRECONDITION_HINT,
  readGoogleStatus,
  VERTEX_TOKEN_HINT,
} from '../../../src/providers/gemini/errors.js';
import { redactSecrets } from '../../../src/providers/gemini/redact.js';

const KEY = 'AIzaSyDexampleexampleexampleexample12';

const badKey = JSON.stringify({
  error: {
    code: 400,
    message: 'API key not valid. Please pass a valid API key.',
    status: 'INVALID_ARGUMENT',
    details: [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
      { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
    ],
  },
});

function quota(quotaId: string, retryDelay?: string): string {
  return JSON.stringify({
    error: {
      code: 429,
      message: 'You exceeded your current quota, please check your plan and billing details. Please retry in 36.4s.',
      status: 'RESOURCE_EXHAUSTED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId, quotaDimensions: { model: 'gemini-2.5-flash', location: 'global' }, quotaValue: '10' }],
        },
        { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
        ...(retryDelay === undefined ? [] : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }]),
      ],
    },
  });
}

t.test('400 API_KEY_INVALID is auth, not invalid_arg, and says how to set the key', async (t) => {
  const error = mapGeminiHttpError(400, {}, badKey, 0);
  t.equal(error.category, 'auth');
  t.equal(error.retryable, false);
  t.equal(error.providerCode, 'API_KEY_INVALID');
  t.equal(error.providerType, 'INVALID_ARGUMENT');
  t.equal(error.hint, GEMINI_KEY_HINT);
  t.equal(error.message, 'Gemini API error (HTTP 400 INVALID_ARGUMENT): API key not valid. Please pass a valid API key.');
  t.equal(mapGeminiHttpError(401, {}, '{"error":{"code":401,"status":"UNAUTHENTICATED"}}', 0, { label: 'Vertex AI' }).hint, VERTEX_TOKEN_HINT);
  t.equal(mapGeminiHttpError(403, {}, '{"error":{"code":403,"message":"denied","status":"PERMISSION_DENIED"}}', 0).category, 'auth');
});

t.test('a plain 400 INVALID_ARGUMENT stays invalid_arg', async (t) => {
  const error = mapGeminiHttpError(400, {}, '{"error":{"code":400,"message":"Invalid JSON payload received.","status":"INVALID_ARGUMENT"}}', 0);
  t.equal(error.category, 'invalid_arg');
  t.equal(error.retryable, false);
  t.equal(error.providerCode, 'INVALID_ARGUMENT');
});

t.test('429 takes retryAfterMs from RetryInfo; a per-day quota is not retryable', async (t) => {
  const perMinute = mapGeminiHttpError(429, {}, quota('GenerateRequestsPerMinutePerProjectPerModel-FreeTier', '36s'), 0);
  t.equal(perMinute.category, 'rate_limit');
  t.equal(perMinute.retryAfterMs, 36_000);
  t.equal(perMinute.retryable, true);
  const perDay = mapGeminiHttpError(429, {}, quota('GenerateRequestsPerDayPerProjectPerModel-FreeTier', '20s'), 0);
  t.equal(perDay.category, 'rate_limit');
  t.equal(perDay.retryable, false);
  t.equal(perDay.hint, PER_DAY_HINT);
  const fromMessage = mapGeminiHttpError(429, {}, quota('GenerateRequestsPerMinutePerProjectPerModel-FreeTier'), 0);
  t.equal(fromMessage.retryAfterMs, 36_400, "without RetryInfo, the message's 'retry in 36.4s'");
  const fromHeader = mapGeminiHttpError(429, { 'retry-after': '2' }, quota('X'), 0);
  t.equal(fromHeader.retryAfterMs, 2000, 'a Retry-After header beats the message');
});

t.test('503 UNAVAILABLE is a retryable server error; 504 a timeout; 404 not_found', async (t) => {
  const overloaded = mapGeminiHttpError(503, {}, '{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}', 0);
  t.match(overloaded, { category: 'server', retryable: true, httpStatus: 503, providerCode: 'UNAVAILABLE' });
  t.equal(mapGeminiHttpError(504, {}, '{"error":{"code":504,"status":"DEADLINE_EXCEEDED"}}', 0).category, 'timeout');
  t.equal(mapGeminiHttpError(404, {}, '{"error":{"code":404,"message":"models/x is not found","status":"NOT_FOUND"}}', 0).category, 'not_found');
});

t.test('400 FAILED_PRECONDITION says it is billing or region', async (t) => {
  const error = mapGeminiHttpError(400, {}, '{"error":{"code":400,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}}', 0);
  t.equal(error.category, 'invalid_arg');
  t.equal(error.hint, PRECONDITION_HINT);
  t.equal(error.retryable, false);
});

t.test('bodies that are no Status: empty, HTML, an array of one', async (t) => {
  t.equal(mapGeminiHttpError(502, {}, '', 0).message, 'Gemini API returned HTTP 502 with an empty body.');
  const html = mapGeminiHttpError(502, {}, '<html><body><h1>502 Bad Gateway</h1></body></html>', 0);
  t.equal(html.category, 'server');
  t.match(html.message, /HTTP 502: "502 Bad Gateway"/);
  const array = mapGeminiHttpError(429, {}, `[${quota('PerDay', '1s')}]`, 0);
  t.equal(array.retryable, false, 'the array form without alt=sse is read too');
  t.same(readGoogleStatus([]), undefined);
  t.same(readGoogleStatus({ nope: 1 }), undefined);
  t.equal(mapGeminiHttpError(500, {}, '{"error":{}}', 0).message, 'Gemini API error (HTTP 500): no message');
});

t.test('the key never appears in a message', async (t) => {
  const echo = `{"error":{"code":400,"message":"API key ${KEY} not valid","status":"INVALID_ARGUMENT"}}`;
  t.notMatch(mapGeminiHttpError(400, {}, echo, 0, { secrets: [KEY] }).message, KEY);
  t.notMatch(mapGeminiHttpError(400, {}, `not json ${KEY}`, 0).message, KEY);
  t.equal(redactSecrets('x?key=abc&y=1 Bearer ya29.a0AfH6SMBexample ya29.secretsecret'), 'x?key=[REDACTED]&y=1 Bearer [REDACTED] ya29.[REDACTED]');
  t.equal(redactSecrets('short ab', ['ab']), 'short ab', 'secrets under four characters are not hunted');
});

t.test('errors inside a 200 stream', async (t) => {
  const status = readGoogleStatus({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } });
  t.ok(status);
  const error = mapGeminiStreamError(status!);
  t.match(error, { category: 'server', retryable: true, providerCode: 'UNAVAILABLE' });
  t.equal(error.message, 'Gemini reported an error inside the stream (503 UNAVAILABLE): The model is overloaded.');
  t.equal(error.httpStatus, undefined, 'the transfer itself was a 200');
  const bare = mapGeminiStreamError(readGoogleStatus({ error: { message: 'odd' } })!);
  t.match(bare, { category: 'unknown', retryable: false, message: 'Gemini reported an error inside the stream: odd' });
  const limited = mapGeminiStreamError(readGoogleStatus(JSON.parse(quota('PerMinute', '3s')))!);
  t.match(limited, { category: 'rate_limit', retryAfterMs: 3000, retryable: true });
});

t.test('protobuf durations', async (t) => {
  t.equal(parseDuration('36s'), 36_000);
  t.equal(parseDuration('0.5s'), 500);
  t.equal(parseDuration('1m'), undefined);
  t.equal(parseDuration(undefined), undefined);
});
