import t from 'tap';
import { ALL, buildAimedBodyCase } from '../fuzz/lib/case.js';
import { caseSeed, formatFailure, runEngineCases } from '../fuzz/lib/campaign.js';
import { PASSING } from '../fuzz/lib/policies.js';
import { TARGETS } from '../fuzz/lib/targets.js';

/**
 * Found by the fuzz campaign (seed 424242, case 2106784803): a ~7,000-level `arguments`
 * value in a Chat or Responses body threw a RangeError out of perform(); that request never
 * completed and the rest of its batch was stranded. Fixed in the engine (a throw inside one
 * transfer's processing ends that transfer alone); the bounded fuzz run draws the family again.
 */

t.test(
  'a ~7,000-level arguments value in non-streaming bodies (issue 16, break 1: JSON.stringify throws out of perform(), the request never completes, others are stranded)',
  async (t) => {
    const cases = TARGETS.flatMap((target) =>
      Array.from({ length: 10 }, (_, i) => buildAimedBodyCase(caseSeed(1601, i), target, 'deep-nest', 'arguments')),
    ).filter((fuzzCase) => fuzzCase !== undefined);
    t.equal(cases.length, 10 * TARGETS.length, 'tool-call bodies with a deep arguments value, for every target');
    const failures = await runEngineCases(cases);
    for (const failure of failures.slice(0, 3)) t.fail(formatFailure(failure));
    t.equal(failures.length, 0);
  },
);

t.test('the PASSING policy leaves out only what is listed here', async (t) => {
  t.same(PASSING.notInBodies, []);
  t.same(PASSING.mutations, ALL.mutations);
});
