import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../errors/category.js';

/**
 * Parses a tool call's arguments strictly: one JSON object, nothing else. Streams pass
 * the model's text through verbatim (a malformed call is the model's output, not a broken
 * stream); this is where a host decides whether to run the tool.
 */
export function parseToolArguments(text: string): Result<Readonly<Record<string, unknown>>, ProviderError> {
  let value: unknown;
  try {
    value = JSON.parse(text === '' ? '{}' : text);
  } catch (error) {
    const why = error instanceof Error ? error.message : 'not JSON';
    return err(invalid(`tool arguments are not valid JSON (${why}): ${snippet(text)}`));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return err(invalid(`tool arguments must be a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}: ${snippet(text)}`));
  }
  return ok(value as Readonly<Record<string, unknown>>);
}

function invalid(message: string): ProviderError {
  return providerError('invalid_arg', { message, retryable: false });
}

function snippet(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
