/**
 * `--prices FILE`: a LiteLLM-format price table (model_prices_and_context_window.json) over
 * the bundled genai-prices data, as the batch's PriceFn. Without it the bundled table prices
 * what it knows; an unknown model's cost is null, never 0.
 */
import { readFileSync } from 'node:fs';
import { err, ok, type Result } from 'neverthrow';
import type { PriceFn } from '../../batch/types.js';
import { defaultPriceTable, priceTableFromFile } from '../../providers/pricing/table.js';

export function loadPrices(path: string): Result<PriceFn, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return err(`--prices ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const table = priceTableFromFile(text);
  if (table.isErr()) return err(`--prices ${path}: ${table.error.message}`);
  return ok((provider, model, usage, options) => table.value.price(provider, model, usage, options));
}

export function defaultPrice(): PriceFn {
  const table = defaultPriceTable();
  return (provider, model, usage, options) => table.price(provider, model, usage, options);
}
