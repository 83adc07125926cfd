import t from 'tap';
import { ALL } from './lib/case.js';
import { buildCases, formatFailure, runEngineCases } from './lib/campaign.js';
import { PASSING } from './lib/policies.js';

/**
 * The fuzz families that break the contract today for a reason outside the SSE layer,
 * switched off in the bounded run (policies.ts) until the fix lands. Each runs here as a
 * todo with the reason; set FUZZ_KNOWN=1 to run them as real tests (they must then pass,
 * and the family's entry in PASSING goes away).
 */
const RUN = process.env['FUZZ_KNOWN'] === '1';

t.test(
  'deep-nest values in non-streaming bodies (issue 16, break 1: JSON.stringify throws out of perform(), the request never completes, others are stranded)',
  { todo: RUN ? false : 'the http/providers fix for break 1 has not landed on this branch' },
  async (t) => {
    const cases = buildCases(1601, 400, ALL).filter((c) => !c.streaming && c.mutations.includes('deep-nest'));
    t.ok(cases.length > 0, `${cases.length} cases`);
    const failures = await runEngineCases(cases);
    for (const failure of failures.slice(0, 3)) t.fail(formatFailure(failure));
    t.equal(failures.length, 0);
  },
);

t.test('the PASSING policy leaves out only what is listed here', async (t) => {
  t.same(PASSING.notInBodies, ['deep-nest']);
  t.same(PASSING.mutations, ALL.mutations);
});
