/**
 * LiveOutput erases the previewed (unfinished) line with cursorUp(rowsAfter(visibleWidth(preview))).
 * visibleWidth counts emoji outside U+1F300-1F64F / U+1F900-1F9FF (🚀 U+1F680, ✅ U+2705, ⭐ U+2B50,
 * ...) as one cell though terminals draw them two cells wide. A preview with such emoji that
 * wraps is erased one row short: its first row stays on screen and the line is printed twice.
 */
import t from 'tap';
import { cursorUp, visibleWidth } from '../../../src/cli/ansi.js';
import { LineStream, PLAIN_RENDERER } from '../../../src/cli/markdown.js';
import { LiveOutput } from '../../../src/cli/output.js';

t.test('wide emoji count two cells', async (t) => {
  for (const emoji of ['🚀', '✅', '⭐', '⌛']) t.equal(visibleWidth(emoji), 2, `${emoji} is two cells wide`);
});

t.test('a wrapped emoji preview is erased entirely before it is redrawn', async (t) => {
  let out = '';
  const sinks = { out: (text: string) => void (out += text), err: (text: string) => void (out += text) };
  const output = new LiveOutput(sinks, new LineStream(PLAIN_RENDERER), () => 10);
  // 6 rockets = 12 cells: on a 10-column terminal the preview takes two rows.
  output.push('🚀🚀🚀🚀🚀🚀');
  output.flush();
  // The prompt goes below the preview; answering it erases back to the preview's first row.
  out = '';
  output.hold('Cancel response? [y/n]: ');
  output.release();
  t.ok(out.includes(`\r${cursorUp(2)}`), 'release moves up over the two preview rows and the prompt row');
});
