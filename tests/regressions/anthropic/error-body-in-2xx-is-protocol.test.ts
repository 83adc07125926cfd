import t from 'tap';
import { parseAnthropicResponse } from '../../../src/providers/anthropic/response.js';
import { errOf } from '../../providers/openai/helpers.js';

/**
 * A non-streaming 2xx body that is Anthropic's error object (`{"type":"error","error":{...}}`,
 * as a gateway relays an upstream failure) was always a `protocol` error: an
 * `overloaded_error` lost its retryable `server` category, a `rate_limit_error` its
 * `rate_limit`, and the request id and error type were dropped. The stream parser maps the
 * same object (an in-band `error` event) by its type; the body is mapped the same way now.
 */

t.test('an overloaded_error body is a retryable server error with its request id', async (t) => {
  const body = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_42"}';
  const error = errOf(parseAnthropicResponse(body, 'm'));
  t.equal(error.category, 'server');
  t.equal(error.retryable, true);
  t.equal(error.requestId, 'req_42');
  t.equal(error.providerType, 'overloaded_error');
  t.match(error.message, /Overloaded/);
});

t.test('a rate_limit_error body is a rate_limit error', async (t) => {
  const body = '{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}';
  t.equal(errOf(parseAnthropicResponse(body, 'm')).category, 'rate_limit');
});

t.test('a key in the message is redacted', async (t) => {
  const body = '{"type":"error","error":{"type":"authentication_error","message":"bad key gw-secret-token-1234"}}';
  const error = errOf(parseAnthropicResponse(body, 'm', ['gw-secret-token-1234']));
  t.equal(error.category, 'auth');
  t.notMatch(error.message, 'gw-secret-token-1234');
});
