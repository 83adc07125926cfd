import t from 'tap';
import { ansi, stripAnsi } from '../../src/cli/ansi.js';
import { LineStream, MarkdownRenderer, parseInline, plainText, PLAIN_RENDERER } from '../../src/cli/markdown.js';

const { bold, italic, cyan, reset, dim, underline, magenta, gray, strike, blue } = ansi;

t.test('inline styles with colour', async (t) => {
  const md = new MarkdownRenderer();
  t.equal(md.line('plain text'), 'plain text');
  t.equal(md.line('a **bold** b'), `a ${bold}bold${reset} b`);
  t.equal(md.line('a __bold__ b'), `a ${bold}bold${reset} b`);
  t.equal(md.line('an *italic* word'), `an ${italic}italic${reset} word`);
  t.equal(md.line('an _italic_ word'), `an ${italic}italic${reset} word`);
  t.equal(md.line('use `npm ci` now'), `use ${cyan}npm ci${reset} now`);
  t.equal(md.line('``a ` b``'), `${cyan}a \` b${reset}`, 'double backticks hold a single one');
  t.equal(md.line('~~gone~~'), `${strike}gone${reset}`);
  t.equal(md.line('**bold *and italic***'), `${bold}bold ${italic}and italic${reset}${bold}${reset}`, 'nested styles come back after an inner reset');
  t.equal(md.line("***both***"), `${bold}${italic}both${reset}${bold}${reset}`);
  t.equal(md.line('see [the docs](https://x.dev)'), `see ${underline}${blue}the docs${reset}${dim} (https://x.dev)${reset}`);
  t.equal(md.line('[https://x.dev](https://x.dev)'), `${underline}${blue}https://x.dev${reset}`, 'a bare link does not repeat its URL');
});

t.test('markers that do not pair stay literal', async (t) => {
  const md = new MarkdownRenderer();
  for (const text of [
    'snake_case_name stays',
    '2 * 3 * 4',
    'a ** b',
    '**unclosed bold',
    '`unclosed code',
    '~single~',
    '[not a link]',
    '[label](has space)',
    '[](empty)',
    'x [a](',
    '*a *',
  ]) {
    t.equal(stripAnsi(md.line(text)), text, text);
  }
  t.equal(md.line('\\*not italic\\*'), '*not italic*', 'escapes');
  t.equal(md.line('`code with **stars**`'), `${cyan}code with **stars**${reset}`, 'no emphasis inside code');
  t.equal(md.line('*a `*` b*'), `${italic}a ${cyan}*${reset}${italic} b${reset}`, 'code spans inside emphasis are skipped when looking for the close');
  t.equal(md.line('*a \\* b*'), `${italic}a * b${reset}`, 'escaped closers are skipped');
});

t.test('blocks', async (t) => {
  const md = new MarkdownRenderer();
  t.equal(md.line('# Title'), `${bold}${underline}${magenta}Title${reset}`);
  t.equal(md.line('## Sub *it*'), `${bold}${magenta}Sub ${italic}it${reset}${bold}${magenta}${reset}`);
  t.equal(md.line('### Small ###'), `${bold}Small${reset}`);
  t.equal(md.line('#'), '', 'an empty heading');
  t.equal(md.line('#hashtag'), '#hashtag', 'not a heading without the space');
  t.equal(md.line('---'), `${dim}${'─'.repeat(40)}${reset}`);
  t.equal(md.line('> quoted **bit**'), `${gray}│ ${reset}${italic}quoted ${bold}bit${reset}${italic}${reset}`);
  t.equal(md.line('- item'), `${cyan}•${reset} item`);
  t.equal(md.line('  * nested'), `  ${cyan}•${reset} nested`);
  t.equal(md.line('3. third'), `${cyan}3.${reset} third`);
  t.equal(md.line('- [ ] todo'), `${cyan}☐${reset} todo`);
  t.equal(md.line('- [x] done'), `${cyan}☑${reset} ${dim}done${reset}`);
  t.equal(md.line(''), '');
});

t.test('fenced code keeps its text and state across lines', async (t) => {
  const md = new MarkdownRenderer();
  t.equal(md.line('```ts'), `${dim}\`\`\`ts${reset}`);
  t.ok(md.inCode);
  t.equal(md.line('const a = **b**;'), `${cyan}const a = **b**;${reset}`, 'no inline rendering in code');
  t.equal(md.line(''), '', 'blank code line');
  t.equal(md.line('``'), `${cyan}\`\`${reset}`, 'a shorter fence does not close');
  t.equal(md.peek('```'), `${dim}\`\`\`${reset}`, 'peek shows the close');
  t.ok(md.inCode, 'peek changes nothing');
  t.equal(md.line('````'), `${dim}\`\`\`\`${reset}`, 'a longer fence closes');
  t.notOk(md.inCode);
  md.line('~~~');
  t.ok(md.inCode);
  t.equal(md.line('```'), `${cyan}\`\`\`${reset}`, 'a backtick fence does not close a tilde fence');
  t.equal(md.line('    ~~~'), `${cyan}    ~~~${reset}`, 'indented four spaces is code, not a fence');
  md.line('~~~');
  t.notOk(md.inCode);
});

