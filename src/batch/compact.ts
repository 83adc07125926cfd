// Rewrites an output file without its superseded records (see resume.ts), which are appended
// to `OUT.superseded.jsonl` first: a record that was paid for is moved, never deleted. The
// new OUT replaces the old through replaceFile (temp, fsync, rename, directory fsync), so a crash
// in the middle leaves the old OUT (and at worst a superseded file with some records twice,
// which nothing reads back).
import { appendFileSync, writeSync } from 'node:fs';
import { replaceFile } from './atomic-file.js';
import { err, ok, type Result } from 'neverthrow';
import { ioFailure, type BatchFailure } from './errors.js';
import { formatRecord } from './output.js';
import type { BatchRecord } from './types.js';

export function supersededPath(outputPath: string): string {
  return outputPath.endsWith('.jsonl') ? `${outputPath.slice(0, -'.jsonl'.length)}.superseded.jsonl` : `${outputPath}.superseded.jsonl`;
}

export function compactOutput(path: string, keep: readonly BatchRecord[], superseded: readonly BatchRecord[]): Result<void, BatchFailure> {
  if (superseded.length === 0) return ok(undefined);
  const aside = supersededPath(path);
  try {
    appendFileSync(aside, superseded.map(formatRecord).join(''));
  } catch (error) {
    return err(ioFailure('append to', aside, error));
  }
  // In slices, so a large output is not one giant string.
  return replaceFile(path, 'rewrite', (fd) => {
    for (let i = 0; i < keep.length; i += 1000) writeSync(fd, keep.slice(i, i + 1000).map(formatRecord).join(''));
  });
}
