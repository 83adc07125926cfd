import { isObject, type JsonObject } from '../kit/index.js';

export type { JsonObject };

/** Field readers that accept a missing object, for payloads read several levels deep. */
export function str(object: JsonObject | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** Only finite numbers count: a token count of NaN or a string is "not reported". */
export function num(object: JsonObject | undefined, key: string): number | undefined {
  const value = object?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function obj(object: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = object?.[key];
  return isObject(value) ? value : undefined;
}
