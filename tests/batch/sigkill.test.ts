// The must-hold resume: `llmux batch` in a child process is killed with SIGKILL at a random
// point, then run again with --resume. The output ends with exactly one record per id, no
// request that had a record is sent again (the server counts by id), and the totals are an
// uninterrupted run's (known in advance from the server's per-id behaviour; the loopback test
// checks an uninterrupted run against the same numbers). LLMUX_BATCH_FULL=1: 20,000 requests.
import t from 'tap';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readOutput } from '../../src/batch/output.js';
import { CLI, cleanEnv, runCli } from '../cli/helpers/run-cli.js';
import { behaviourOf } from './helpers/batch-server.js';
import { records, stageJob } from './helpers/drive.js';

const N = process.env['LLMUX_BATCH_FULL'] === '1' ? 20_000 : 2_000;

t.test(`SIGKILL mid-run, then --resume: one record per id, nothing with a result sent again (${N})`, async (t) => {
  const { server, ids, expected, input, output } = await stageJob(t, N);
  const args = ['batch', input, '-o', output, '--stream', '--concurrency', '64', '--base-url', `${server.url}/v1`, '--every', '100000'];
  const env = cleanEnv({ OPENAI_API_KEY: 'sk-test-batch' });
  // Somewhere between a tenth and nine tenths of the job; the seed is printed to replay it.
  const seed = Number(process.env['LLMUX_KILL_SEED'] ?? Math.floor(Math.random() * 1e9));
  const killAt = Math.floor(N * (0.1 + 0.8 * ((seed % 1000) / 1000)));
  t.comment(`kill seed ${seed}: SIGKILL after ${killAt} answers`);
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  const watch = setInterval(() => {
    if (server.answeredTotal() >= killAt) child.kill('SIGKILL');
  }, 1);
  const signal = await exited;
  clearInterval(watch);
  t.equal(signal, 'SIGKILL', 'the first run was killed, not finished');
  const before = readOutput(readFileSync(output, 'utf8'))._unsafeUnwrap();
  const had = new Set(before.records.map((r) => r.id));
  t.ok(had.size > 0 && had.size < N, `the kill left a partial output (${had.size} records, ${before.tornBytes} torn bytes)`);
  server.reset();
  const resumed = await runCli([...args, '--resume'], { env });
  t.equal(resumed.code, 0, resumed.stderr);
  t.match(resumed.stderr, /batch complete: /);
  const resent = [...server.requests.keys()].filter((id) => had.has(id));
  t.same(resent, [], 'no request that had a record was sent again');
  const out = records(output);
  t.equal(out.length, N, 'exactly one record per id');
  t.same([...new Set(out.map((r) => r.id))].sort(), ids);
  const ok = out.filter((r) => r.ok);
  t.equal(ok.length, expected.ok);
  t.equal(out.filter((r) => !r.ok && r.error?.category === 'server').length, expected.failed);
  t.equal(ok.reduce((sum, r) => sum + (r.usage?.input ?? 0), 0), expected.inputTokens);
  t.equal(ok.reduce((sum, r) => sum + (r.usage?.output ?? 0), 0), expected.outputTokens);
  t.ok(out.every((r) => (behaviourOf(r.id) === 'fail500') !== r.ok), 'each record is its id\'s');
});
