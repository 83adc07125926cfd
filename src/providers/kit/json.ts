import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { OpaqueJson } from '../types.js';

/**
 * Reading untrusted JSON: every provider parses wire payloads through these guards, never by
 * cast, and parses text only through `parseJson`/`parseJsonObject`/`tryParseJson`.
 */

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

export function arrayField(object: JsonObject, key: string): readonly unknown[] | undefined {
  const value = object[key];
  return Array.isArray(value) ? value : undefined;
}

/** Empty strings count as absent: servers send `""` and `null` interchangeably. */
export function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.length === 0 ? undefined : text;
}

/** `"error": null` is how a payload says "no error". */
export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

const SNIPPET_LENGTH = 120;

/**
 * A short, single-line excerpt of a payload for an error message, so a person can see what
 * arrived without a multi-megabyte line landing in their logs.
 */
export function snippet(text: string, max = SNIPPET_LENGTH, ellipsis = '…'): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}${ellipsis}` : flat;
}

/** The one JSON.parse: the value, or the parser's own complaint (`Unexpected end of JSON input`). */
export function parseJsonText(text: string): Result<unknown, string> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (error) {
    return err(error instanceof Error ? error.message : 'not JSON');
  }
}

/** JSON.parse as a Result: malformed provider output is a `protocol` error, not an exception. */
export function parseJson(text: string, what: string): Result<unknown, ProviderError> {
  return parseJsonText(text).mapErr(() =>
    providerError('protocol', {
      message: `${what} is not valid JSON: ${JSON.stringify(snippet(text))}`,
    }),
  );
}

/** JSON.parse for text that may legitimately not be JSON (an error body): undefined then. */
export function tryParseJson(text: string): unknown {
  return parseJsonText(text).unwrapOr(undefined);
}

/** A JSON object parsed from text that may not be one (an error body), else undefined. */
export function tryParseJsonObject(text: string): JsonObject | undefined {
  const value = tryParseJson(text);
  return isObject(value) ? value : undefined;
}

/**
 * A parsed wire value as OpaqueJson, for opaque `provider` blocks. Values that came out of
 * JSON.parse are JSON already; this only narrows the type (undefined becomes null).
 */
export function asJsonValue(value: unknown): OpaqueJson {
  return value === undefined ? null : (value as OpaqueJson);
}

/** Like parseJson, but the payload must be a JSON object. */
export function parseJsonObject(text: string, what: string): Result<JsonObject, ProviderError> {
  return parseJson(text, what).andThen((value) =>
    isObject(value)
      ? ok(value)
      : err(providerError('protocol', { message: `${what} is not a JSON object: ${JSON.stringify(snippet(text))}` })),
  );
}

/**
 * JSON.stringify of a parsed wire value as a Result. JSON.parse reads any depth but
 * JSON.stringify recurses, so a value a few thousand levels deep throws a RangeError: that
 * is the server's malformed output, a `protocol` error, never an exception out of a parser.
 */
export function stringifyJson(value: unknown, what: string): Result<string, ProviderError> {
  try {
    return ok(JSON.stringify(value));
  } catch {
    return err(providerError('protocol', { message: `${what} is nested too deeply to be re-encoded as JSON.` }));
  }
}
