import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { HttpMulti } from '../../src/http/multi.js';
import type { RetryInfo, TransferOutcome } from '../../src/http/types.js';
import { outcomeSink } from '../helpers/outcome-sink.js';
import { createOpenAIAdapter } from '../../src/providers/openai/adapter.js';
import { EngineProvider } from '../../src/providers/provider.js';
import { startLoopback } from '../helpers/loopback.js';

/**
 * undici refuses some request headers itself (keep-alive, transfer-encoding, upgrade, a
 * `connection` other than close/keep-alive: UND_ERR_INVALID_ARG; `expect`:
 * UND_ERR_NOT_SUPPORTED), through onResponseError inside dispatch(). Such a request can
 * never be sent: it must end as invalid_arg at once, never be retried as a network failure.
 * The OpenAI adapter refuses these names before they reach the engine.
 */

for (const [name, value, code] of [
  ['keep-alive', 'timeout=5', 'UND_ERR_INVALID_ARG'],
  ['expect', '100-continue', 'UND_ERR_NOT_SUPPORTED'],
] as const) {
  t.test(`a header undici refuses (${name}) is an invalid_arg, not a retried network failure`, async (t) => {
    let requests = 0;
    const server = await startLoopback((_req, res) => {
      requests++;
      res.writeHead(500);
      res.end();
    });
    const provider = new EngineProvider(createOpenAIAdapter({ apiKey: 'sk-test-0000', baseURL: `${server.url}/v1` }));
    const started = provider.startRequest({ messages: [{ role: 'user', content: 'hi' }], extraHeaders: { [name]: value } }, () => undefined);
    t.equal(started.isErr() ? started.error.category : '', 'invalid_arg', 'the adapter refuses it at start');
    await provider.cleanup();

    const retries: RetryInfo[] = [];
    const outcomes: TransferOutcome[] = [];
    const multi = new HttpMulti({ clock: new VirtualClock(), onRetry: (info) => retries.push(info) });
    multi.add({ method: 'POST', url: `${server.url}/v1/x`, headers: { [name]: value }, body: '{}' }, outcomeSink(outcomes));
    for (let turn = 0; turn < 1000 && outcomes.length === 0; turn++) {
      multi.perform();
      multi.infoRead();
      if (outcomes.length === 0) await multi.wait(-1);
    }
    const outcome = outcomes[0];
    t.equal(outcome?.kind === 'failed' ? outcome.error.category : '', 'invalid_arg', `the engine maps ${code}`);
    t.equal(outcome?.kind === 'failed' ? outcome.error.providerCode : '', code);
    t.equal(retries.length, 0, 'never retried');
    t.equal(requests, 0, 'nothing reached the server');
    await multi.close();
    await server.close();
  });
}
