import { Buffer } from 'node:buffer';
import type { Rng } from './rng.js';
import { Literal, Raw, type Json, type LogicalEvent } from './target.js';

/** The nesting depth of the deep values: valid JSON, past what recursive code survives. */
export const DEEP = 7_000;

export const VALUE_MUTATIONS = ['wrong-type', 'huge-number', 'drop-field', 'deep-nest'] as const;
export const EVENT_MUTATIONS = ['drop-event', 'duplicate-event', 'swap-events', 'not-json'] as const;
export const BYTE_MUTATIONS = ['bit-flip', 'truncate', 'insert-break', 'invalid-utf8'] as const;
export type ValueMutation = (typeof VALUE_MUTATIONS)[number];
export type EventMutation = (typeof EVENT_MUTATIONS)[number];
export type ByteMutation = (typeof BYTE_MUTATIONS)[number];
export type Mutation = ValueMutation | EventMutation | ByteMutation;

const WRONG: readonly Json[] = [null, 0, -1, 3.5, '', 'text', true, false, [], [1, 'a'], {}, { x: 1 }];
const HUGE = ['1e400', '-1e400', '1e-400', '-0', '123456789012345678901234567890123456789', '9007199254740993', '0.0000000000000000000001'];

function deepValue(rng: Rng): Raw {
  return rng.chance(0.5) ? new Raw(`${'['.repeat(DEEP)}${']'.repeat(DEEP)}`) : new Raw(`${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`);
}

function isObject(value: Json): value is { readonly [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Raw);
}

/** Every node of `value` (the root too), in document order, as a path of keys and indexes. */
function paths(value: Json, prefix: readonly (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push([...prefix]);
  if (Array.isArray(value)) value.forEach((item: Json, index) => paths(item, [...prefix, index], out));
  else if (isObject(value)) for (const [key, item] of Object.entries(value)) paths(item, [...prefix, key], out);
  return out;
}

/** A copy of `value` with the node at `path` replaced (or removed, for `undefined`). */
function replaceAt(value: Json, path: readonly (string | number)[], replacement: Json | undefined): Json | undefined {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy: Json[] = [];
    value.forEach((item: Json, index) => {
      const next = index === head ? replaceAt(item, rest, replacement) : item;
      if (next !== undefined) copy.push(next);
    });
    return copy;
  }
  if (isObject(value)) {
    const copy: Record<string, Json> = {};
    for (const [key, item] of Object.entries(value)) {
      const next = key === head ? replaceAt(item, rest, replacement) : item;
      if (next !== undefined) copy[key] = next;
    }
    return copy;
  }
  return value;
}

/** One value-level mutation somewhere in `value`; `preferKey` aims it at a field of that name when there is one (`always`: every time). */
export function mutateValue(rng: Rng, value: Json, kind: ValueMutation, preferKey?: string, always = false): Json {
  const all = paths(value);
  const preferred = preferKey === undefined ? [] : all.filter((path) => path[path.length - 1] === preferKey);
  const path = preferred.length > 0 && (always || rng.chance(0.7)) ? rng.pick(preferred) : rng.pick(all);
  switch (kind) {
    case 'wrong-type':
      return replaceAt(value, path, rng.pick(WRONG)) ?? null;
    case 'huge-number':
      return replaceAt(value, path, new Raw(rng.pick(HUGE))) ?? null;
    case 'drop-field':
      return path.length === 0 ? value : (replaceAt(value, path, undefined) ?? null);
    case 'deep-nest':
      return replaceAt(value, path, deepValue(rng)) ?? null;
  }
}

export function mutateEvents(rng: Rng, events: readonly LogicalEvent[], kind: EventMutation | ValueMutation): LogicalEvent[] {
  const list = [...events];
  if (list.length === 0) return list;
  const at = rng.int(list.length);
  const event = list[at] as LogicalEvent;
  switch (kind) {
    case 'drop-event':
      list.splice(at, 1);
      return list;
    case 'duplicate-event':
      list.splice(at, 0, event);
      return list;
    case 'swap-events': {
      const other = rng.int(list.length);
      list[at] = list[other] as LogicalEvent;
      list[other] = event;
      return list;
    }
    case 'not-json':
      list[at] = { ...event, data: new Literal(rng.pick(['{"unterminated', 'null', '[]', '"a string"', '', '42', '{"choices":', 'undefined'])) };
      return list;
    default:
      if (event.data instanceof Literal) return list;
      list[at] = { ...event, data: mutateValue(rng, event.data, kind, rng.pick(['arguments', 'delta', 'content', 'choices', 'response', 'usage', 'item'])) };
      return list;
  }
}

const INVALID_UTF8: readonly (readonly number[])[] = [[0xff], [0xc3], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]];
const BREAKS = ['\n', '\r', '\r\n', '\n\n', '\r\r'];

export function mutateBytes(rng: Rng, bytes: Buffer, kind: ByteMutation): Buffer {
  if (bytes.length === 0) return bytes;
  const at = rng.int(bytes.length);
  switch (kind) {
    case 'bit-flip': {
      const copy = Buffer.from(bytes);
      copy[at] = (copy[at] as number) ^ (1 << rng.int(8));
      return copy;
    }
    case 'truncate':
      return bytes.subarray(0, at);
    case 'insert-break':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(rng.pick(BREAKS)), bytes.subarray(at)]);
    case 'invalid-utf8':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(rng.pick(INVALID_UTF8)), bytes.subarray(at)]);
  }
}
