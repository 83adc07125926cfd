// What can stop a whole job (as opposed to one request, which becomes an error record):
// errors as values, each a sentence a person can act on.

export type BatchFailureKind =
  /** Reading or writing a file failed (the path is in the message). */
  | 'io'
  /** The input names an id more than once. */
  | 'duplicate_ids'
  /** The output file has a line that is not a record, before its last line. */
  | 'corrupt_output'
  /** A provider has no usable credential (no API key): every request to it would fail alike. */
  | 'auth'
  /** An option is out of range or two options conflict. */
  | 'invalid_option'
  /** `strict` and a line was invalid or a request failed validation. */
  | 'strict'
  /** `merge`: an id is in more than one file, with different results. */
  | 'merge_conflict'
  /** A provider's Batch API refused a call the run cannot go on without (a key, a batch, an answer it cannot read). */
  | 'batch_api'
  /** A lane or feature this build does not have yet. */
  | 'wrong_lane';

export interface BatchFailure {
  readonly kind: BatchFailureKind;
  readonly message: string;
  /** The ids concerned (duplicates, merge conflicts), when there are any; at most a few hundred. */
  readonly ids?: readonly string[];
}

export function batchFailure(kind: BatchFailureKind, message: string, ids?: readonly string[]): BatchFailure {
  return ids === undefined ? { kind, message } : { kind, message, ids };
}

/** An fs exception as a failure: the code and path, not a stack. */
export function ioFailure(action: string, path: string, error: unknown): BatchFailure {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const detail = error instanceof Error ? error.message : String(error);
  return batchFailure('io', `could not ${action} ${path}: ${code !== '' ? `${code}: ` : ''}${detail.replace(/^[A-Z]+: /, '')}`);
}
