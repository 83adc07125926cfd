import type { ProviderError } from '../errors/category.js';
import type { RetryInfo } from '../http/types.js';
import { formatCost } from './pricing/rates.js';
import type { ChatResponse, Usage } from './types.js';

/**
 * `OpenAI tokens: prompt=X, completion=Y, total=Z (model gpt-4o-mini, finish stop), cost $0.00021`;
 * unknown counts print as `?`, an unknown price as `cost unknown`.
 */
export function usageLine(provider: string, response: ChatResponse, cost?: number | null): string {
  return `${provider} ${tokensLine(response, `, finish ${response.finishReason}`, cost)}`;
}

/**
 * `tokens: prompt=X, completion=Y, total=Z (model M<detail>)[, cost $C]`: the one usage line, for
 * logs and the CLI. `cost` undefined leaves the cost out; null says it is unknown.
 */
export function tokensLine(response: Pick<ChatResponse, 'model' | 'usage'>, detail = '', cost?: number | null): string {
  return `tokens: ${tokenCounts(response.usage)} (model ${response.model}${detail})${costTail(cost)}`;
}

function costTail(cost: number | null | undefined): string {
  if (cost === undefined) return '';
  return cost === null ? ', cost unknown' : `, cost ${formatCost(cost)}`;
}

/** `prompt=X, completion=Y, total=Z[, cached=C][, reasoning=R]`; unreported counts print as `?`. */
export function tokenCounts(usage: Usage | null): string {
  const show = (value: number | null | undefined): string => (value === null || value === undefined ? '?' : String(value));
  const extra: string[] = [];
  if (usage?.cached) extra.push(`cached=${usage.cached}`);
  if (usage?.thinking) extra.push(`reasoning=${usage.thinking}`);
  const tail = extra.length > 0 ? `, ${extra.join(', ')}` : '';
  return `prompt=${show(usage?.input)}, completion=${show(usage?.output)}, total=${show(usage?.total)}${tail}`;
}

export function finishedLine(provider: string, model: string, error: ProviderError): string {
  const status = error.httpStatus !== undefined ? ` status=${error.httpStatus}` : '';
  const attempts = error.attempts !== undefined && error.attempts > 1 ? ` after ${error.attempts} attempts` : '';
  return `${provider} request failed: category=${error.category}${status}${attempts} (model ${model}): ${error.message}`;
}

export function retryLine(provider: string, info: RetryInfo): string {
  return `${provider} retry: attempt ${info.attempt} in ${info.delayMs} ms after ${info.error.category}: ${info.error.message}`;
}
