// `llmux chat --provider gemini`: through the registry, replaying Gemini cassettes with no key
// and no network; the key variables are the ones the messages name.
import { join } from 'node:path';
import t from 'tap';
import { packageRoot } from '../../src/cli/paths.js';
import { main } from '../../src/cli/run.js';
import { fakeIo } from './helpers/fake-io.js';

const FIXTURES = join(packageRoot(), 'vcr-fixtures', 'gemini');
const QUESTION = 'Say hello in Japanese, with an emoji.';

t.test('a Gemini stream replayed through the CLI', async (t) => {
  const io = fakeIo({ env: {} });
  t.equal(await main(['chat', '--provider', 'gemini', '--replay', join(FIXTURES, 'gemini-text.jsonl'), '--speed', 'instant', QUESTION], io), 0);
  t.equal(io.stdout.text, 'こんにちは! 👋🏽 That is *konnichiwa*.\n');
  t.match(io.stderr.text, /^tokens: prompt=11, completion=32, total=43, reasoning=20 \(model gemini-2\.5-flash\)/);
});

t.test('errors keep their category and exit code', async (t) => {
  const badKey = fakeIo({ env: {} });
  t.equal(await main(['chat', '--provider', 'gemini', '--replay', join(FIXTURES, 'gemini-400-key.jsonl'), '--speed', 'instant', QUESTION], badKey), 3);
  t.match(badKey.stderr.text, /^error \(auth\): Gemini API error \(HTTP 400 INVALID_ARGUMENT\): API key not valid.* Set GEMINI_API_KEY/);
  const raw = fakeIo({ env: {} });
  t.equal(await main(['chat', '--provider', 'gemini', '--replay', join(FIXTURES, 'gemini-raw-error.jsonl'), '--speed', 'instant', 'Explain event loops.'], raw), 8);
  t.equal(raw.stdout.text.startsWith('Event loops are how one thread waits'), true, 'the text before the error was shown');
  t.match(raw.stderr.text, /error \(server\): Gemini reported an error inside the stream \(503 UNAVAILABLE\)/);
});

t.test('no key: the message names both variables', async (t) => {
  const io = fakeIo({ env: {} });
  t.equal(await main(['chat', '--provider', 'gemini', 'hi'], io), 3);
  t.match(io.stderr.text, /No Gemini API key: set the GEMINI_API_KEY or GOOGLE_API_KEY environment variable/);
});
