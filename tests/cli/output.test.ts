import t from 'tap';
import { ansi } from '../../src/cli/ansi.js';
import { LineStream, MarkdownRenderer, PLAIN_RENDERER } from '../../src/cli/markdown.js';
import { LineOutput, LiveOutput, type Sinks } from '../../src/cli/output.js';

function recorder(): { sinks: Sinks; writes: string[]; out: () => string } {
  const writes: string[] = [];
  return {
    writes,
    sinks: { out: (text) => writes.push(`out:${text}`), err: (text) => writes.push(`err:${text}`) },
    out: () => writes.filter((w) => w.startsWith('out:')).map((w) => w.slice(4)).join(''),
  };
}

const CLEAR = `\r${ansi.clearDown}`;

t.test('live output: the unfinished line grows in place, finished lines are written once', async (t) => {
  const { sinks, writes } = recorder();
  const output = new LiveOutput(sinks, new LineStream(PLAIN_RENDERER), () => 80);
  output.push('Hel');
  t.same(writes, [], 'nothing before flush');
  output.flush();
  output.push('lo');
  output.flush();
  output.flush();
  output.push(' world\nnext');
  output.flush();
  t.same(writes, ['out:Hel', 'out:lo', 'out: world\nnext']);
  output.end();
  t.same(writes.slice(3), ['out:\n']);
  t.equal(output.text, 'Hello world\nnext');
});

t.test('live output: a preview whose rendering changes is erased and redrawn', async (t) => {
  const { sinks, writes } = recorder();
  const output = new LiveOutput(sinks, new LineStream(new MarkdownRenderer()), () => 10);
  output.push('**bold');
  output.flush();
  t.same(writes, ['out:**bold']);
  output.push('** and a long tail');
  output.flush();
  // 24 cells on a 10-column terminal: the cursor is on the third row of the preview.
  t.same(writes.slice(1), [`out:${CLEAR}`, `out:${ansi.bold}bold${ansi.reset} and a long tail`]);
  output.push('\n');
  output.flush();
  t.same(writes.slice(3), ['out:\n'], 'the line ended as previewed: only the newline is new');
  output.push(`${'x'.repeat(21)} **b`);
  output.flush();
  output.push('**');
  output.flush();
  t.same(
    writes.slice(4),
    [`out:${'x'.repeat(21)} **b`, `out:\r\x1b[2A${ansi.clearDown}`, `out:${'x'.repeat(21)} ${ansi.bold}b${ansi.reset}`],
    'a preview on three rows is erased from its first row',
  );
  output.end();
  t.same(writes.slice(7), ['out:\n']);
});

t.test('live output: the prompt holds output and release shows what arrived meanwhile', async (t) => {
  const { sinks, writes } = recorder();
  const output = new LiveOutput(sinks, new LineStream(PLAIN_RENDERER), () => 80);
  output.push('partial');
  output.hold('Cancel? ');
  output.hold('Cancel? ');
  t.same(writes, ['out:partial', 'err:\nCancel? '], 'the prompt goes on the row below the unfinished line');
  output.push(' more\nline two');
  output.flush();
  t.equal(writes.length, 2, 'held');
  output.release();
  output.release();
  t.same(writes.slice(2), [`err:\r\x1b[1A${ansi.clearDown}`, 'out:partial more\nline two']);
  output.hold('Cancel? ');
  t.same(writes.slice(4), ['err:\nCancel? ']);
  output.release();
  t.same(writes.slice(5), [`err:\r\x1b[1A${ansi.clearDown}`, 'out:line two'], 'nothing new: the preview is redrawn');
  output.end();
  t.same(writes.slice(7), ['out:\n']);
});

t.test('live output: a prompt at the start of a line', async (t) => {
  const { sinks, writes } = recorder();
  const output = new LiveOutput(sinks, new LineStream(PLAIN_RENDERER), () => 80);
  output.push('done line\n');
  output.hold('Cancel? ');
  t.same(writes, ['out:done line\n', 'err:Cancel? ']);
  output.release();
  t.same(writes.slice(2), [`err:\r${ansi.clearDown}`]);
  output.hold('Cancel? ');
  output.end();
  t.same(writes.slice(3), ['err:Cancel? ', `err:\r${ansi.clearDown}`], 'end removes a prompt still up');
});

t.test('line output: whole lines only, held while prompting', async (t) => {
  const { sinks, writes } = recorder();
  const output = new LineOutput(sinks, new LineStream(PLAIN_RENDERER), true);
  output.push('a');
  output.flush();
  t.same(writes, []);
  output.push('b\nc');
  output.flush();
  t.same(writes, ['out:ab\n']);
  output.hold('Cancel? ');
  output.hold('Cancel? ');
  output.push('d\ne');
  output.flush();
  t.same(writes.slice(1), ['err:Cancel? ']);
  output.release();
  output.release();
  t.same(writes.slice(2), [`err:\r${ansi.clearLine}`, 'out:cd\n']);
  output.end();
  t.same(writes.slice(4), ['out:e\n']);
  t.equal(output.text, 'ab\ncd\ne');
});

t.test('line output: no prompt text when stderr is not a terminal', async (t) => {
  const { sinks, writes } = recorder();
  const output = new LineOutput(sinks, new LineStream(PLAIN_RENDERER), false);
  output.push('x\n');
  output.hold('Cancel? ');
  output.release();
  output.end();
  t.same(writes, ['out:x\n']);
});
