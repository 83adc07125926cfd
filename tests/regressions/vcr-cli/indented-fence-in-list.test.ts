/**
 * The renderer recognises a fence only at 0-3 spaces of indentation. Inside a list item
 * (nested lists, or "10." items) models indent fences by 4+ spaces, which CommonMark
 * treats as a fenced block inside the item. llmux renders the code as Markdown instead:
 * `*`, `_`, `\` and backticks inside the code are eaten.
 */
import t from 'tap';
import { LineStream, MarkdownRenderer } from '../../../src/cli/markdown.js';

t.test('code in a fence nested in a list keeps every character', async (t) => {
  const lines = new LineStream(new MarkdownRenderer({ color: false }));
  const answer = ['- Setup:', '  - Define the class:', '    ```python', '    def __init__(self, *args, **kwargs):', '        self.x = a*b*c', '    ```', ''].join('\n');
  const out = lines.push(answer) + lines.end();
  t.match(out, /def __init__\(self, \*args, \*\*kwargs\):/, 'dunder and star-args survive');
  t.match(out, /self\.x = a\*b\*c/, 'multiplication survives');
});
