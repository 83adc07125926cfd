import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import { stringifyJson } from '../kit/index.js';
import { isObject, numberField, stringField, type JsonObject } from './json.js';

type Segment = string | number;
type Container = Record<string, unknown> | unknown[];

/** The largest array index a fragment may name: past it the stream is broken, not big. */
const MAX_INDEX = 100_000;

function broken(why: string): ProviderError {
  return providerError('protocol', { message: `A streamed function-call argument is malformed: ${why}.` });
}

/** `$.a.b[0]['c d']` -> ['a', 'b', 0, 'c d']. */
export function parseJsonPath(path: string): Result<Segment[], ProviderError> {
  if (!path.startsWith('$')) return err(broken(`the path ${JSON.stringify(path)} does not start with $`));
  const segments: Segment[] = [];
  const pattern = /\.([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y;
  let at = 1;
  while (at < path.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(path);
    if (match === null) return err(broken(`the path ${JSON.stringify(path)} cannot be read at character ${at}`));
    const [, name, index, single, double] = match;
    if (index !== undefined) {
      const n = Number(index);
      if (n > MAX_INDEX) return err(broken(`the path ${JSON.stringify(path)} names index ${n}`));
      segments.push(n);
    } else {
      segments.push((name ?? single ?? double ?? '').replace(/\\(.)/g, '$1'));
    }
    at = pattern.lastIndex;
  }
  return ok(segments);
}

/**
 * Vertex AI's streamed function-call arguments (`partialArgs`): each fragment sets one JSON
 * path to a string, number, boolean or null; a string whose fragment says `willContinue`
 * is appended to by the next fragment for the same path. The arguments are built as a value
 * and written with JSON.stringify once the call closes, so they are the same bytes whatever
 * the chunking. Containers have no prototype, so a `__proto__` key is just a key.
 */
export class PartialArgs {
  #root: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  /** The path of a string that its last fragment said continues. */
  #openString: string | undefined;
  /** Nulls padded into gaps so far, over all paths. */
  #padded = 0;

  /** Whole `args` sent alongside (or instead of) fragments: the base they apply to. */
  setWhole(args: JsonObject): ProviderError | undefined {
    try {
      this.#root = copy(args) as Record<string, unknown>;
    } catch {
      // JSON.parse reads any depth; this copy (like JSON.stringify) recurses.
      return providerError('protocol', { message: 'A function call\'s args are nested too deeply to be re-encoded as JSON.' });
    }
    this.#openString = undefined;
    return undefined;
  }

  apply(fragments: readonly unknown[]): ProviderError | undefined {
    for (const fragment of fragments) {
      if (!isObject(fragment)) return broken('a fragment is not an object');
      const error = this.#applyOne(fragment);
      if (error !== undefined) return error;
    }
    return undefined;
  }

  json(): Result<string, ProviderError> {
    return stringifyJson(this.#root, "A function call's args");
  }

  /**
   * Counts the nulls a write past an array's end pads with. The cap is over the whole call,
   * not per path: else each short fragment naming a far index on a new array costs MAX_INDEX slots.
   */
  #pad(container: Container, key: Segment): boolean {
    if (!Array.isArray(container) || typeof key !== 'number' || key <= container.length) return true;
    this.#padded += key - container.length;
    return this.#padded <= MAX_INDEX;
  }

  #applyOne(fragment: JsonObject): ProviderError | undefined {
    const path = stringField(fragment, 'jsonPath');
    if (path === undefined) return broken('a fragment has no jsonPath');
    const segments = parseJsonPath(path);
    if (segments.isErr()) return segments.error;
    const value = fragmentValue(fragment);
    if (value === NO_VALUE) {
      // A bare `willContinue` marker carries nothing.
      return undefined;
    }
    const continues = fragment.willContinue === true;
    const appending = typeof value === 'string' && this.#openString === path;
    this.#openString = typeof value === 'string' && continues ? path : undefined;
    if (segments.value.length === 0) return broken('a fragment sets the whole arguments ($) to a plain value');
    return this.#set(segments.value, value, appending);
  }

  #set(segments: readonly Segment[], value: unknown, append: boolean): ProviderError | undefined {
    let container: Container = this.#root;
    for (let i = 0; i < segments.length - 1; i++) {
      if (!this.#pad(container, segments[i] as Segment)) return tooSparse();
      const next = child(container, segments[i] as Segment, typeof segments[i + 1] === 'number');
      if (next === undefined) return broken(`the path ${describe(segments)} crosses a value of another type`);
      container = next;
    }
    const last = segments[segments.length - 1] as Segment;
    if (!this.#pad(container, last)) return tooSparse();
    if (Array.isArray(container) !== (typeof last === 'number')) return broken(`the path ${describe(segments)} does not fit the value there`);
    const current = read(container, last);
    write(container, last, append && typeof current === 'string' ? current + (value as string) : value);
    return undefined;
  }
}

function tooSparse(): ProviderError {
  return broken(`the paths skip more than ${MAX_INDEX} array elements in all`);
}

const NO_VALUE = Symbol('no value');

function fragmentValue(fragment: JsonObject): unknown {
  const text = stringField(fragment, 'stringValue');
  if (text !== undefined) return text;
  const number = numberField(fragment, 'numberValue');
  if (number !== undefined) return number;
  if (typeof fragment.boolValue === 'boolean') return fragment.boolValue;
  if ('nullValue' in fragment) return null;
  return NO_VALUE;
}

function read(container: Container, key: Segment): unknown {
  return Array.isArray(container) ? container[key as number] : container[key as string];
}

function write(container: Container, key: Segment, value: unknown): void {
  if (Array.isArray(container)) {
    // A gap is filled with nulls, as JSON.stringify would print it anyway.
    while (container.length < (key as number)) container.push(null);
    container[key as number] = value;
  } else {
    container[key as string] = value;
  }
}

/** The container under `key`, created when missing; undefined when a value of another type is there. */
function child(container: Container, key: Segment, wantArray: boolean): Container | undefined {
  if (Array.isArray(container) !== (typeof key === 'number')) return undefined;
  const current = read(container, key);
  if (current === undefined || current === null) {
    const created: Container = wantArray ? [] : (Object.create(null) as Record<string, unknown>);
    write(container, key, created);
    return created;
  }
  if (wantArray) return Array.isArray(current) ? current : undefined;
  return typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, unknown>) : undefined;
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (isObject(value)) {
    const out = Object.create(null) as Record<string, unknown>;
    for (const [key, item] of Object.entries(value)) out[key] = copy(item);
    return out;
  }
  return value;
}

function describe(segments: readonly Segment[]): string {
  return `$${segments.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}`;
}
