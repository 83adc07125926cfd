import t from 'tap';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

t.test('withCassette works under node:test, not only tap', async (t) => {
  const file = fileURLToPath(new URL('./fixtures/node-test-user.js', import.meta.url));
  const env = { ...process.env };
  delete env.OPENAI_API_KEY;
  const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap', file], { encoding: 'utf8', env });
  t.equal(run.status, 0, run.stdout + run.stderr);
  t.match(run.stdout, /# pass 1/);
  t.match(run.stdout, /# fail 0/);
});
