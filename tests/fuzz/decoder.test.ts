import t from 'tap';
import { buildCases, caseSeed, decoderBreaks } from './lib/campaign.js';
import { PASSING } from './lib/policies.js';
import { Rng } from './lib/rng.js';
import { sseSoup } from './lib/soup.js';

/**
 * The SSE decoder under hostile bytes: for each input, no throw; the events of a plain,
 * non-streaming reading of the SSE rules; and one result (events and error message) for
 * every chunking, with the default caps and with caps small enough to be crossed.
 * FUZZ_SEED changes the inputs; a failure names the seed that replays it.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 16);
const SOUP_CASES = 3_000;
const STREAM_CASES = 600;

t.test(`SSE-like byte soup (seed ${SEED})`, async (t) => {
  let failed = 0;
  for (let i = 0; i < SOUP_CASES; i++) {
    const seed = caseSeed(SEED, i);
    const bytes = sseSoup(new Rng(seed));
    const problems = decoderBreaks(bytes, seed);
    if (problems.length > 0 && failed++ < 5) t.fail(`soup seed ${seed}: ${JSON.stringify(bytes.toString('latin1'))}\n${problems.join('\n')}`);
  }
  t.equal(failed, 0, `${SOUP_CASES} inputs, ${failed} failed`);
});

t.test(`mutated provider streams (seed ${SEED})`, async (t) => {
  let failed = 0;
  let checked = 0;
  for (const fuzzCase of buildCases(SEED, STREAM_CASES, PASSING)) {
    if (!fuzzCase.streaming) continue;
    checked++;
    const problems = decoderBreaks(fuzzCase.bytes, fuzzCase.seed);
    if (problems.length > 0 && failed++ < 5) t.fail(`case seed ${fuzzCase.seed} (${fuzzCase.mutations.join(', ')}):\n${problems.join('\n')}`);
  }
  t.ok(checked > STREAM_CASES / 2, `${checked} streams checked`);
  t.equal(failed, 0);
});
