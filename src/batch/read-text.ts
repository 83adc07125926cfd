// Reading a whole input or output file as text. A JavaScript string holds at most
// MAX_STRING_LENGTH characters (~512 MB): past it Buffer#toString throws, and an input or OUT
// that large (a million-record job's output is that size) crashed a resume with an exception.
// It is now a failure that says so, decided from the file's size before anything is read.
import { constants } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { err, ok, type Result } from 'neverthrow';
import { batchFailure, ioFailure, type BatchFailure } from './errors.js';

export interface FileText {
  readonly bytes: Buffer;
  readonly text: string;
}

/** The file's bytes and their UTF-8 text; `ok(undefined)` when it does not exist. */
export function readText(path: string, limit: number = constants.MAX_STRING_LENGTH): Result<FileText | undefined, BatchFailure> {
  try {
    const size = statSync(path, { throwIfNoEntry: false })?.size;
    if (size === undefined) return ok(undefined);
    if (size > limit) {
      return err(batchFailure('io', `${path} is ${size} bytes, more than one file llmux batch reads whole (${limit} bytes); split the job into several inputs (one OUT each) and merge them`));
    }
    const bytes = readFileSync(path);
    return ok({ bytes, text: bytes.toString('utf8') });
  } catch (error) {
    return err(ioFailure('read', path, error));
  }
}
