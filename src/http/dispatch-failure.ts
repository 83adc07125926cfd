import type { ProviderError } from '../errors/category.js';

/**
 * The documented way for a custom Dispatcher (a replay, a test double, a policy layer) to
 * end a request with an error of its own choosing: pass a DispatchFailure to the handler's
 * onResponseError. The engine reports `failure` as it is, never classifies its code, and
 * retries it only where `failure.retryable` says so. Its `code` and `name` stay visible to
 * other handlers (undici's own request()/fetch()) as on any undici error.
 */
export class DispatchFailure extends Error {
  readonly code: string | undefined;
  readonly failure: ProviderError;

  constructor(failure: ProviderError, options: { readonly code?: string; readonly name?: string; readonly message?: string } = {}) {
    super(options.message ?? failure.message);
    this.failure = failure;
    this.code = options.code ?? failure.providerCode;
    this.name = options.name ?? 'DispatchFailure';
  }
}

/** The ProviderError a DispatchFailure carries, found on the error or its `cause` chain. */
export function failureCarriedBy(error: unknown, depth = 0): ProviderError | undefined {
  if (error instanceof DispatchFailure) return error.failure;
  if (typeof error !== 'object' || error === null || depth > 8) return undefined;
  return failureCarriedBy((error as { cause?: unknown }).cause, depth + 1);
}
