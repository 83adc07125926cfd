import t from 'tap';
import { parseToolArguments } from '../../src/providers/tool-arguments.js';

t.test('tool arguments parse strictly into an object', async (t) => {
  const parsed = parseToolArguments('{"city":"Zürich","days":[1,2]}');
  t.same(parsed.isOk() ? parsed.value : null, { city: 'Zürich', days: [1, 2] });
  t.same(parseToolArguments('').isOk() ? parseToolArguments('').unwrapOr({}) : null, {}, 'no arguments at all is an empty object');
  const broken = parseToolArguments('{"city": "Zür');
  t.ok(broken.isErr());
  t.match(broken.isErr() ? broken.error.message : '', /not valid JSON .*"\{\\"city\\": \\"Zür"/);
  t.match(parseToolArguments('[1]').isErr() ? parseToolArguments('[1]')._unsafeUnwrapErr().message : '', /must be a JSON object, got an array/);
  t.match(parseToolArguments('42')._unsafeUnwrapErr().message, /got number/);
  t.match(parseToolArguments('null')._unsafeUnwrapErr().message, /got object/);
  t.match(parseToolArguments(`{"a":"${'x'.repeat(200)}`)._unsafeUnwrapErr().message, /\.\.\."$/, 'long input is cut in the message');
});
