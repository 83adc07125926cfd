// Opening a job on disk: read and hash the input, parse it, take the shard, apply `strict`,
// and, on resume, recover the output (torn tail), plan what is left and move superseded
// records aside. Everything a run needs before the first request goes out.
import { statSync } from 'node:fs';
import { err, ok, type Result } from 'neverthrow';
import { compactOutput } from './compact.js';
import { batchFailure, type BatchFailure } from './errors.js';
import { parseInput, type InputDefaults, type InputEntry } from './input.js';
import { manifestPath, readManifest, sha256 } from './manifest.js';
import { recoverOutput } from './output.js';
import { readText } from './read-text.js';
import { entryId, planResume, remaining } from './resume.js';
import { inShard, type Shard } from './shard.js';
import type { BatchManifest, BatchRecord } from './types.js';

export interface JobOptions extends InputDefaults {
  readonly input: string;
  readonly output: string;
  /** Continue an existing output: skip ids that have a record for the same request. */
  readonly resume?: boolean;
  /** With resume: run the failed ids again (implies resume). */
  readonly retryErrors?: boolean;
  /** Stop at the first invalid line instead of writing it as an error record. */
  readonly strict?: boolean;
  readonly shard?: Shard;
}

export interface OpenedJob {
  /** This shard's entries, in input order. */
  readonly entries: readonly InputEntry[];
  /** Those still to run. */
  readonly todo: readonly InputEntry[];
  /** Records already in the output that stand (resume). */
  readonly kept: readonly BatchRecord[];
  readonly superseded: number;
  readonly tornBytes: number;
  readonly input: BatchManifest['input'];
  /** The manifest a previous run left, if any. */
  readonly previous: BatchManifest | undefined;
}

export function openJob(options: JobOptions): Result<OpenedJob, BatchFailure> {
  const read = readText(options.input);
  if (read.isErr()) return err(read.error);
  if (read.value === undefined) return err(batchFailure('io', `could not read ${options.input}: ENOENT: no such file or directory`));
  const { bytes, text } = read.value;
  const parsed = parseInput(text, options);
  if (parsed.isErr()) return err(parsed.error);
  const entries = parsed.value.entries.filter((entry) => inShard(entryId(entry), options.shard));
  if (options.strict === true) {
    const bad = entries.find((entry) => entry.kind === 'invalid');
    if (bad?.kind === 'invalid') {
      return err(batchFailure('strict', `${options.input}: ${bad.record.error?.message ?? 'invalid line'} (--strict stops at the first invalid line; nothing was sent)`, [bad.record.id]));
    }
  }
  const input = { path: options.input, sha256: sha256(bytes), lines: parsed.value.lines };
  const resume = options.resume === true || options.retryErrors === true;
  if (!resume) {
    const existing = statSync(options.output, { throwIfNoEntry: false });
    if (existing !== undefined && (!existing.isFile() || existing.size > 0)) {
      return err(batchFailure('invalid_option', `${options.output} already exists; pass --resume to continue it, or choose another output file`));
    }
    return ok({ entries, todo: entries, kept: [], superseded: 0, tornBytes: 0, input, previous: undefined });
  }
  const previous = readManifest(manifestPath(options.output));
  if (previous.isErr()) return err(previous.error);
  const recovered = recoverOutput(options.output);
  if (recovered.isErr()) return err(recovered.error);
  const plan = planResume(entries, recovered.value.records, { retryErrors: options.retryErrors === true });
  const moved = compactOutput(options.output, plan.keep, plan.superseded);
  if (moved.isErr()) return err(moved.error);
  return ok({
    entries,
    todo: remaining(entries, plan),
    kept: plan.keep,
    superseded: plan.superseded.length,
    tornBytes: recovered.value.tornBytes,
    input,
    previous: previous.value,
  });
}
