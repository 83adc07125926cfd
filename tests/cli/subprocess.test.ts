import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { packageRoot } from '../../src/cli/paths.js';
import { startControlled, startFixed } from './helpers/controlled-server.js';
import { cleanEnv, CLI, runCli } from './helpers/run-cli.js';
import { errorBody, sseAnswer, SSE_HEADERS } from './helpers/openai-sse.js';

const ROOT = packageRoot();
const KEYED = cleanEnv({ OPENAI_API_KEY: 'sk-test-subprocess-key' });

t.test('the entry is an executable script', async (t) => {
  t.ok(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n'));
  const version = await runCli(['--version'], { cwd: tmpdir() });
  t.equal(version.code, 0);
  t.equal(version.stdout, `llmux ${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  // --help's text and the other usage errors are main.test.ts's, in process: here only that
  // a usage error leaves the process with 2.
  const bad = await runCli(['chat', '--nope']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /Unknown option '--nope'/);
});

t.test('plain answer from a cassette, from any directory, with no key', async (t) => {
  const run = await runCli(['chat', '--replay', join(ROOT, 'vcr-fixtures/openai/chat-429-then-200.jsonl'), '--speed', 'instant', 'Hello!'], { cwd: tmpdir() });
  t.equal(run.code, 0);
  t.equal(run.stdout, 'Hi! How can I help?\n');
  t.equal(run.stderr, 'tokens: prompt=9, completion=7, total=16 (model gpt-4o-mini-2024-07-18), cost $0.00000555\n');
});

t.test('--json against a loopback server', async (t) => {
  const server = await startControlled();
  t.teardown(() => server.close());
  const running = runCli(['chat', '--json', '--base-url', server.baseUrl, 'hi'], { env: KEYED });
  const { res } = await server.next();
  res.writeHead(200, SSE_HEADERS);
  res.end(sseAnswer(['A', 'B']));
  const run = await running;
  t.equal(run.code, 0);
  const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string });
  t.same(lines.map((line) => line.type), ['start', 'text_delta', 'text_delta', 'done', 'completion']);
  t.match(lines.at(-1), { ok: true, response: { text: 'AB' } });
});

// Every status's line and exit code is checked in process (main.test.ts); a child process adds
// only that the code reaches the shell, so one status is enough here.
const CASES = [
  { status: 429, headers: { 'retry-after': '90' }, body: errorBody('Rate limit reached', 'requests', 'rate_limit_exceeded'), code: 4, line: /^error \(rate_limit\): .*\(retry in 90 s\)/ },
] as const;

for (const c of CASES) {
  t.test(`HTTP ${c.status} exits with ${c.code}`, async (t) => {
    const server = await startFixed(c.status, { 'content-type': 'application/json', ...c.headers }, c.body);
    t.teardown(() => server.close());
    const run = await runCli(['chat', '--retries', '0', '--base-url', `${server.url}/v1`, 'hi'], { env: KEYED });
    t.equal(run.code, c.code);
    t.equal(run.stdout, '');
    t.match(run.stderr, c.line);
    t.equal(run.stderr.trimEnd().split('\n').length, 1);
  });
}

t.test('missing key: the message, the demo hint, exit 3', async (t) => {
  const run = await runCli(['chat', 'hi']);
  t.equal(run.code, 3);
  t.match(run.stderr, /OPENAI_API_KEY/);
  t.match(run.stderr, /llmux demo/);
  t.equal(run.stdout, '');
});

t.test('demo on a pipe', async (t) => {
  const run = await runCli(['demo', '--streams', '6', '--speed', '20'], { cwd: tmpdir() });
  t.equal(run.code, 0);
  t.match(run.stdout, /^llmux demo: 6 streams replaying/);
  t.match(run.stdout, /\[06 [a-z-]+\] done stop/);
  t.match(run.stdout, /streams: 6 \(6 ok, 0 failed\)\nevents: \d+\nbytes: .*\nwall time: .* at 20x recorded pace\ntokens: prompt=\d+, completion=\d+, total=\d+(, reasoning=\d+)? over 6 answers/);
  t.equal(run.stderr, '');
});
