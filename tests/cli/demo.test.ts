import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { ansi, stripAnsi } from '../../src/cli/ansi.js';
import { demoCommand, loadDemoItems } from '../../src/cli/demo.js';
import { demoCassetteDir, packageRoot } from '../../src/cli/paths.js';
import { main } from '../../src/cli/run.js';
import { fakeIo, until } from './helpers/fake-io.js';

async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'llmux-demo-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

t.test('the bundled cassettes load', async (t) => {
  const items = loadDemoItems(demoCassetteDir());
  t.ok(items.isOk());
  const list = items._unsafeUnwrap();
  t.ok(list.length >= 4, 'several recordings');
  t.same([...new Set(list.map((item) => item.provider))].sort(), ['anthropic', 'gemini', 'openai'], 'from three providers');
  for (const item of list) {
    t.match(item.request, { model: /^(gpt-4o-mini|claude-sonnet-4-5|gemini-2\.5-flash)$/, messages: [{ role: 'user' }] }, item.name);
    t.ok(item.exchange.chunks.length > 5, `${item.name} streams in many chunks`);
    t.ok(item.exchange.chunks.every((chunk, i, all) => i === 0 || chunk.t >= (all[i - 1]?.t ?? 0)), `${item.name}: times only grow`);
  }
});

t.test('plain output on a pipe: one line per event, then the summary', async (t) => {
  const io = fakeIo();
  t.equal(await main(['demo', '--streams', '8', '--speed', 'instant'], io), 0);
  const lines = io.stdout.text.trimEnd().split('\n');
  t.match(lines[0], /^llmux demo: 8 streams replaying \d+ recordings \(instant\), no network$/);
  for (let id = 1; id <= 8; id++) {
    const tag = `[${String(id).padStart(2, '0')} `;
    t.ok(lines.some((line) => line.startsWith(tag) && /\] start (gpt-4o-mini|claude-sonnet-4-5|gemini-2\.5-flash)/.test(line)), `stream ${id} started`);
    t.ok(lines.some((line) => line.startsWith(tag) && /\] done stop \(tokens: prompt=\d+/.test(line)), `stream ${id} done`);
  }
  t.match(io.stdout.text, /\nstreams: 8 \(8 ok, 0 failed\)\nevents: \d+\nbytes: .* of text \(\d+ B\)\nwall time: [\d.]+ s at instant\ntokens: prompt=\d+, completion=\d+, total=\d+(, reasoning=\d+)? over 8 answers \(model (gpt-4o-mini-2024-07-18|claude-sonnet-4-5-20250929|gemini-2\.5-flash)(, (gpt-4o-mini-2024-07-18|claude-sonnet-4-5-20250929|gemini-2\.5-flash))*\)\n$/);
  t.equal(io.stderr.text, '');
  t.equal(io.sigintListeners, 0);
});

