import t from 'tap';
import { createOpenAIAdapter } from '../../../src/providers/openai/adapter.js';

/**
 * ProviderError.message "never contains an API key" (src/errors/category.ts; DESIGN 6 and
 * the brief). parseBaseURL (adapter.ts) builds every rejection as
 * `Invalid OpenAI base URL ${JSON.stringify(raw)}: ...` with no redaction, so:
 *  - a URL with credentials (`https://user:sk-...@proxy/v1`) is refused *because* it holds
 *    a secret, and the refusal prints that secret;
 *  - a key pasted into OPENAI_BASE_URL (swapped variables) is printed whole as "not an
 *    absolute URL".
 * Fix: never echo userinfo (print `url.host`/`url.pathname`, or `redactSecrets(raw)` with
 * userinfo stripped), and pass the "not an absolute URL" text through redactSecrets.
 */
const request = { messages: [{ role: 'user' as const, content: 'hi' }] };

t.test('credentials in the base URL are not echoed in the error', async (t) => {
  const adapter = createOpenAIAdapter({ baseURL: 'https://me:sk-proj-TOPSECRETKEY123@proxy.example.com/v1', env: {} });
  const result = adapter.prepare(request, 'stream');
  t.ok(result.isErr(), 'refused');
  if (result.isErr()) {
    const text = JSON.stringify(result.error);
    t.notMatch(text, /TOPSECRETKEY123/, `error: ${result.error.message}`);
  }
});

t.test('a password that is not sk- shaped is not echoed either', async (t) => {
  const adapter = createOpenAIAdapter({ baseURL: 'https://svc:Zq8hunter2Passw0rd@llm-gateway.internal/v1', env: {} });
  const result = adapter.prepare(request, 'stream');
  t.ok(result.isErr(), 'refused');
  if (result.isErr()) t.notMatch(JSON.stringify(result.error), /Zq8hunter2Passw0rd/, result.error.message);
});

t.test('an API key put in OPENAI_BASE_URL by mistake is not echoed', async (t) => {
  const adapter = createOpenAIAdapter({
    env: { OPENAI_BASE_URL: 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', OPENAI_API_KEY: 'sk-proj-other' },
  });
  const result = adapter.prepare(request, 'stream');
  t.ok(result.isErr(), 'refused');
  if (result.isErr()) t.notMatch(JSON.stringify(result.error), /AbCdEfGhIjKlMnOpQrStUvWxYz/, result.error.message);
});
