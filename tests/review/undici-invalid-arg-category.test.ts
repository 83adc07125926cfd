import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import type { RetryInfo } from '../../src/http/types.js';
import { createOpenAIAdapter } from '../../src/providers/openai/adapter.js';
import { EngineProvider } from '../../src/providers/provider.js';
import { pumpUntil } from '../helpers/harness.js';
import { startLoopback } from '../helpers/loopback.js';

/**
 * undici refuses some request headers itself (keep-alive, transfer-encoding, upgrade, a
 * `connection` other than close/keep-alive: InvalidArgumentError, UND_ERR_INVALID_ARG;
 * `expect`: NotSupportedError, UND_ERR_NOT_SUPPORTED). It reports them through
 * onResponseError, synchronously inside dispatch(). networkError() maps every code it does
 * not know to category `network`, retryable — so a request that can never be sent is
 * retried with backoff (maxRetries times) and finally reported as a "network failure
 * talking to <host> (before connecting ...)" instead of an invalid_arg the caller can fix.
 * The OpenAI adapter's header check lets these names through (they are valid tokens).
 */
for (const [name, value, code] of [
  ['keep-alive', 'timeout=5', 'UND_ERR_INVALID_ARG'],
  ['expect', '100-continue', 'UND_ERR_NOT_SUPPORTED'],
] as const) {
  t.test(`an extra header undici refuses (${name}) is an invalid_arg, not a retried network failure`, async (t) => {
    let requests = 0;
    const server = await startLoopback((_req, res) => {
      requests++;
      res.writeHead(500);
      res.end();
    });
    const clock = new VirtualClock();
    const retries: RetryInfo[] = [];
    const provider = new EngineProvider(createOpenAIAdapter({ apiKey: 'sk-test-0000', baseURL: `${server.url}/v1` }), {
      engine: { clock, onRetry: (info) => retries.push(info) },
    });
    const completions: string[] = [];
    const started = provider.startRequest(
      { messages: [{ role: 'user', content: 'hi' }], extraHeaders: { [name]: value } },
      (result) => completions.push(result.isErr() ? `${result.error.category}|${result.error.providerCode ?? ''}|${result.error.message}` : 'ok'),
    );
    t.ok(started.isOk(), 'the adapter accepted the header');
    for (let round = 0; round < 10 && completions.length === 0; round++) {
      const next = provider.timeout();
      if (next > 0) clock.advance(next);
      await pumpUntil(provider, () => completions.length > 0 || provider.timeout() > 0);
    }
    t.equal(requests, 0, 'nothing reached the server');
    t.equal(retries.length, 0, `no retry of a request that cannot be sent (retries: ${retries.length})`);
    t.match(completions[0] ?? '', /^invalid_arg\|/, `category invalid_arg (got ${completions[0]}) [${code}]`);
    await provider.cleanup();
    await server.close();
  });
}
