import { providerError, type ProviderError } from '../errors/category.js';
import { hintFor } from '../errors/hints.js';

/** The start call's answer to a signal that was aborted before the request existed. */
export function abortedBeforeStart(signal: AbortSignal): ProviderError {
  return providerError('cancelled', {
    message: `the request was aborted before it started${reasonText(signal)}`,
    hint: hintFor('cancelled'),
  });
}

/**
 * Listens for `abort` until the returned function is called. The listener is removed on
 * completion, so one long-lived signal shared by many requests keeps none of them alive.
 */
export function onAbort(signal: AbortSignal | undefined, abort: () => void): () => void {
  if (signal === undefined) return noop;
  signal.addEventListener('abort', abort, { once: true });
  return () => signal.removeEventListener('abort', abort);
}

function reasonText(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name !== 'AbortError') return ` (${reason.message})`;
  return typeof reason === 'string' ? ` (${reason})` : '';
}

function noop(): void {
  // Nothing to release without a signal.
}
