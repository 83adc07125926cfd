import { isObject, type JsonObject } from '../kit/index.js';

export { isObject, numberField, objectField, parseJsonObject, snippet, stringField, type JsonObject } from '../kit/index.js';

/** The object elements of an array field; anything else in it is skipped. */
export function objectsField(object: JsonObject, key: string): readonly JsonObject[] {
  const value = object[key];
  return Array.isArray(value) ? value.filter(isObject) : [];
}
