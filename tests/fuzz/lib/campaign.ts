import type { Buffer } from 'node:buffer';
import { SseDecoder, type SseLimits } from '../../../src/sse/decoder.js';
import type { SseEvent } from '../../../src/sse/types.js';
import { buildCase, describeCase, type FuzzCase, type Policy } from './case.js';
import { chunk, describeChunking, type Chunking } from './chunk.js';
import { contractBreaks, signature, type Observed } from './contract.js';
import { runBatch, type Transfer } from './engine-run.js';
import { frameEvents, LINE_ENDINGS } from './frame.js';
import { referenceEvents } from './reference-sse.js';
import { Rng } from './rng.js';
import type { FuzzTarget } from './target.js';

export interface Failure {
  readonly seed: number;
  readonly description: string;
  readonly problems: readonly string[];
}

/** The seed of the i-th case of a campaign: cases are independent, so any one replays alone. */
export function caseSeed(campaignSeed: number, index: number): number {
  return new Rng((campaignSeed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0).seed();
}

/** The chunkings every case is run under; the first is the reference the others must match. */
export function chunkingsFor(fuzzCase: FuzzCase, extra: boolean): Chunking[] {
  const rng = new Rng(fuzzCase.seed ^ 0x5bd1e995);
  // Tiny pieces cost a macrotask each, so they are kept to small bodies; a few hundred bytes
  // still cut every line, character and CRLF somewhere.
  const max = fuzzCase.bytes.length <= 1_500 && rng.chance(0.3) ? rng.range(1, 4) : rng.pick([16, 64, 512]);
  const list: Chunking[] = [{ kind: 'whole' }, { kind: 'random', seed: rng.seed(), max }];
  if (extra) list.push({ kind: 'random', seed: rng.seed(), max: fuzzCase.bytes.length <= 20_000 ? rng.range(1, 6) : 97 });
  return list;
}

function mayTerminate(fuzzCase: FuzzCase, bytes: Buffer): boolean {
  if (fuzzCase.status !== 200) return false;
  const text = bytes.toString('utf8');
  if (fuzzCase.streaming) return fuzzCase.target.hasTerminal(text);
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function validBreaks(fuzzCase: FuzzCase, seen: Observed): string[] {
  const result = seen.completions[0];
  if (result === undefined) return [];
  if (result.isErr()) return [`a valid case failed: ${result.error.category}: ${result.error.message}`];
  const problems: string[] = [];
  if (result.value.text !== fuzzCase.expected.text) problems.push(`text ${JSON.stringify(result.value.text)}, expected ${JSON.stringify(fuzzCase.expected.text)}`);
  const calls = result.value.toolCalls.map(({ name, arguments: args }) => ({ name, arguments: args }));
  if (JSON.stringify(calls) !== JSON.stringify(fuzzCase.expected.toolCalls)) problems.push(`tool calls ${JSON.stringify(calls)}, expected ${JSON.stringify(fuzzCase.expected.toolCalls)}`);
  return problems;
}

interface Planned {
  readonly fuzzCase: FuzzCase;
  /** One per run of the case: which bytes, which chunking, and what must match what. */
  readonly runs: { readonly transfer: Transfer; readonly label: string }[];
}

function plan(fuzzCase: FuzzCase, extraChunkings: boolean): Planned {
  const runs: Planned['runs'] = [];
  const add = (bytes: Buffer, chunking: Chunking, label: string): void => {
    const key = `${fuzzCase.seed}:${runs.length}`;
    runs.push({ label, transfer: { key, streaming: fuzzCase.streaming, status: fuzzCase.status, headers: fuzzCase.headers, bytes, chunking, end: fuzzCase.end } });
  };
  for (const chunking of chunkingsFor(fuzzCase, extraChunkings)) add(fuzzCase.bytes, chunking, describeChunking(chunking));
  if (fuzzCase.framable !== undefined) {
    const rng = new Rng(fuzzCase.seed ^ 0x27d4eb2f);
    for (const eol of LINE_ENDINGS) {
      if (eol === fuzzCase.eol) continue;
      const chunking: Chunking = { kind: 'random', seed: rng.seed(), max: rng.pick([5, 64, 300]) };
      add(frameEvents(fuzzCase.framable, eol), chunking, `line ending ${JSON.stringify(eol)}, ${describeChunking(chunking)}`);
    }
  }
  return { fuzzCase, runs };
}

/** Runs cases through the engine, batched per target on one provider each; returns the failures. */
export async function runEngineCases(cases: readonly FuzzCase[], extraChunkings = false): Promise<Failure[]> {
  const failures: Failure[] = [];
  const byTarget = new Map<FuzzTarget, Planned[]>();
  for (const fuzzCase of cases) {
    const list = byTarget.get(fuzzCase.target) ?? [];
    list.push(plan(fuzzCase, extraChunkings));
    byTarget.set(fuzzCase.target, list);
  }
  for (const [target, planned] of byTarget) {
    const batch = await runBatch(target, planned.flatMap((p) => p.runs.map((run) => run.transfer)));
    const shared = [...batch.hostErrors, ...(batch.stalled ? ['the host loop stalled before every request completed'] : [])];
    for (const { fuzzCase, runs } of planned) {
      // What reached the host cannot be pinned on one request: every case of the batch carries it.
      const problems = shared.map((line) => `in its batch: ${line}`);
      let reference: string | undefined;
      for (const { transfer, label } of runs) {
        const seen = batch.observed.get(transfer.key);
        if (seen === undefined) continue;
        const expect = { streaming: fuzzCase.streaming, mayTerminate: mayTerminate(fuzzCase, transfer.bytes) };
        for (const line of contractBreaks(seen, expect)) problems.push(`${label}: ${line}`);
        if (fuzzCase.valid) for (const line of validBreaks(fuzzCase, seen)) problems.push(`${label}: ${line}`);
        const sig = signature(seen);
        reference ??= sig;
        if (sig !== reference) problems.push(`${label}: a different result than ${runs[0]?.label}:\n    ${reference}\n    ${sig}`);
      }
      if (problems.length > 0) failures.push({ seed: fuzzCase.seed, description: describeCase(fuzzCase), problems });
    }
  }
  return failures;
}

/** Small caps, so the fuzz reaches them: the message must not depend on the chunking either. */
export const SMALL_LIMITS: SseLimits = { maxLineLength: 96, maxEventLength: 160 };

function decodeChunks(chunks: readonly Buffer[], limits?: SseLimits): { events: SseEvent[]; error: string | undefined; threw?: string } {
  const events: SseEvent[] = [];
  try {
    const decoder = new SseDecoder((event) => void events.push(event), limits);
    let error: string | undefined;
    for (const piece of chunks) error ??= decoder.feed(piece)?.message;
    error ??= decoder.end()?.message;
    return { events, error };
  } catch (error) {
    return { events, error: undefined, threw: String(error) };
  }
}

/** The decoder alone: no throw, the oracle's events, and one result for every chunking and both cap settings. */
export function decoderBreaks(bytes: Buffer, seed: number): string[] {
  const problems: string[] = [];
  const rng = new Rng(seed);
  const chunkings: Chunking[] = [{ kind: 'whole' }, { kind: 'random', seed: rng.seed(), max: rng.pick([2, 5, 40]) }];
  if (bytes.length <= 4096) chunkings.push({ kind: 'bytes' });
  for (const limits of [undefined, SMALL_LIMITS]) {
    let first: string | undefined;
    for (const how of chunkings) {
      const got = decodeChunks(chunk(bytes, how), limits);
      if (got.threw !== undefined) problems.push(`${describeChunking(how)}: threw ${got.threw}`);
      const sig = JSON.stringify(got);
      first ??= sig;
      if (sig !== first) problems.push(`${limits === undefined ? 'default caps' : 'small caps'}, ${describeChunking(how)}: differs from one chunk:\n    ${first}\n    ${sig}`);
    }
    if (limits === undefined) {
      const oracle = JSON.stringify({ events: referenceEvents(bytes), error: undefined });
      if (first !== oracle) problems.push(`one chunk differs from the reference framing:\n    ${oracle}\n    ${first}`);
    }
  }
  return problems;
}

export function buildCases(campaignSeed: number, count: number, policy: Policy, start = 0): FuzzCase[] {
  return Array.from({ length: count }, (_, i) => buildCase(caseSeed(campaignSeed, start + i), policy));
}

export function formatFailure(failure: Failure): string {
  return `FAIL ${failure.description}\n${failure.problems.map((line) => `  - ${line}`).join('\n')}`;
}
