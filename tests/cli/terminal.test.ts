import t from 'tap';
import { ansi, cursorUp, isWide, paint, rowsAfter, stripAnsi, tail, truncate, visibleWidth } from '../../src/cli/ansi.js';
import { boardHeader, boardRow, oneLine, progressBar, renderBoard, type StreamRow } from '../../src/cli/board.js';
import { addUsage, errorLine, formatBytes, formatDelay, usageLine } from '../../src/cli/format.js';
import { HostLoop, shortest } from '../../src/cli/host-loop.js';
import { columnsOf, type OutStream } from '../../src/cli/io.js';
import { Spinner, spinnerFrame, SPINNER_FRAMES } from '../../src/cli/spinner.js';
import { providerError } from '../../src/errors/category.js';
import { NO_USAGE } from '../../src/providers/types.js';

t.test('ansi helpers', async (t) => {
  t.equal(stripAnsi(`${ansi.bold}a${ansi.reset}\x1b]0;title\x07b`), 'ab');
  t.equal(visibleWidth(`${ansi.red}héllo${ansi.reset}`), 5);
  t.equal(visibleWidth('日本'), 4, 'wide characters take two cells');
  t.equal(visibleWidth('e\u0301'), 1, 'combining marks take none');
  t.ok(isWide(0x1f600));
  t.notOk(isWide(0x41));
  t.equal(paint(ansi.red, 'x', true), `${ansi.red}x${ansi.reset}`);
  t.equal(paint(ansi.red, 'x', false), 'x');
  t.equal(paint(ansi.red, '', true), '');
  t.equal(cursorUp(0), '');
  t.equal(cursorUp(2), '\x1b[2A');
  t.equal(truncate('hello', 10), 'hello');
  t.equal(truncate('hello world', 6), 'hello…');
  t.equal(truncate('日本語', 4), '日…');
  t.equal(truncate('x', 0), '');
  t.equal(tail('hello world', 6), '…world');
  t.equal(tail('short', 10), 'short');
  t.equal(tail('日本語', 4), '…語');
  t.equal(tail('x', 0), '');
  t.equal(rowsAfter(0, 80), 0);
  t.equal(rowsAfter(80, 80), 0, 'a full row leaves the cursor on it');
  t.equal(rowsAfter(81, 80), 1);
  t.equal(rowsAfter(5, 0), 4, 'a zero-width terminal counts as one column');
});

t.test('wide characters: the East Asian Wide table, emoji presentation and flags', async (t) => {
  const wide = [0x1100, 0x231a, 0x23f3, 0x25fd, 0x2614, 0x2648, 0x26a1, 0x26bd, 0x2705, 0x270a, 0x2728, 0x274c, 0x2757, 0x2795, 0x27bf, 0x2b50, 0x2b55,
    0x3042, 0x4e00, 0xac00, 0xff21, 0xffe0, 0x1f004, 0x1f0cf, 0x1f18e, 0x1f200, 0x1f30d, 0x1f600, 0x1f680, 0x1f6ff, 0x1f7e0, 0x1f90c, 0x1f9ff, 0x1fa70, 0x1faff, 0x20000];
  for (const codePoint of wide) t.ok(isWide(codePoint), `U+${codePoint.toString(16)} is wide`);
  const narrow = [0x41, 0xe9, 0x2013, 0x2190, 0x2600, 0x2601, 0x2639, 0x2764, 0x2713, 0x26a0, 0x2b06, 0x303f, 0xff61, 0x1f650, 0x1f700, 0x1f90b, 0x1fb00, 0x10ffff];
  for (const codePoint of narrow) t.notOk(isWide(codePoint), `U+${codePoint.toString(16)} is narrow`);
  t.equal(visibleWidth('🚀✅⭐⌛'), 8);
  t.equal(visibleWidth('ok ✅ done'), 10);
  t.equal(visibleWidth('🇫🇷'), 2, 'a flag (two regional indicators) is one two-cell glyph');
  t.equal(visibleWidth('🇫🇷🇩🇪'), 4);
  t.equal(visibleWidth('🇫'), 2, 'a lone regional indicator');
  t.equal(visibleWidth('🇫🇷🇩'), 4, 'a flag, then a lone indicator');
  t.equal(truncate('🚀🚀🚀', 4), '🚀…');
  t.equal(tail('🚀🚀🚀', 4), '…🚀');
  t.equal(truncate('🇫🇷🇩🇪🇮🇹', 5), '🇫🇷🇩🇪…');
  t.equal(rowsAfter(visibleWidth('🚀'.repeat(6)), 10), 1, 'six rockets wrap on a ten-column terminal');
});

t.test('terminal width and colour', async (t) => {
  t.equal(columnsOf({ columns: 120 } as OutStream), 120);
  t.equal(columnsOf({ columns: 0 } as OutStream), 80, 'a zero width is unknown');
  t.equal(columnsOf({} as OutStream), 80, 'no width is unknown');
});

