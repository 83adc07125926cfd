import { NO_USAGE, type Usage } from '../types.js';

/**
 * Merges a usage report into what is known: each field the report has (a number) replaces
 * the earlier value; fields it lacks (null or undefined) keep theirs. Providers that report
 * usage cumulatively (Anthropic's `message_start` then `message_delta`) merge every report.
 */
export function mergeUsage(known: Usage | null, report: Partial<Usage>): Usage {
  const base = known ?? NO_USAGE;
  const pick = (key: keyof Usage): number | null => {
    const value = report[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : base[key];
  };
  return {
    input: pick('input'),
    output: pick('output'),
    thinking: pick('thinking'),
    cached: pick('cached'),
    cacheWrite: pick('cacheWrite'),
    total: pick('total'),
  };
}
