/**
 * `llmux batch` on a real pseudo-terminal (tmux): the status line redraws in place with its
 * counters moving, then gives way to the summary table. The bundled example replays at its
 * recorded pace, two requests at a time. Skipped, saying why, when tmux is not installed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { packageRoot } from '../../src/cli/paths.js';
import { cleanEnv, CLI } from './helpers/run-cli.js';

const run = promisify(execFile);
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const EXAMPLE = join(packageRoot(), 'vcr-fixtures', 'batch');

t.test('batch progress on a real terminal', { skip: hasTmux ? false : 'tmux is not installed, so the pseudo-terminal test cannot run' }, async (t) => {
  const socket = `llmux-batch-test-${process.pid}`;
  const dir = await mkdtemp(join(tmpdir(), 'llmux-batch-tty-'));
  const config = join(dir, 'tmux.conf');
  await writeFile(config, 'set -g remain-on-exit on\nset -g history-limit 1000\n');
  const env = cleanEnv({ TERM: 'xterm-256color' });
  delete env.TMUX;
  const tmux = (...args: string[]): Promise<{ stdout: string }> => run('tmux', ['-L', socket, '-f', config, ...args], { env });
  t.teardown(async () => {
    await tmux('kill-server').catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });
  // -S -40: the lines that scrolled above the pane (tmux scrolls when the dead pane's note is added) count too.
  const screen = async (): Promise<string> => (await tmux('capture-pane', '-p', '-S', '-40', '-t', 'batch')).stdout;
  const statusFile = join(dir, 'status');
  const shell = 'node="$1"; shift; out="$1"; shift; "$node" "$@"; echo $? > "$out"';
  const output = join(dir, 'out.jsonl');
  await tmux('new-session', '-d', '-s', 'batch', '-x', '160', '-y', '30', '--', 'sh', '-c', shell, 'sh', process.execPath, statusFile, CLI,
    'batch', join(EXAMPLE, 'example.jsonl'), '-o', output, '--replay', join(EXAMPLE, 'example.cassette.jsonl'), '--speed', '1', '-c', '2');
  const counts = new Set<string>();
  let status = '';
  let last = '';
  for (let i = 0; i < 20_000 && status === ''; i++) {
    last = await screen();
    for (const match of last.matchAll(/ (\d+)\/10 · ok \d+ · failed \d+ · in flight \d+/g)) counts.add(match[1] ?? '');
    status = (await readFile(statusFile, 'utf8').catch(() => '')).trim();
  }
  last = await screen();
  t.equal(status, '0', `exit code 0; the screen shows:\n${last}`);
  t.ok(counts.size >= 2, `the status line showed the counters moving: ${[...counts].join(', ')}`);
  t.match(last, /batch complete: 10\/10 records/);
  t.match(last, /model\s+ok\s+failed\s+in tokens\s+out tokens\s+cost/);
  t.match(last, /total\s+7\s+3\s+/);
  t.notMatch(last, /in flight \d+ · rate-limited/, 'the status line is cleared before the summary');
});
