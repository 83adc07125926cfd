/** Matching a live request against recorded ones, and saying what differed. Pure. */
import type { Exchange, JsonValue, RecordedRequest, RequestBody } from './cassette.js';
import { isKeyParam, redactUrl } from './redact.js';

export interface MatchOptions {
  /**
   * Body fields that may differ: top-level names (`user`, `stream_options`) or paths
   * (`metadata.trace_id`, `messages[0].content`); a path covers everything under it.
   */
  readonly ignoreBodyFields?: readonly string[];
}

/** One way two requests differ; `weight` ranks candidates (method and path count most). */
interface Difference {
  readonly text: string;
  readonly weight: number;
}

const MAX_SHOWN = 60;

function show(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
}

function ignored(path: string, ignore: readonly string[]): boolean {
  return ignore.some((field) => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`));
}

function diffJson(recorded: JsonValue | undefined, actual: JsonValue | undefined, path: string, ignore: readonly string[], out: Difference[]): void {
  if (path !== '' && ignored(path, ignore)) return;
  const at = path === '' ? 'body' : `body.${path}`;
  if (Array.isArray(recorded) && Array.isArray(actual)) {
    const a: readonly JsonValue[] = recorded;
    const b: readonly JsonValue[] = actual;
    for (let i = 0; i < Math.max(a.length, b.length); i++) diffJson(a[i], b[i], `${path}[${i}]`, ignore, out);
    return;
  }
  if (isPlainObject(recorded) && isPlainObject(actual)) {
    const keys = new Set([...Object.keys(recorded), ...Object.keys(actual)]);
    for (const key of keys) diffJson(recorded[key], actual[key], path === '' ? key : `${path}.${key}`, ignore, out);
    return;
  }
  if (JSON.stringify(recorded) !== JSON.stringify(actual)) {
    out.push({ text: `${at}: recorded ${show(recorded)}, got ${show(actual)}`, weight: 1 });
  }
}

function isPlainObject(value: JsonValue | undefined): value is { readonly [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeBody(body: RequestBody | undefined): string {
  if (body === undefined) return 'no body';
  switch (body.kind) {
    case 'json':
      return 'a JSON body';
    case 'text':
      return `a text body ${show(body.text)}`;
    case 'bytes':
      return `a binary body of ${body.bytes.length} bytes`;
  }
}

function diffBody(recorded: RequestBody | undefined, actual: RequestBody | undefined, ignore: readonly string[], out: Difference[]): void {
  if (recorded?.kind === 'json' && actual?.kind === 'json') {
    diffJson(recorded.value, actual.value, '', ignore, out);
    return;
  }
  const same =
    (recorded === undefined && actual === undefined) ||
    (recorded?.kind === 'text' && actual?.kind === 'text' && recorded.text === actual.text) ||
    (recorded?.kind === 'bytes' && actual?.kind === 'bytes' && recorded.bytes.equals(actual.bytes));
  if (!same) out.push({ text: `body: recorded ${describeBody(recorded)}, got ${describeBody(actual)}`, weight: 1 });
}

interface UrlParts {
  readonly base: string;
  readonly query: ReadonlyMap<string, readonly string[]>;
}

function urlParts(url: string): UrlParts {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { base: redactUrl(url), query: new Map() };
  }
  const query = new Map<string, string[]>();
  for (const [name, value] of parsed.searchParams) {
    if (isKeyParam(name)) continue;
    query.set(name, [...(query.get(name) ?? []), value]);
  }
  return { base: `${parsed.origin}${parsed.pathname}`, query };
}

function diffUrl(recorded: string, actual: string, out: Difference[]): void {
  const a = urlParts(recorded);
  const b = urlParts(actual);
  if (a.base !== b.base) out.push({ text: `url: recorded ${a.base}, got ${b.base}`, weight: 10 });
  const names = new Set([...a.query.keys(), ...b.query.keys()]);
  for (const name of names) {
    const x = (a.query.get(name) ?? []).join(',');
    const y = (b.query.get(name) ?? []).join(',');
    if (x !== y) out.push({ text: `query ${name}: recorded ${show(x)}, got ${show(y)}`, weight: 2 });
  }
}

function differences(recorded: RecordedRequest, actual: RecordedRequest, options: MatchOptions): Difference[] {
  const out: Difference[] = [];
  if (recorded.method !== actual.method) out.push({ text: `method: recorded ${recorded.method}, got ${actual.method}`, weight: 10 });
  diffUrl(recorded.url, actual.url, out);
  diffBody(recorded.body, actual.body, options.ignoreBodyFields ?? [], out);
  return out;
}

/** What differs between a recorded and a live request, one line each; empty when they match. */
export function compareRequests(recorded: RecordedRequest, actual: RecordedRequest, options: MatchOptions = {}): string[] {
  return differences(recorded, actual, options).map((difference) => difference.text);
}

export type MatchResult = { readonly matched: true; readonly index: number } | { readonly matched: false; readonly message: string };

const MAX_LISTED = 4;

interface Candidate {
  readonly index: number;
  readonly request: RecordedRequest;
  readonly diffs: readonly Difference[];
  readonly score: number;
}

/**
 * The first unused exchange that matches `actual`, in cassette order; or a message naming the
 * nearest candidate (fewest and least important differences) and what differed.
 */
export function findMatch(
  exchanges: readonly Exchange[],
  used: ReadonlySet<number>,
  actual: RecordedRequest,
  options: MatchOptions = {},
): MatchResult {
  // The common case, a hit, stops at the first unused exchange without differences; the
  // scoring pass below only runs to explain a miss.
  for (let index = 0; index < exchanges.length; index++) {
    const exchange = exchanges[index] as Exchange;
    if (!used.has(index) && differences(exchange.request, actual, options).length === 0) return { matched: true, index };
  }
  let nearest: Candidate | undefined;
  let nearestUsed: Candidate | undefined;
  exchanges.forEach((exchange, index) => {
    const diffs = differences(exchange.request, actual, options);
    const candidate = { index, request: exchange.request, diffs, score: diffs.reduce((sum, diff) => sum + diff.weight, 0) };
    if (!used.has(index)) {
      if (nearest === undefined || candidate.score < nearest.score) nearest = candidate;
    } else if (nearestUsed === undefined || candidate.score < nearestUsed.score) {
      nearestUsed = candidate;
    }
  });

  const what = `${actual.method} ${redactUrl(actual.url)}`;
  if (exchanges.length === 0) return { matched: false, message: `no recorded exchange matches ${what}: the cassette is empty` };
  if (nearest === undefined) {
    const again = nearestUsed?.score === 0 ? `; exchange #${nearestUsed.index + 1} matches but was already played` : '';
    return {
      matched: false,
      message: `no recorded exchange matches ${what}: all ${exchanges.length} were already played${again}`,
    };
  }
  const listed = nearest.diffs.slice(0, MAX_LISTED).map((diff) => diff.text);
  if (nearest.diffs.length > MAX_LISTED) listed.push(`and ${nearest.diffs.length - MAX_LISTED} more differences`);
  const { method, url } = nearest.request;
  return {
    matched: false,
    message: `no recorded exchange matches ${what}; nearest is exchange #${nearest.index + 1} (${method} ${redactUrl(url)}): ${listed.join('; ')}`,
  };
}
