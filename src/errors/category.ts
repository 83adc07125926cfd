/**
 * Every failure llmux reports lands in exactly one of these categories, so a host can
 * branch on a closed set instead of parsing messages.
 */
export type ErrorCategory =
  | 'auth'
  | 'rate_limit'
  | 'invalid_arg'
  | 'not_found'
  | 'server'
  | 'timeout'
  | 'content_filter'
  | 'network'
  | 'cancelled'
  /** The bytes were not the protocol we expected: malformed SSE or JSON, a truncated stream, an over-long line. */
  | 'protocol'
  | 'unknown';

/** Which deadline expired, so a person can tell a dead host from a slow model. */
export type TimeoutPhase = 'connect' | 'headers' | 'idle' | 'total';

/**
 * What a stream had produced when it failed mid-way: the answer's text and its content
 * blocks as far as they arrived (ChatResponse's `content` blocks; tool calls not yet
 * finished are left out), for a host that shows or keeps them.
 */
export interface PartialOutput {
  readonly text: string;
  readonly content: readonly { readonly type: string }[];
}

export interface ProviderError {
  readonly category: ErrorCategory;
  /** One sentence a person can act on; never contains an API key. */
  readonly message: string;
  readonly httpStatus?: number;
  /** The provider's own error code (`insufficient_quota`, `context_length_exceeded`, ...). */
  readonly providerCode?: string;
  /** The provider's own error type (`invalid_request_error`, ...). */
  readonly providerType?: string;
  /** The request parameter the provider blamed, where it said. */
  readonly param?: string;
  readonly retryAfterMs?: number;
  readonly retryable: boolean;
  readonly phase?: TimeoutPhase;
  /** What to do about it, for people. */
  readonly hint?: string;
  /** How many attempts were made before giving up (1 = no retry). */
  readonly attempts?: number;
  /** The provider's id of the failed request (`x-request-id`, `request-id`, or the body's `request_id`). */
  readonly requestId?: string;
  /**
   * The error response's rate-limit and request-id headers (lower-case names, filtered as
   * ChatResponse.headers is); absent for errors that had no HTTP response.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** A stream that failed after content arrived: that content (absent when nothing had). */
  readonly partial?: PartialOutput;
}

export const RETRYABLE_BY_DEFAULT: Readonly<Record<ErrorCategory, boolean>> = {
  auth: false,
  rate_limit: true,
  invalid_arg: false,
  not_found: false,
  server: true,
  timeout: true,
  content_filter: false,
  network: true,
  cancelled: false,
  protocol: false,
  unknown: false,
};

export interface ErrorInit {
  readonly message: string;
  readonly httpStatus?: number;
  readonly providerCode?: string;
  readonly providerType?: string;
  readonly param?: string;
  readonly retryAfterMs?: number;
  readonly retryable?: boolean;
  readonly phase?: TimeoutPhase;
  readonly hint?: string;
  readonly attempts?: number;
  readonly requestId?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Builds a ProviderError, dropping undefined fields so errors compare and print cleanly. */
export function providerError(category: ErrorCategory, init: ErrorInit): ProviderError {
  const error: { -readonly [K in keyof ProviderError]: ProviderError[K] } = {
    category,
    message: init.message,
    retryable: init.retryable ?? RETRYABLE_BY_DEFAULT[category],
  };
  if (init.httpStatus !== undefined) error.httpStatus = init.httpStatus;
  if (init.providerCode !== undefined) error.providerCode = init.providerCode;
  if (init.providerType !== undefined) error.providerType = init.providerType;
  if (init.param !== undefined) error.param = init.param;
  if (init.retryAfterMs !== undefined) error.retryAfterMs = init.retryAfterMs;
  if (init.phase !== undefined) error.phase = init.phase;
  if (init.hint !== undefined) error.hint = init.hint;
  if (init.attempts !== undefined) error.attempts = init.attempts;
  if (init.requestId !== undefined) error.requestId = init.requestId;
  if (init.headers !== undefined) error.headers = init.headers;
  return error;
}

export function withAttempts(error: ProviderError, attempts: number): ProviderError {
  return { ...error, attempts };
}
