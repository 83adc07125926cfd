/**
 * The CLI on a real pseudo-terminal, driven through tmux: Ctrl+C, n, Ctrl+C, y while an
 * answer streams from a loopback server that sends each chunk when the test says so.
 * Skipped, saying why, when tmux is not installed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { startControlled } from './helpers/controlled-server.js';
import { cleanEnv, CLI } from './helpers/run-cli.js';
import { SSE_HEADERS, sseStart, sseText } from './helpers/openai-sse.js';

const run = promisify(execFile);
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

t.test('cancel prompt on a real terminal', { skip: hasTmux ? false : 'tmux is not installed, so the pseudo-terminal test cannot run' }, async (t) => {
  const socket = `llmux-cli-test-${process.pid}`;
  const dir = await mkdtemp(join(tmpdir(), 'llmux-tty-'));
  // remain-on-exit keeps the pane (and what it shows) after the CLI ends.
  const config = join(dir, 'tmux.conf');
  await writeFile(config, 'set -g remain-on-exit on\nset -g history-limit 1000\n');
  const server = await startControlled();
  const env = cleanEnv({ OPENAI_API_KEY: 'sk-test-tty-key', TERM: 'xterm-256color' });
  delete env.TMUX;
  const tmux = (...args: string[]): Promise<{ stdout: string }> => run('tmux', ['-L', socket, '-f', config, ...args], { env });
  t.teardown(async () => {
    await tmux('kill-server').catch(() => undefined);
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const screen = async (): Promise<string> => (await tmux('capture-pane', '-p', '-t', 'cli')).stdout;
  const waitFor = async (what: string, check: (text: string) => boolean): Promise<string> => {
    for (let i = 0; i < 3000; i++) {
      const text = await screen();
      if (check(text)) return text;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`the terminal never showed ${what}; it shows:\n${await screen()}`);
  };
  // tmux's own pane_dead_status is sometimes not ready when the pane reads as dead, so a
  // shell around the CLI writes the exit code to a file the test reads.
  const statusFile = join(dir, 'status');
  const exitStatus = async (): Promise<string> => {
    for (let i = 0; i < 3000; i++) {
      const status = await readFile(statusFile, 'utf8').catch(() => '');
      if (status.trim() !== '') return status.trim();
      await screen();
    }
    return 'the CLI never exited';
  };

  const shell = 'node="$1"; shift; out="$1"; shift; "$node" "$@"; echo $? > "$out"';
  await tmux('new-session', '-d', '-s', 'cli', '-x', '120', '-y', '40', '--', 'sh', '-c', shell, 'sh', process.execPath, statusFile, CLI, 'chat', '--base-url', server.baseUrl, 'Tell me something');
  const { res } = await server.next();
  await waitFor('the spinner', (text) => text.includes('waiting for gpt-4o-mini'));

  res.writeHead(200, SSE_HEADERS);
  res.write(sseStart() + sseText('# Answer\nFirst line of the answer.\nSecond li'));
  let text = await waitFor('the start of the answer', (shown) => shown.includes('Second li'));
  t.match(text, /^Answer\s*$/m, 'the heading is rendered, not shown as # Answer');
  t.notMatch(text, /waiting for/, 'the spinner is gone');

  await tmux('send-keys', '-t', 'cli', 'C-c');
  await waitFor('the cancel prompt', (shown) => shown.includes('Cancel response? [y/n]:'));
  await new Promise<void>((resolve) => res.write(sseText('ne arrived while asking.\nThird'), () => resolve()));
  text = await screen();
  t.notMatch(text, /while asking/, 'nothing is drawn over the prompt');

  await tmux('send-keys', '-t', 'cli', 'n');
  text = await waitFor('the text that arrived meanwhile', (shown) => shown.includes('Second line arrived while asking.') && shown.includes('Third'));
  t.notMatch(text, /Cancel response\?/, 'the prompt is gone');
  t.match(text, /First line of the answer\.\nSecond line arrived while asking\.\nThird/, 'no byte lost, in order');

  res.write(sseText(' line, still'));
  await waitFor('more text', (shown) => shown.includes('Third line, still'));
  await tmux('send-keys', '-t', 'cli', 'C-c');
  await waitFor('the prompt again', (shown) => shown.includes('Cancel response? [y/n]:'));
  const released = server.loopback.socketClosed();
  await tmux('send-keys', '-t', 'cli', 'y');
  text = await waitFor('the cancelled note', (shown) => shown.includes('[cancelled]'));
  await released;
  t.pass('the cancel released the socket');
  t.match(text, /Third line, still\s*\n\[cancelled\]/, 'the partial answer stays, then the note');
  t.notMatch(text, /Cancel response\?/);
  t.equal(await exitStatus(), '130', 'exit code 130');
});