t.test('the live board on a terminal', async (t) => {
  const io = fakeIo({ stdoutTTY: true, columns: 100, rows: 12 });
  t.equal(await main(['demo', '--streams', '12', '--speed', '50'], io), 0);
  const text = io.stdout.text;
  t.ok(text.startsWith(ansi.hideCursor), 'cursor hidden while drawing');
  t.ok(text.includes(ansi.showCursor), 'and shown again');
  t.match(stripAnsi(text), /llmux demo — 12 streams · 0 running · 12 done · \d+ events/);
  t.match(stripAnsi(text), /#01 ✓ █{16} 100% /);
  t.match(stripAnsi(text), /… and \d+ more streams/, 'rows beyond the terminal are counted');
  t.match(text, /\x1b\[\d+A/, 'redrawn in place');
  t.match(stripAnsi(text), /streams: 12 \(12 ok, 0 failed\)/);
});

t.test('a failing recording is shown and sets the exit code', async (t) => {
  const dir = await tempDir(t);
  const fixtures = join(packageRoot(), 'vcr-fixtures');
  await copyFile(join(fixtures, 'demo', 'haiku.jsonl'), join(dir, 'a-haiku.jsonl'));
  await copyFile(join(fixtures, 'openai', 'chat-truncated.jsonl'), join(dir, 'b-truncated.jsonl'));
  const io = fakeIo();
  t.equal(await demoCommand({ streams: 2, speed: 'instant', plain: false }, io, dir), 10);
  t.match(io.stdout.text, /\[02 b-truncated\] error \(protocol\)/);
  t.match(io.stdout.text, /streams: 2 \(1 ok, 1 failed\)/);
  t.match(io.stdout.text, /#02 error \(protocol\): /);
  const board = fakeIo({ stdoutTTY: true });
  t.equal(await demoCommand({ streams: 2, speed: 'instant', plain: false }, board, dir), 10);
  t.match(stripAnsi(board.stdout.text), /#02 ✗ .* protocol: /);
});

t.test('cassettes that cannot be used', async (t) => {
  const dir = await tempDir(t);
  let io = fakeIo();
  t.equal(await demoCommand({ streams: 1, speed: 'instant', plain: true }, io, dir), 1);
  t.match(io.stderr.text, /no demo cassettes/);
  io = fakeIo();
  t.equal(await demoCommand({ streams: 1, speed: 'instant', plain: true }, io, join(dir, 'absent')), 1);
  t.match(io.stderr.text, /cannot read the demo cassettes/);
  await writeFile(join(dir, 'bad.jsonl'), 'not json\n');
  io = fakeIo();
  t.equal(await demoCommand({ streams: 1, speed: 'instant', plain: true }, io, dir), 1);
  t.match(io.stderr.text, /bad\.jsonl:1: not valid JSON/);
  await copyFile(join(packageRoot(), 'vcr-fixtures', 'openai', 'chat-401.jsonl'), join(dir, 'bad.jsonl'));
  io = fakeIo();
  t.equal(await demoCommand({ streams: 1, speed: 'instant', plain: true }, io, dir), 1);
  t.match(io.stderr.text, /no 200 exchange/);
});

t.test('Ctrl+C stops the demo with 130', async (t) => {
  const io = fakeIo({ stdoutTTY: true, stdinTTY: true });
  const run = main(['demo', '--streams', '4'], io);
  await until(() => stripAnsi(io.stdout.text).includes('llmux demo — 4 streams'), 'the board');
  io.stdin.write('\x03');
  t.equal(await run, 130);
  t.match(io.stderr.text, /\[interrupted\]/);
  t.match(stripAnsi(io.stdout.text), /streams: 4 \(0 ok, 0 failed, 4 cancelled\)/);
  t.notOk(io.stdin.isRaw);
  t.ok(io.stdout.text.endsWith('\n') && io.stdout.text.includes(ansi.showCursor));
  const plain = fakeIo();
  const second = main(['demo', '--streams', '3', '--plain'], plain);
  await until(() => plain.stdout.text.includes('llmux demo: 3 streams'), 'the demo to begin');
  plain.sigint();
  t.equal(await second, 130);
});

t.test('the Gemini recordings replay through a Gemini provider on the same engine', async (t) => {
  const items = loadDemoItems(demoCassetteDir())._unsafeUnwrap().filter((item) => item.name.startsWith('gemini-'));
  t.equal(items.length, 2);
  t.match(items[0]?.request, { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: /Gemini stream/ }] });
  const dir = await tempDir(t);
  await copyFile(join(demoCassetteDir(), 'gemini-end-of-stream.jsonl'), join(dir, 'g.jsonl'));
  const io = fakeIo();
  t.equal(await demoCommand({ streams: 2, speed: 'instant', plain: true }, io, dir), 0);
  t.match(io.stdout.text, /\[01 g\] start gemini-2\.5-flash/);
  t.match(io.stdout.text, /\[02 g\] done stop \(tokens: prompt=16, completion=141, total=157, reasoning=64\)/);
});
