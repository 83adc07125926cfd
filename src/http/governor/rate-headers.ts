import { headerValue, type HeaderRecord } from '../headers.js';

/** The windows a bucket keeps: requests, all tokens (OpenAI), input and output tokens (Anthropic). */
export type Dimension = 'requests' | 'tokens' | 'input' | 'output';

export const DIMENSIONS: readonly Dimension[] = ['requests', 'tokens', 'input', 'output'];

/** What one response said about one window; any field may be missing. */
export interface WindowHint {
  readonly limit?: number;
  readonly remaining?: number;
  /** Ms from the response until the window is full again. */
  readonly resetMs?: number;
}

export type RateHints = Partial<Record<Dimension, WindowHint>>;

const OPENAI: Readonly<Record<string, Dimension>> = { requests: 'requests', tokens: 'tokens' };
const ANTHROPIC: Readonly<Record<string, Dimension>> = {
  requests: 'requests',
  tokens: 'tokens',
  'input-tokens': 'input',
  'output-tokens': 'output',
};

/**
 * Reads the rate-limit headers of any provider: OpenAI's `x-ratelimit-{limit,remaining,reset}-*`
 * (resets as durations: `6m0s`, `12ms`, `1.5s`) and Anthropic's
 * `anthropic-ratelimit-*-{limit,remaining,reset}` (resets as RFC 3339 times). Azure's `-1`
 * and unreadable values mean unknown. Undefined when the response carried none.
 */
export function parseRateHeaders(headers: HeaderRecord, nowMs: number): RateHints | undefined {
  let hints: Partial<Record<Dimension, WindowHint>> | undefined;
  for (const [suffix, dimension] of Object.entries(OPENAI)) {
    const hint = readHint(
      headerValue(headers, `x-ratelimit-limit-${suffix}`),
      headerValue(headers, `x-ratelimit-remaining-${suffix}`),
      parseDuration(headerValue(headers, `x-ratelimit-reset-${suffix}`)),
    );
    if (hint !== undefined) (hints ??= {})[dimension] = hint;
  }
  for (const [suffix, dimension] of Object.entries(ANTHROPIC)) {
    const reset = headerValue(headers, `anthropic-ratelimit-${suffix}-reset`);
    const at = reset === undefined ? Number.NaN : Date.parse(reset);
    const hint = readHint(
      headerValue(headers, `anthropic-ratelimit-${suffix}-limit`),
      headerValue(headers, `anthropic-ratelimit-${suffix}-remaining`),
      Number.isNaN(at) ? undefined : Math.max(0, at - nowMs),
    );
    if (hint !== undefined) (hints ??= {})[dimension] = hint;
  }
  return hints;
}

function readHint(limit: string | undefined, remaining: string | undefined, resetMs: number | undefined): WindowHint | undefined {
  const l = count(limit);
  const r = count(remaining);
  if (l === undefined && r === undefined) return undefined;
  const hint: { limit?: number; remaining?: number; resetMs?: number } = {};
  if (l !== undefined) hint.limit = l;
  if (r !== undefined) hint.remaining = r;
  if (resetMs !== undefined) hint.resetMs = resetMs;
  return hint;
}

/** A non-negative count; Azure's -1 (unknown), empty and garbage are undefined. */
function count(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw.trim());
  return raw.trim() !== '' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000001 };

/** Go-style durations as OpenAI writes them (`6m0s`, `12ms`, `1h2m3.5s`), or plain seconds. */
export function parseDuration(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = /^(?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+$/.test(text) ? text.match(/\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns)/g) : null;
  if (parts === null) return undefined;
  let total = 0;
  for (const part of parts) {
    const unit = /[a-zµ]+$/.exec(part)?.[0] ?? 's';
    total += Number.parseFloat(part) * (UNIT_MS[unit] ?? 0);
  }
  return total;
}
