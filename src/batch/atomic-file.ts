// Replacing a file so that a crash leaves either the old or the new one, whole.
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { err, ok, type Result } from 'neverthrow';
import { ioFailure, type BatchFailure } from './errors.js';

/**
 * Writes `path` through a temporary file beside it: `write` fills it, then fsync, rename over
 * `path`, and fsync of the directory (the rename is durable once the entry is). `verb` names
 * the operation in the failure ("write", "rewrite").
 */
export function replaceFile(path: string, verb: string, write: (fd: number) => void): Result<void, BatchFailure> {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, 'w');
    try {
      write(fd);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    return err(ioFailure(verb, path, error));
  }
  syncDirectory(dirname(path));
  return ok(undefined);
}

/** Some filesystems refuse to fsync a directory, which is no failure: the data was fsynced before the rename. */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort.
  }
}
