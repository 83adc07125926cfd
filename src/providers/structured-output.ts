import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../errors/category.js';
import { parseJsonText, snippet } from './kit/json.js';
import type { ChatResponse, OpaqueJson } from './types.js';

/**
 * Parses the final answer of a `responseFormat` request strictly: the whole text is one JSON
 * value, nothing around it. A `validate` guard narrows the type (llmux does not ship a JSON
 * Schema validator: the provider enforced the schema, the guard checks what the host relies
 * on). A truncated answer (`finishReason: length`) is an error of its own, since its JSON is cut.
 */
export function parseStructuredOutput<T = OpaqueJson>(
  response: ChatResponse | string,
  validate?: (value: OpaqueJson) => value is T & OpaqueJson,
): Result<T, ProviderError> {
  if (typeof response !== 'string' && response.finishReason === 'length') {
    return err(invalid(`the answer was cut at the token limit, so its JSON is incomplete; raise maxOutputTokens: ${quoted(response.text)}`));
  }
  const text = typeof response === 'string' ? response : response.text;
  const parsed = parseJsonText(text);
  if (parsed.isErr()) return err(invalid(`the answer is not valid JSON (${parsed.error}): ${quoted(text)}`));
  const value = parsed.value as OpaqueJson;
  if (validate !== undefined && !validate(value)) return err(invalid(`the answer's JSON does not have the expected shape: ${quoted(text)}`));
  return ok(value as T);
}

function invalid(message: string): ProviderError {
  return providerError('invalid_arg', { message, retryable: false });
}

function quoted(text: string): string {
  return JSON.stringify(snippet(text, 77, '...'));
}
