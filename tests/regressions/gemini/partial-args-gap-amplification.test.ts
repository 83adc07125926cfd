import t from 'tap';
import { PartialArgs } from '../../../src/providers/gemini/partial-args.js';

/**
 * A `partialArgs` path may name an array index up to 100,000, and a gap before it is padded
 * with nulls. The cap was per path: each 30-byte fragment `$.aN[100000]` allocated another
 * 100,000-slot array, so one chunk of a few thousand fragments asked for hundreds of millions
 * of slots (gigabytes) and could bring the process down. The padding is now capped over the
 * whole call: past it the fragments are a broken stream, a `protocol` error.
 */

t.test('many far indexes on different arrays: a protocol error, not gigabytes of nulls', async (t) => {
  const fragments = Array.from({ length: 50 }, (_, i) => ({ jsonPath: `$.a${i}[100000]`, numberValue: 1 }));
  const error = new PartialArgs().apply(fragments);
  t.equal(error?.category, 'protocol');
  t.match(error?.message, /skip/);
});

t.test('a small gap is still padded, and in-order arrays cost nothing', async (t) => {
  const args = new PartialArgs();
  t.equal(args.apply([{ jsonPath: '$.a[2]', numberValue: 1 }]), undefined);
  const inOrder = Array.from({ length: 1000 }, (_, i) => ({ jsonPath: `$.b[${i}]`, numberValue: i }));
  t.equal(args.apply(inOrder), undefined);
  t.match(args.json().isOk() && args.json()._unsafeUnwrap(), /^\{"a":\[null,null,1\],"b":\[0,1,2,/);
});
