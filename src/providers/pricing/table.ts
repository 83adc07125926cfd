// The price table llmux prices usage with: the bundled genai-prices data, with an optional
// LiteLLM-format file over it. Lookups are cached per provider and model, since a batch
// prices thousands of records of a handful of models.
import type { Usage } from '../types.js';
import { BATCH_FACTOR, genaiRates } from './genai.js';
import { parsePriceFile, priceFileRates, type PriceFile } from './litellm.js';
import { computeCost, type CostBreakdown, type ModelRates, type PriceOptions } from './rates.js';
import type { Result } from 'neverthrow';
import type { ProviderError } from '../../errors/category.js';

export interface PriceTable {
  /** US dollars, or null when the model's price is unknown (never 0 for unknown). */
  price(provider: string, model: string, usage: Usage | null, options: PriceOptions): number | null;
  breakdown(provider: string, model: string, usage: Usage | null, options: PriceOptions): CostBreakdown | null;
  /** The rates used for a model, or null when neither source knows it. */
  rates(provider: string, model: string): ModelRates | null;
}

/** A table over the bundled data; `overrides` (a parsed price file) wins for the models it names. */
export function createPriceTable(overrides?: PriceFile): PriceTable {
  const cache = new Map<string, ModelRates | null>();
  const rates = (provider: string, model: string): ModelRates | null => {
    const key = `${provider}\u0000${model}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const found = (overrides === undefined ? null : priceFileRates(overrides, provider, model)) ?? genaiRates(provider, model);
    cache.set(key, found);
    return found;
  };
  const breakdown = (provider: string, model: string, usage: Usage | null, options: PriceOptions): CostBreakdown | null => {
    const found = rates(provider, model);
    return found === null ? null : computeCost(found, usage, options);
  };
  return {
    rates,
    breakdown,
    price: (provider, model, usage, options) => breakdown(provider, model, usage, options)?.total ?? null,
  };
}

/** A table with a LiteLLM-format file's text over the bundled data (`--prices FILE`). */
export function priceTableFromFile(text: string): Result<PriceTable, ProviderError> {
  return parsePriceFile(text, BATCH_FACTOR).map((file) => createPriceTable(file));
}

let bundled: PriceTable | undefined;

/** The table over the bundled data alone, shared by every caller that passes none. */
export function defaultPriceTable(): PriceTable {
  bundled ??= createPriceTable();
  return bundled;
}

/** Prices a usage with the bundled table: dollars, or null when the model is unknown. */
export function priceUsage(provider: string, model: string, usage: Usage | null, options: PriceOptions): number | null {
  return defaultPriceTable().price(provider, model, usage, options);
}
