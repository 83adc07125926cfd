import type { Usage } from '../types.js';
import { num, obj, type JsonObject } from './json.js';

/** The raw counters as Anthropic reports them; each later report overwrites what it carries. */
export interface UsageCounters {
  readonly input?: number;
  readonly output?: number;
  readonly cacheCreation?: number;
  readonly cacheRead?: number;
  readonly thinking?: number;
}

/**
 * Merges one `usage` object into the counters so far. `message_delta` counts are
 * cumulative, so a present counter replaces the earlier value; it is never added.
 */
export function mergeUsage(previous: UsageCounters, usage: JsonObject | undefined): UsageCounters {
  if (usage === undefined) return previous;
  const next = { ...previous } as { -readonly [K in keyof UsageCounters]: UsageCounters[K] };
  const set = (key: keyof UsageCounters, value: number | undefined): void => {
    if (value !== undefined) next[key] = value;
  };
  set('input', num(usage, 'input_tokens'));
  set('output', num(usage, 'output_tokens'));
  set('cacheCreation', num(usage, 'cache_creation_input_tokens'));
  set('cacheRead', num(usage, 'cache_read_input_tokens'));
  set('thinking', num(obj(usage, 'output_tokens_details'), 'thinking_tokens'));
  return next;
}

/**
 * Counters -> neutral usage. Anthropic's `input_tokens` excludes cached tokens, so the
 * neutral `input` is the sum of the three input counters; `cached` is the read share and
 * `cacheWrite` the share written to the cache (billed at a premium).
 */
export function toUsage(counters: UsageCounters): Usage | null {
  const { input, output, cacheCreation, cacheRead, thinking } = counters;
  if (input === undefined && output === undefined && cacheCreation === undefined && cacheRead === undefined) return null;
  const totalInput = input === undefined ? null : input + (cacheCreation ?? 0) + (cacheRead ?? 0);
  return {
    input: totalInput,
    output: output ?? null,
    thinking: thinking ?? null,
    cached: cacheRead ?? null,
    cacheWrite: cacheCreation ?? null,
    total: totalInput !== null && output !== undefined ? totalInput + output : null,
  };
}
