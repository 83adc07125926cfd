// `llmux chat --provider anthropic`: through the registry, key from ANTHROPIC_API_KEY, and
// replayable from the provider's own cassettes with no key and no network.
import { join } from 'node:path';
import t from 'tap';
import { main } from '../../src/cli/run.js';
import { packageRoot } from '../../src/cli/paths.js';
import { fakeIo } from '../cli/helpers/fake-io.js';

const FIXTURES = join(packageRoot(), 'vcr-fixtures', 'anthropic');

t.test('a missing key names ANTHROPIC_API_KEY and suggests the demo', async (t) => {
  const io = fakeIo({ env: {} });
  t.equal(await main(['chat', '--provider', 'anthropic', 'hi'], io), 3);
  t.match(io.stderr.text, /No Anthropic API key: set the ANTHROPIC_API_KEY environment variable/);
  t.match(io.stderr.text, /llmux demo/);
});

t.test('the help lists the provider and its variables', async (t) => {
  const io = fakeIo();
  t.equal(await main(['help'], io), 0);
  t.match(io.stdout.text, /openai, anthropic/);
  t.match(io.stdout.text, /ANTHROPIC_API_KEY/);
});

t.test('a replayed Anthropic answer streams to stdout with the usage on stderr', async (t) => {
  const io = fakeIo({ env: {} });
  const code = await main(
    ['chat', '--provider', 'anthropic', '--replay', join(FIXTURES, 'text.jsonl'), '--speed', 'instant', '-s', 'Answer briefly.', 'Say hello in Japanese, with an emoji.'],
    io,
  );
  t.equal(code, 0, io.stderr.text);
  t.equal(io.stdout.text.trim(), 'こんにちは 👋 (konnichiwa) means hello.');
  t.match(io.stderr.text, /prompt=21, completion=17, total=38 \(model claude-sonnet-4-5-20250929\)/);
});

t.test('a refused key exits 3 with the hint, an OpenAI --api is refused', async (t) => {
  let io = fakeIo({ env: {} });
  t.equal(await main(['chat', '--provider', 'anthropic', '--replay', join(FIXTURES, '401.jsonl'), '--speed', 'instant', 'Hello!'], io), 3);
  t.match(io.stderr.text, /invalid x-api-key \[request req_011CTest00000000000013\].*ANTHROPIC_API_KEY/);
  io = fakeIo({ env: { ANTHROPIC_API_KEY: 'test-key' } });
  t.equal(await main(['chat', '--provider', 'anthropic', '--api', 'chat', 'Hello!'], io), 5);
  t.match(io.stderr.text, /Anthropic has one API/);
});
