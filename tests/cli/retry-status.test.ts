// The spinner names the engine's retry backoff: which answer caused it and how long is left.
import t from 'tap';
import { join } from 'node:path';
import { main } from '../../src/cli/run.js';
import { providerError } from '../../src/errors/category.js';
import type { RetryInfo } from '../../src/http/types.js';
import { REPO_ROOT } from '../helpers/repo.js';
import { spinnerProbe } from '../helpers/spinner-probe.js';
import { fakeIo } from './helpers/fake-io.js';

function retry(delayMs: number, error = providerError('rate_limit', { message: 'slow down', httpStatus: 429 })): RetryInfo {
  return { handle: { id: 1 } as unknown as RetryInfo['handle'], url: 'https://api.openai.com/v1/chat/completions', attempt: 2, delayMs, error };
}

t.test('a retry shows in the spinner, counting down, then the label comes back', async (t) => {
  const { status, at } = spinnerProbe('waiting for gpt-test');
  t.match(at(0), /waiting for gpt-test$/);
  status.onRetry(retry(2_000));
  t.match(at(80), /retrying in 2 s after 429$/);
  t.match(at(1_200), /retrying in 1 s after 429$/, 'counts down');
  t.match(at(2_080), /waiting for gpt-test 2s$/, 'the backoff is over');
  status.onRetry(retry(500, providerError('timeout', { message: 'no headers' })));
  t.equal(status.message(), 'retrying in 1 s after timeout', 'no status: the category, and never "0 s"');
  status.clear();
  t.equal(status.message(), undefined);
});

t.test('llmux chat: a 429 then a 200 shows the retry on the terminal', async (t) => {
  const cassette = join(REPO_ROOT, 'vcr-fixtures/openai/chat-429-then-200.jsonl');
  const io = fakeIo({ env: {}, stderrTTY: true });
  t.equal(await main(['chat', '--replay', cassette, '--speed', 'instant', 'Hello!'], io), 0);
  t.match(io.stderr.text, /retrying in 1 s after 429/);
  t.match(io.stdout.text, /\S/, 'the answer after the retry');
});
