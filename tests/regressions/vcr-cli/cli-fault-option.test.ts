/**
 * README ("Faults"): "Apply to any cassette at replay (`faults: [...]`, or `--fault SPEC` in the
 * CLI)". The CLI has no --fault option: it is rejected as an unknown option (exit 2).
 */
import { join } from 'node:path';
import t from 'tap';
import { packageRoot } from '../../../src/cli/paths.js';
import { main } from '../../../src/cli/run.js';
import { fakeIo } from '../../cli/helpers/fake-io.js';

const CASSETTE = join(packageRoot(), 'vcr-fixtures', 'demo', 'haiku.jsonl');

t.test('llmux chat --replay ... --fault cut-after:1 is accepted and applied', async (t) => {
  // The question the recording answers, so the request matches.
  const { readFileSync } = await import('node:fs');
  const first = JSON.parse(readFileSync(CASSETTE, 'utf8').split('\n')[0] ?? '{}') as {
    _request: { body: { messages: { role: string; content: string }[] } };
  };
  const question = first._request.body.messages.find((m) => m.role === 'user')?.content ?? '';
  const io = fakeIo({ env: {} });
  const code = await main(['chat', '--replay', CASSETTE, '--speed', 'instant', '--fault', 'cut-after:1', question], io);
  t.notMatch(io.stderr.text, /Unknown option '--fault'/, 'the documented --fault option exists');
  t.not(code, 2, 'not a usage error');
});
