import t from 'tap';
import { createOpenAIAdapter } from '../../../src/providers/openai/adapter.js';

/**
 * mapOpenAIHttpError (errors.ts) redacts *after* truncating: httpMessage() cuts a body
 * without a usable `message` to 200 characters (cleanBodySnippet / snippet, adding "…"),
 * then redactSecrets() looks for the exact key. When the key straddles the cut, the exact
 * key is no longer there and only `sk-`-shaped keys are caught by the pattern, so any other
 * key (Groq `gsk_…`, Azure hex keys, gateway tokens) leaks up to the cut. Here 22
 * characters of the key reach the message. Fix: run redactSecrets on the body before
 * snippeting (and again after), or drop the snippet when it would end inside a secret.
 */
const key = 'gsk_Q7wErTyUiOpAsDfGhJkLzXcVbNm1234567890abcdefghijklmn';
const adapter = createOpenAIAdapter({ baseURL: 'https://gw.example.com/v1', apiKey: key, env: {} });
const padding = 'x'.repeat(150);

t.test('HTML error page echoing the key across the snippet cut', async (t) => {
  const body = `<html><body><h1>401 Unauthorized</h1><p>${padding} token ${key} rejected</p></body></html>`;
  const error = adapter.mapHttpError(401, {}, body, 0);
  t.notMatch(error.message, /gsk_Q7wErTy/, error.message);
});

t.test('JSON error without a message field, key across the snippet cut', async (t) => {
  const body = JSON.stringify({ status: 401, reason: `${padding} token ${key} rejected` });
  const error = adapter.mapHttpError(401, {}, body, 0);
  t.notMatch(error.message, /gsk_Q7wErTy/, error.message);
});

t.test('control: a whole key is redacted when it fits', async (t) => {
  const error = adapter.mapHttpError(401, {}, `<p>token ${key} rejected</p>`, 0);
  t.notMatch(error.message, /gsk_Q7wErTy/, error.message);
});
