import { providerError, type ProviderError, type TimeoutPhase } from '../errors/category.js';
import { classifyNetworkCode } from '../errors/http-status.js';
import { hintFor } from '../errors/hints.js';
import { failureCarriedBy } from './dispatch-failure.js';
import type { Timeouts } from './types.js';

/** The first string `code` on an error or its `cause` chain (undici wraps socket errors). */
export function errorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 8) return undefined;
  const direct = (error as { code?: unknown }).code;
  if (typeof direct === 'string') return direct;
  return errorCode((error as { cause?: unknown }).cause, depth + 1);
}

/** An Error as undici delivers it: message, `name` and the network `code`. */
export function wireError(message: string, code?: string, name?: string): Error {
  const error: Error & { code?: string } = new Error(message);
  if (code !== undefined) error.code = code;
  if (name !== undefined) error.name = name;
  return error;
}

/** What a dispatcher's onResponseError means for the user; a DispatchFailure speaks for itself. */
export function networkFailure(error: unknown, url: string, connected: boolean): ProviderError {
  const carried = failureCarriedBy(error);
  if (carried !== undefined) return carried;
  const code = errorCode(error);
  const { category, what, retryable } = classifyNetworkCode(code);
  const when = connected ? 'after connecting' : 'before connecting';
  const detail = error instanceof Error && error.message !== '' ? `: ${error.message}` : '';
  return providerError(category, {
    message: `${what} talking to ${hostOf(url)} (${when}${code !== undefined ? `, ${code}` : ''})${detail}`,
    providerCode: code,
    retryable,
    hint: hintFor(category),
  });
}

const WAITING_FOR: Readonly<Record<TimeoutPhase, string>> = {
  connect: 'connecting to',
  headers: 'waiting for response headers from',
  idle: 'waiting for the next chunk of the stream from',
  total: 'the whole request to',
};

const LIMIT: Readonly<Record<TimeoutPhase, keyof Timeouts>> = {
  connect: 'connectMs',
  headers: 'headersMs',
  idle: 'idleMs',
  total: 'totalMs',
};

export function timeoutFailure(phase: TimeoutPhase, timeouts: Timeouts, url: string): ProviderError {
  return providerError('timeout', {
    message: `timed out ${WAITING_FOR[phase]} ${hostOf(url)} after ${timeouts[LIMIT[phase]]} ms (${phase} timeout)`,
    phase,
    hint: hintFor('timeout', phase),
  });
}

/** A sink (provider code or a host's own) threw: the transfer ends, the pump goes on. */
export function sinkThrew(callback: string, error: unknown): ProviderError {
  const detail = error instanceof Error ? error.message : String(error);
  return providerError('unknown', { message: `${callback} threw: ${detail}`, retryable: false });
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}