t.test('a fence inside a list item may be indented to the item\'s content + 3', async (t) => {
  const md = new MarkdownRenderer();
  md.line('1. Install:');
  t.equal(md.line('   ```sh'), `${dim}   \`\`\`sh${reset}`, 'at the content indent of "1. "');
  t.ok(md.inCode);
  t.equal(md.line('   npm i *x*'), `   ${cyan}npm i *x*${reset}`, 'the indent stays on screen, unstyled; the code is verbatim');
  t.equal(md.line('     nested'), `   ${cyan}  nested${reset}`, 'only the fence\'s own indent is indentation');
  t.equal(md.line(' a'), ` ${cyan}a${reset}`, 'a less indented line loses only what it has');
  t.equal(md.peek('      ```'), `${dim}      \`\`\`${reset}`, 'a closer at content + 3 closes');
  t.equal(md.line('       ```'), `   ${cyan}    \`\`\`${reset}`, 'at content + 4 it is code');
  md.line('   ```');
  t.notOk(md.inCode);

  const nested = new MarkdownRenderer({ color: false });
  const lines = ['- a', '  - b', '     ~~~', '     **x**', '     ~~~', '  after', '    ```', '    *y*'];
  t.same(lines.map((line) => nested.line(line)), ['• a', '  • b', '     ~~~', '     **x**', '     ~~~', '  after', '    ```', '    *y*']);
  t.ok(nested.inCode, '"after" ends item b but not item a: a fence at 4 is within 2 + 3');
});

t.test('outside a list, or once the list ends, a fence indented 4+ is not a fence', async (t) => {
  const md = new MarkdownRenderer({ color: false });
  t.equal(md.line('    ```'), '    ```');
  t.notOk(md.inCode, 'top level: indented code, not a fence');
  md.line('- item');
  md.line('');
  t.equal(md.line('    **b**'), '    b', 'a blank line keeps the item open, but this is no fence');
  md.line('    ```');
  t.ok(md.inCode, 'still inside the item after a blank line');
  md.line('    ```');
  md.line('back at the margin');
  t.equal(md.line('    ```'), '    ```');
  t.notOk(md.inCode, 'the margin line ended the list');
  md.line('- - -');
  md.line('    ```');
  t.notOk(md.inCode, 'a rule is no list item');
  md.line('-');
  md.line('  ```');
  t.ok(md.inCode, 'an empty item: content starts after the marker and one space');
  md.line('  ```');
  md.line('-      code');
  md.line('  ```');
  t.ok(md.inCode, 'five spaces after the marker: content starts after one');
});

t.test('without colour: markers become plain text, bullets and rules', async (t) => {
  const md = new MarkdownRenderer({ color: false, ruleWidth: 5 });
  t.equal(md.line('# **Title**'), 'Title');
  t.equal(md.line('a **b** `c` [d](e)'), 'a b c d (e)');
  t.equal(md.line('- x'), '• x');
  t.equal(md.line('***'), '─────');
  t.equal(md.line('```'), '```');
  t.equal(md.line('code'), 'code');
});

t.test('parseInline and plainText', async (t) => {
  t.same(parseInline('a **b** c'), ['a ', { kind: 'bold', children: ['b'] }, ' c']);
  t.equal(plainText(parseInline('~~x~~ *y* [z](https://z)')), 'x y z (https://z)');
});

t.test('LineStream renders whole lines as they complete', async (t) => {
  const stream = new LineStream(new MarkdownRenderer({ color: false }));
  t.equal(stream.push('# He'), '');
  t.equal(stream.partial, '# He');
  t.equal(stream.pending(), 'He', 'the unfinished line previewed');
  t.equal(stream.push('llo\r\n- a'), 'Hello\n', 'CRLF endings');
  t.equal(stream.push('\n\n```\ncode\n'), '• a\n\n```\ncode\n');
  t.equal(stream.pending(), '');
  t.equal(stream.push('more'), '');
  t.equal(stream.end(), 'more');
  t.equal(stream.end(), '', 'nothing twice');
  const plain = new LineStream(PLAIN_RENDERER);
  t.equal(plain.push('**x**\n'), '**x**\n', 'the plain renderer leaves text alone');
  t.equal(PLAIN_RENDERER.peek('*y'), '*y');
});
