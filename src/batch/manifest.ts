// The manifest beside the output (`OUT.jsonl.manifest.json`): what the job was (the input's
// hash, the options that change results), how far it got (counts) and, for the Batch API lane,
// which provider batches it submitted. It is rewritten whole at each checkpoint through a
// temporary file, fsync and rename, so a reader (or a restart after SIGKILL) sees the old
// manifest or the new one, never half of either.
import { createHash } from 'node:crypto';
import { readFileSync, writeSync } from 'node:fs';
import { replaceFile } from './atomic-file.js';
import { err, ok, type Result } from 'neverthrow';
import { batchFailure, ioFailure, type BatchFailure } from './errors.js';
import { isRecord } from './openai-line.js';
import type { JobOptions, OpenedJob } from './job.js';
import type { BatchManifest } from './types.js';

/** Where the manifest of an output file lives. */
export function manifestPath(outputPath: string): string {
  return `${outputPath}.manifest.json`;
}

/** SHA-256 of the input's bytes, hex: the manifest's `input.sha256`. */
export function sha256(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes `manifest` to `path` atomically (temp + fsync + rename + fsync of the directory). */
export function writeManifest(path: string, manifest: BatchManifest): Result<void, BatchFailure> {
  return replaceFile(path, 'write', (fd) => writeSync(fd, `${JSON.stringify(manifest, null, 2)}\n`));
}

/** Reads a manifest; `ok(undefined)` when there is none. */
export function readManifest(path: string): Result<BatchManifest | undefined, BatchFailure> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT') return ok(undefined);
    return err(ioFailure('read', path, error));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err(batchFailure('io', `${path} is not JSON; delete it to start the manifest afresh`));
  }
  if (!isRecord(value) || value['version'] !== 1 || !isRecord(value['input']) || !isRecord(value['counts']) || !Array.isArray(value['batches'])) {
    return err(batchFailure('io', `${path} is not a version 1 batch manifest; delete it to start the manifest afresh`));
  }
  return ok(value as unknown as BatchManifest);
}

/** The live lane's manifest at one checkpoint. `manifestOptions` (the CLI's flags) win over the defaults. */
export function liveManifest(
  options: JobOptions & { readonly stream?: boolean; readonly manifestOptions?: BatchManifest['options'] },
  job: Pick<OpenedJob, 'input' | 'previous'>,
  counts: BatchManifest['counts'],
  startedAt: string,
  nowMs: number,
  complete: boolean,
): BatchManifest {
  return {
    version: 1,
    input: job.input,
    output: options.output,
    lane: 'live',
    options: options.manifestOptions ?? {
      provider: options.provider ?? null,
      model: options.model ?? null,
      stream: options.stream === true,
      shard: options.shard === undefined ? null : `${options.shard.index}/${options.shard.count}`,
    },
    counts,
    batches: job.previous?.batches ?? [],
    startedAt,
    updatedAt: new Date(nowMs).toISOString(),
    complete,
  };
}
