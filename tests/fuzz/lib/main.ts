/**
 * `make fuzz`: a long campaign, or the replay of one case.
 *   FUZZ_SEED     campaign seed (default: from the clock, printed first)
 *   FUZZ_SECONDS  time budget (default 60)
 *   FUZZ_POLICY   `passing` (default: what make check draws) or `all` (known-failing families too)
 *   FUZZ_REPLAY   one case seed, as a failure prints it: run that case alone, verbosely
 * Exit status 1 when any case failed; each failure prints the line that replays it.
 */
import { describeCase, buildCase, type FuzzCase } from './case.js';
import { caseSeed, decoderBreaks, formatFailure, runEngineCases, type Failure } from './campaign.js';
import { policyNamed } from './policies.js';

function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

function decoderFailures(cases: readonly FuzzCase[]): Failure[] {
  const failures: Failure[] = [];
  for (const fuzzCase of cases) {
    if (!fuzzCase.streaming || fuzzCase.status !== 200) continue;
    const problems = decoderBreaks(fuzzCase.bytes, fuzzCase.seed).map((line) => `decoder: ${line}`);
    if (problems.length > 0) failures.push({ seed: fuzzCase.seed, description: describeCase(fuzzCase), problems });
  }
  return failures;
}

async function replay(seed: number, policyName: string): Promise<number> {
  const fuzzCase = buildCase(seed, policyNamed(policyName));
  console.log(describeCase(fuzzCase));
  const preview = fuzzCase.bytes.toString('utf8');
  console.log(`status ${fuzzCase.status}, end ${fuzzCase.end}, body (${fuzzCase.bytes.length} bytes):\n${preview.length > 4000 ? `${preview.slice(0, 4000)}...` : preview}`);
  const failures = [...decoderFailures([fuzzCase]), ...(await runEngineCases([fuzzCase], true))];
  for (const failure of failures) console.log(formatFailure(failure));
  console.log(failures.length === 0 ? 'PASS' : 'FAIL');
  return failures.length === 0 ? 0 : 1;
}

async function campaign(seed: number, seconds: number, policyName: string): Promise<number> {
  const policy = policyNamed(policyName);
  console.log(`fuzz: seed ${seed}, ${seconds} s, policy ${policy.name} (FUZZ_SEED=${seed} repeats this campaign)`);
  const deadline = Date.now() + seconds * 1000;
  const batch = 100;
  let ran = 0;
  let failed = 0;
  while (Date.now() < deadline) {
    const cases = Array.from({ length: batch }, (_, i) => buildCase(caseSeed(seed, ran + i), policy));
    const failures = [...decoderFailures(cases), ...(await runEngineCases(cases, true))];
    for (const failure of failures) console.log(formatFailure(failure));
    failed += new Set(failures.map((failure) => failure.seed)).size;
    ran += batch;
    if (ran % 1000 === 0) console.log(`fuzz: ${ran} cases, ${failed} failed`);
  }
  console.log(`fuzz: ${ran} cases in ${seconds} s, ${failed} failed (seed ${seed})`);
  return failed === 0 ? 0 : 1;
}

const replaySeed = env('FUZZ_REPLAY');
const policy = env('FUZZ_POLICY') ?? 'passing';
const status =
  replaySeed !== undefined
    ? await replay(Number(replaySeed) >>> 0, policy)
    : await campaign(Number(env('FUZZ_SEED') ?? Date.now() % 0x1_0000_0000) >>> 0, Number(env('FUZZ_SECONDS') ?? 60), policy);
process.exitCode = status;
