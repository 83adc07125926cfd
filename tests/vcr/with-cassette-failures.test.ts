// A failing assertion inside withCassette's function, in onEvent and in onComplete each
// fails the user's test, under node:test and under tap (run as child processes); with no
// failing assertion the same tests pass.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const RUNNERS = {
  'node:test': (env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, ['--test', '--test-reporter=tap', fixture('cassette-user-node-test.js')], { encoding: 'utf8', env }),
  tap: (env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [fixture('cassette-user-tap.js')], { encoding: 'utf8', env }),
} as const;

for (const [runner, run] of Object.entries(RUNNERS)) {
  for (const where of ['nowhere', 'callback', 'onEvent', 'onComplete']) {
    t.test(`${runner}: an assertion failing ${where === 'nowhere' ? 'nowhere passes' : `in ${where} fails the test`}`, async (t) => {
      const env: NodeJS.ProcessEnv = { ...process.env, FAIL_IN: where, NODE_NO_WARNINGS: '1' };
      delete env.OPENAI_API_KEY;
      delete env.LLMUX_VCR;
      delete env.TAP;
      delete env.TAP_CHILD_ID;
      const child = run(env);
      const output = child.stdout + child.stderr;
      if (where === 'nowhere') {
        t.equal(child.status, 0, output);
      } else {
        t.not(child.status, 0, `the runner reports a failure:\n${output}`);
        t.match(output, /not ok 1/);
        t.match(output, /AssertionError|assertion/i);
      }
    });
  }
}
