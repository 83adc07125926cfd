import t from 'tap';
import { parseInput } from '../../../src/batch/input.js';

/**
 * A line with no usable id gets the error record `@line:N`, documented as an id that "cannot
 * collide with a valid id". Nothing stopped an input line from naming that id itself: a
 * file with `{"id":"@line:2",...}` on line 1 and a malformed line 2 was refused whole as
 * "names an id more than once" (a duplicate the user never wrote), and nothing ran. Ids in
 * the `@line:` namespace are reserved now: such a line is an invalid_input record of its own.
 */
const good = (id: string): string => `${JSON.stringify({ id, request: { messages: [{ role: 'user', content: 'hi' }] } })}\n`;

t.test('an input id in the reserved @line: namespace cannot collide with a generated one', async (t) => {
  const parsed = parseInput(`${good('@line:2')}not json\n${good('ok')}`);
  t.ok(parsed.isOk(), 'the file is not refused as a whole');
  if (parsed.isErr()) return;
  const [first, second, third] = parsed.value.entries;
  t.match(first, { kind: 'invalid', record: { id: '@line:1', error: { category: 'invalid_input', message: /^line 1: .*reserved/ } } });
  t.match(second, { kind: 'invalid', record: { id: '@line:2', error: { message: /^line 2: not JSON/ } } });
  t.match(third, { kind: 'item', item: { id: 'ok' } });
});
