/** Reads a header by lower-case name from undici's header record. */
export type HeaderRecord = Readonly<Record<string, string | string[] | undefined>>;

export function headerValue(headers: HeaderRecord, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * How long the server asked us to wait, in ms: `retry-after-ms` (OpenAI) first, then
 * `Retry-After` as seconds or an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: HeaderRecord, nowMs: number): number | undefined {
  const ms = headerValue(headers, 'retry-after-ms');
  if (ms !== undefined) {
    const value = Number.parseFloat(ms);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const raw = headerValue(headers, 'retry-after');
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number.parseFloat(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** `x-should-retry: true|false` lets the server overrule our own judgement. */
export function parseShouldRetry(headers: HeaderRecord): boolean | undefined {
  const raw = headerValue(headers, 'x-should-retry');
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return undefined;
}
