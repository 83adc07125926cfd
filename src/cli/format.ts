/** The lines the CLI prints about requests: usage, errors, notes. Pure. */
import type { ProviderError } from '../errors/category.js';
import type { ChatResponse, Usage } from '../providers/types.js';
import { tokensLine } from '../providers/log-lines.js';
import { ansi, paint } from './ansi.js';

/**
 * `tokens: prompt=X, completion=Y, total=Z (model M), cost $C`; counts the provider did not
 * report print as `?`, an unknown price as `cost unknown`, and no cost part when `cost` is undefined.
 */
export function usageLine(response: Pick<ChatResponse, 'model' | 'usage'>, cost?: number | null): string {
  return tokensLine(response, '', cost);
}

/** Adds up usages; a field stays null only when no usage reported it. */
export function addUsage(sum: Usage, usage: Usage | null): Usage {
  if (usage === null) return sum;
  const add = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : a + b);
  return {
    input: add(sum.input, usage.input),
    output: add(sum.output, usage.output),
    thinking: add(sum.thinking, usage.thinking),
    cached: add(sum.cached, usage.cached),
    cacheWrite: add(sum.cacheWrite, usage.cacheWrite),
    total: add(sum.total, usage.total),
  };
}

/** `12 s`, `1.5 s`, `250 ms`. */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  return `${seconds < 10 ? Math.round(seconds * 10) / 10 : Math.round(seconds)} s`;
}

/** One line a person can act on: `error (rate_limit): message (retry in 20 s) — hint`. */
export function errorLine(error: ProviderError, color = false): string {
  const retry = error.retryAfterMs !== undefined && error.retryAfterMs > 0 ? ` (retry in ${formatDelay(error.retryAfterMs)})` : '';
  const message = error.message.replace(/\s+/g, ' ').trim();
  const hint = error.hint === undefined || error.hint === '' ? '' : ` — ${error.hint}`;
  // The id to quote to the provider's support, when the server gave one.
  const id = error.requestId === undefined ? '' : ` [request ${error.requestId}]`;
  return `${paint(ansi.red, `error (${error.category})`, color)}: ${message}${retry}${id}${hint}`;
}

/** The offline suggestion printed with a missing-key error. */
export const DEMO_SUGGESTION = 'No key at hand? Try `llmux demo`: it replays bundled recordings offline, no key or network needed.';

/** Bytes as `812 B`, `18.4 KB`, `2.1 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
