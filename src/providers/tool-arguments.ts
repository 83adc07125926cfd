import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../errors/category.js';
import { isObject, parseJsonText, snippet, type JsonObject } from './kit/json.js';

/**
 * Parses a tool call's arguments strictly: one JSON object, nothing else. Streams pass
 * the model's text through verbatim (a malformed call is the model's output, not a broken
 * stream); this is where a host decides whether to run the tool.
 */
export function parseToolArguments(text: string): Result<JsonObject, ProviderError> {
  const parsed = parseJsonText(text === '' ? '{}' : text);
  if (parsed.isErr()) return err(invalid(`tool arguments are not valid JSON (${parsed.error}): ${quoted(text)}`));
  const value = parsed.value;
  if (!isObject(value)) {
    const kind = Array.isArray(value) ? 'an array' : typeof value;
    return err(invalid(`tool arguments must be a JSON object, got ${kind}: ${quoted(text)}`));
  }
  return ok(value);
}

function invalid(message: string): ProviderError {
  return providerError('invalid_arg', { message, retryable: false });
}

function quoted(text: string): string {
  return JSON.stringify(snippet(text, 77, '...'));
}
