/** Why a VCR operation failed. These are test-infrastructure errors, not provider errors. */
export type VcrErrorKind =
  /** A cassette line is not valid JSON or not a valid cassette line. */
  | 'parse'
  /** Reading or writing the cassette file failed. */
  | 'io'
  /** The cassette file does not exist (replay needs one). */
  | 'not_found'
  /** Something shaped like a secret is still in the cassette; it was not saved. */
  | 'secret'
  /** Replay finished with recorded exchanges never played, or requests that matched nothing. */
  | 'unused'
  /** Saving while exchanges are still in flight. */
  | 'in_flight'
  /** A bad mode, fault spec or option. */
  | 'config'
  /** The function given to withCassette threw or rejected. */
  | 'callback';

export interface VcrError {
  readonly kind: VcrErrorKind;
  /** One sentence naming the file (and line) where it applies; never contains a secret. */
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  /** The thrown value, for `callback` and `io` errors. */
  readonly cause?: unknown;
}

export function vcrError(kind: VcrErrorKind, message: string, extra: Omit<VcrError, 'kind' | 'message'> = {}): VcrError {
  return { kind, message, ...extra };
}
