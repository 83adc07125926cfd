// `llmux batch merge OUT1 OUT2 ... -o ALL`: joins the outputs of shards (or of runs over
// parts of an input) into one file with every id once. An id in two files, or twice in
// one, is an error naming the ids and the files, and nothing is written: the merge never
// picks a winner on its own. A torn last line (a shard that was killed) is an error too:
// resume that shard first, so its last request is not silently missing.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { err, ok, type Result } from 'neverthrow';
import { batchFailure, ioFailure, type BatchFailure } from './errors.js';
import { formatRecord, readOutput } from './output.js';
import type { BatchRecord } from './types.js';

export interface MergeResult {
  readonly records: number;
  readonly ok: number;
  readonly failed: number;
  /** Records per input file, in the order given. */
  readonly perFile: readonly { readonly path: string; readonly records: number }[];
}

const SHOWN = 10;

export function mergeOutputs(paths: readonly string[], outPath: string): Result<MergeResult, BatchFailure> {
  if (paths.length === 0) return err(batchFailure('invalid_option', 'merge needs at least one output file to read'));
  if (paths.includes(outPath)) return err(batchFailure('invalid_option', `merge would overwrite its input ${outPath}; write to another file`));
  const where = new Map<string, string[]>();
  const all: BatchRecord[] = [];
  const perFile: { path: string; records: number }[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      return err(ioFailure('read', path, error));
    }
    const contents = readOutput(text, path);
    if (contents.isErr()) return err(contents.error);
    if (contents.value.tornBytes > 0) {
      return err(batchFailure('corrupt_output', `${path} ends in a torn line (a run was killed while writing); run "llmux batch --resume" for it first`));
    }
    for (const record of contents.value.records) {
      const files = where.get(record.id);
      if (files === undefined) where.set(record.id, [path]);
      else files.push(path);
      all.push(record);
    }
    perFile.push({ path, records: contents.value.records.length });
  }
  const repeated = [...where].filter(([, files]) => files.length > 1);
  if (repeated.length > 0) {
    const shown = repeated.slice(0, SHOWN).map(([id, files]) => `${JSON.stringify(id)} (${files.join(', ')})`);
    const more = repeated.length > SHOWN ? ` and ${repeated.length - SHOWN} more` : '';
    return err(
      batchFailure('merge_conflict', `${repeated.length} id(s) have more than one record: ${shown.join('; ')}${more}; nothing was written`, repeated.slice(0, 200).map(([id]) => id)),
    );
  }
  const written = writeAll(outPath, all);
  if (written.isErr()) return err(written.error);
  const okCount = all.filter((record) => record.ok).length;
  return ok({ records: all.length, ok: okCount, failed: all.length - okCount, perFile });
}

function writeAll(path: string, records: readonly BatchRecord[]): Result<void, BatchFailure> {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, 'w');
    try {
      for (let i = 0; i < records.length; i += 1000) writeSync(fd, records.slice(i, i + 1000).map(formatRecord).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    return ok(undefined);
  } catch (error) {
    rmSync(temp, { force: true });
    return err(ioFailure('write', path, error));
  }
}
