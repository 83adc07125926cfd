import t from 'tap';
import { PartialArgs, parseJsonPath } from '../../../src/providers/gemini/partial-args.js';

function build(fragments: unknown[][]): string {
  const args = new PartialArgs();
  for (const batch of fragments) {
    const error = args.apply(batch);
    if (error !== undefined) throw new Error(error.message);
  }
  return args.json()._unsafeUnwrap();
}

function failure(fragments: unknown[]): string {
  const error = new PartialArgs().apply(fragments);
  if (error === undefined) throw new Error('expected an error');
  t.equal(error.category, 'protocol');
  return error.message;
}

t.test('paths', async (t) => {
  t.same(parseJsonPath('$.a.b[0][12]').unwrapOr([]), ['a', 'b', 0, 12]);
  t.same(parseJsonPath("$['x y'][\"q\\\"\"]").unwrapOr([]), ['x y', 'q"']);
  t.same(parseJsonPath('$').unwrapOr(['x']), []);
  t.ok(parseJsonPath('a.b').isErr());
  t.ok(parseJsonPath('$.a[').isErr());
  t.ok(parseJsonPath('$[1000001]').isErr());
});

t.test('strings continue, numbers, booleans and nulls set, nesting builds objects and arrays', async (t) => {
  t.equal(
    build([
      [{ jsonPath: '$.recipe.ingredients[0].name', stringValue: 'Lasa', willContinue: true }],
      [{ jsonPath: '$.recipe.ingredients[0].name', stringValue: 'gna', willContinue: true }],
      [{ jsonPath: '$.recipe.ingredients[0].name', stringValue: '' }],
      [{ jsonPath: '$.recipe.ingredients[0].grams', numberValue: 0.5 }],
      [{ jsonPath: '$.recipe.vegan', boolValue: false }, { jsonPath: '$.recipe.note', nullValue: 'NULL_VALUE' }],
      [{ jsonPath: '$.recipe.steps[1]', stringValue: 'b' }],
      [{ jsonPath: '$.recipe.steps[0]', stringValue: 'a' }],
      [{ jsonPath: '$.marker', willContinue: true }],
    ]),
    JSON.stringify({ recipe: { ingredients: [{ name: 'Lasagna', grams: 0.5 }], vegan: false, note: null, steps: ['a', 'b'] } }),
  );
  t.equal(
    build([[{ jsonPath: '$.id', stringValue: 'A' }], [{ jsonPath: '$.id', stringValue: 'B' }]]),
    '{"id":"B"}',
    'a string that did not say it continues is replaced, not appended to',
  );
  t.equal(build([[{ jsonPath: '$.__proto__.x', numberValue: 1 }]]), '{"__proto__":{"x":1}}', '__proto__ is only a key');
  const whole = new PartialArgs();
  whole.setWhole({ a: [1, { b: 2 }] });
  t.equal(whole.apply([{ jsonPath: '$.a[1].c', stringValue: 'x' }]), undefined);
  t.equal(whole.json()._unsafeUnwrap(), '{"a":[1,{"b":2,"c":"x"}]}');
  t.equal(build([]), '{}');
});

t.test('malformed fragments are protocol errors', async (t) => {
  t.match(failure(['x']), /not an object/);
  t.match(failure([{ stringValue: 'x' }]), /no jsonPath/);
  t.match(failure([{ jsonPath: 'x', stringValue: 'x' }]), /does not start with \$/);
  t.match(failure([{ jsonPath: '$', stringValue: 'x' }]), /whole arguments/);
  t.match(failure([{ jsonPath: '$[0]', stringValue: 'x' }]), /does not fit/);
  t.match(failure([{ jsonPath: '$.a', numberValue: 1 }, { jsonPath: '$.a.b', numberValue: 2 }]), /crosses a value of another type/);
  t.match(failure([{ jsonPath: '$.a[0]', numberValue: 1 }, { jsonPath: '$.a.b', numberValue: 2 }]), /crosses/);
  t.match(failure([{ jsonPath: '$.a.b', numberValue: 1 }, { jsonPath: '$.a[0].c', numberValue: 2 }]), /crosses/);
  t.match(failure([{ jsonPath: '$[0].a', numberValue: 1 }]), /crosses/);
});
