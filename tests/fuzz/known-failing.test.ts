import t from 'tap';
import { ALL, buildAimedBodyCase } from './lib/case.js';
import { caseSeed, formatFailure, runEngineCases } from './lib/campaign.js';
import { PASSING } from './lib/policies.js';
import { TARGETS } from './lib/targets.js';

/**
 * The fuzz families that break the contract today for a reason outside the SSE layer,
 * switched off in the bounded run (policies.ts) until the fix lands. Each runs here as a
 * todo with the reason; set FUZZ_KNOWN=1 to run them as real tests (they must then pass,
 * and the family's entry in PASSING goes away).
 */
const RUN = process.env['FUZZ_KNOWN'] === '1';

t.test(
  'a ~7,000-level arguments value in non-streaming bodies (issue 16, break 1: JSON.stringify throws out of perform(), the request never completes, others are stranded)',
  { todo: RUN ? false : 'the http/providers fix for break 1 has not landed on this branch' },
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
  t.same(PASSING.notInBodies, ['deep-nest']);
  t.same(PASSING.mutations, ALL.mutations);
});
