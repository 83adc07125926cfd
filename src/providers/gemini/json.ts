import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';

/** A parsed JSON object. Wire payloads are read through the guards below, never trusted by cast. */
export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

/** Only finite numbers count: a token count of NaN or a string is "not reported". */
export function numberField(object: JsonObject, key: string): number | undefined {
  const value = object[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function objectField(object: JsonObject, key: string): JsonObject | undefined {
  const value = object[key];
  return isObject(value) ? value : undefined;
}

/** The object elements of an array field; anything else in it is skipped. */
export function objectsField(object: JsonObject, key: string): readonly JsonObject[] {
  const value = object[key];
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** A short, single-line excerpt of a payload for an error message. */
export function snippet(text: string, max = 120): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** JSON.parse as a Result that must give an object: malformed provider output is a `protocol` error. */
export function parseJsonObject(text: string, what: string): Result<JsonObject, ProviderError> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err(providerError('protocol', { message: `${what} is not valid JSON: ${JSON.stringify(snippet(text))}` }));
  }
  return isObject(value)
    ? ok(value)
    : err(providerError('protocol', { message: `${what} is not a JSON object: ${JSON.stringify(snippet(text))}` }));
}
