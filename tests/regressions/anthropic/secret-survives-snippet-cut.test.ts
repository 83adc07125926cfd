import t from 'tap';
import { mapAnthropicHttpError } from '../../../src/providers/anthropic/errors.js';

/**
 * mapAnthropicHttpError cut the body snippet (200 characters of a non-JSON page, 120 of JSON
 * without a message) before redacting: a key in use that straddles the cut was no longer
 * whole, so the exact-secret redaction missed it and its first characters reached the
 * error message. A gateway token (`secrets`, not shaped like an `sk-ant-` key) leaked its
 * prefix. The whole body is redacted first, then cut, as the kit's redactSecrets asks.
 */

const SECRET = 'gwtok_0123456789abcdefghij';

t.test('a key crossing the cut of a non-JSON body leaves no prefix in the message', async (t) => {
  const body = `<html><body>${'A'.repeat(190)} ${SECRET} more</body></html>`;
  const error = mapAnthropicHttpError(502, {}, body, 0, [SECRET]);
  t.notMatch(error.message, SECRET.slice(0, 6), 'no part of the key');
  t.match(error.message, /HTTP 502/);
});

t.test('a key crossing the cut of a JSON body without a message leaves no prefix', async (t) => {
  const body = JSON.stringify({ detail: `${'B'.repeat(100)} ${SECRET}` });
  const error = mapAnthropicHttpError(500, {}, body, 0, [SECRET]);
  t.notMatch(error.message, SECRET.slice(0, 6), 'no part of the key');
});