t.test('format', async (t) => {
  const usage = { input: 10, output: 20, thinking: null, cached: null, cacheWrite: null, total: 30 };
  t.equal(usageLine({ model: 'm', usage }), 'tokens: prompt=10, completion=20, total=30 (model m)');
  t.equal(usageLine({ model: 'm', usage: null }), 'tokens: prompt=?, completion=?, total=? (model m)');
  t.equal(
    usageLine({ model: 'm', usage: { ...usage, cached: 4, thinking: 8 } }),
    'tokens: prompt=10, completion=20, total=30, cached=4, reasoning=8 (model m)',
  );
  t.same(addUsage(NO_USAGE, null), NO_USAGE);
  t.same(addUsage(addUsage(NO_USAGE, usage), { ...usage, thinking: 2 }), { input: 20, output: 40, thinking: 2, cached: null, cacheWrite: null, total: 60 });
  t.equal(formatDelay(250), '250 ms');
  t.equal(formatDelay(1500), '1.5 s');
  t.equal(formatDelay(20_000), '20 s');
  t.equal(formatBytes(812), '812 B');
  t.equal(formatBytes(18_841), '18.4 KB');
  t.equal(formatBytes(2.2 * 1024 * 1024), '2.2 MB');
  const limited = providerError('rate_limit', { message: 'Rate limit\n reached', retryAfterMs: 20_000, hint: 'Slow down.' });
  t.equal(errorLine(limited), 'error (rate_limit): Rate limit reached (retry in 20 s) — Slow down.');
  t.equal(errorLine(providerError('network', { message: 'refused' })), 'error (network): refused');
  t.equal(errorLine(providerError('timeout', { message: 'slow', phase: 'idle', hint: 'Wait.' }), true), `${ansi.red}error (timeout)${ansi.reset}: slow — Wait.`);
});

t.test('spinner', async (t) => {
  t.equal(spinnerFrame(0), SPINNER_FRAMES[0]);
  t.equal(spinnerFrame(85), SPINNER_FRAMES[1]);
  t.equal(spinnerFrame(80 * SPINNER_FRAMES.length), SPINNER_FRAMES[0], 'wraps around');
  t.equal(spinnerFrame(-5), SPINNER_FRAMES[0]);
  let now = 1000;
  let out = '';
  const spinner = new Spinner({ write: (text) => (out += text), now: () => now, label: 'waiting', color: false });
  t.equal(spinner.tick(), -1, 'nothing due before start');
  spinner.start();
  spinner.start();
  t.ok(spinner.running);
  t.equal(out, `\r${ansi.clearLine}⠋ waiting`);
  now += 10;
  t.equal(spinner.tick(), 70, 'ms to the next frame');
  t.equal(out, `\r${ansi.clearLine}⠋ waiting`, 'no redraw within a frame');
  now += 1200;
  spinner.label = 'still waiting';
  spinner.tick();
  t.match(out, /still waiting 1s$/, 'seconds after the first one');
  spinner.stop();
  spinner.stop();
  t.notOk(spinner.running);
  t.ok(out.endsWith(`\r${ansi.clearLine}`), 'erased');
  out = '';
  const colored = new Spinner({ write: (text) => (out += text), now: () => now, label: 'w', color: true });
  colored.start();
  t.match(out, /\x1b\[36m⠋/);
});

t.test('board', async (t) => {
  t.equal(progressBar(0.5, 4), '██░░');
  t.equal(progressBar(7, 4), '████');
  t.equal(progressBar(Number.NaN, 4), '░░░░');
  t.equal(oneLine(' a\n\n b  c '), 'a b c');
  const totals = { streams: 2, running: 1, done: 1, failed: 1, events: 10, bytes: 2048, elapsedMs: 1234 };
  t.equal(boardHeader(totals, 200, false), 'llmux demo — 2 streams · 1 running · 1 done · 1 failed · 10 events · 2.0 KB · 1.2 s');
  t.ok(stripAnsi(boardHeader(totals, 20, true)).length <= 19, 'cut to the width');
  const row: StreamRow = { id: 3, name: 'haiku', status: 'streaming', progress: 0.5, text: 'one\n**two** three' };
  t.equal(boardRow(row, 60, false, 6), '#03 ▸ ████████░░░░░░░░  50% haiku  one two three');
  t.equal(boardRow({ ...row, text: 'x'.repeat(100) }, 60, false, 6).length, 59);
  t.match(boardRow({ ...row, status: 'failed', note: 'network: refused' }, 80, true, 6), /\x1b\[31mnetwork: refused/);
  const rows = Array.from({ length: 5 }, (_, i) => ({ ...row, id: i + 1 }));
  const lines = renderBoard(rows, totals, 80, 5, false);
  t.equal(lines.length, 4, 'header, two rows and the rest counted in 5 rows');
  t.equal(lines[3], '… and 3 more streams');
  t.equal(renderBoard(rows, totals, 80, 40, false).length, 6);
});

t.test('host loop', async (t) => {
  t.equal(shortest(-1, 5, 3), 3);
  t.equal(shortest(-1, -1), 0);
  const loop = new HostLoop();
  loop.wake();
  await loop.sleep(10_000);
  t.pass('a wake before the sleep is not lost');
  const sleeping = loop.sleep(10_000);
  loop.wake();
  await sleeping;
  t.pass('a wake ends the sleep');
  await loop.sleep(1);
  t.pass('the sleep ends on its own');
  // The loop pumps until done, sleeping between, and calls host timers.
  let performs = 0;
  let timers = 0;
  let pending = 3;
  const engine = { perform: () => ++performs, infoRead: () => 0, timeout: () => (pending === 3 ? 0 : -1) };
  await loop.pump(engine, {
    done: () => pending === 0,
    afterPump: () => void (pending > 0 && performs > 1 && pending--),
    nextTimer: () => 1,
    onTimer: () => timers++,
  });
  t.ok(performs >= 4);
  t.ok(timers >= 1);
  await loop.pump({ perform: () => 0, infoRead: () => 0, timeout: () => 1 }, { done: (() => { let n = 0; return () => n++ > 0; })() });
  t.pass('without host timers');
});
