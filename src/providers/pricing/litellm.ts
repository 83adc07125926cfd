// A LiteLLM-format price file (the shape of model_prices_and_context_window.json), which a
// user passes to override or extend the bundled table. Parsed once into per-token rates.
import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { ModelRates, RateSet, RateTier } from './rates.js';

/** Model key -> rates, as the file names them (`gpt-4o-mini`, `gemini/gemini-2.5-pro`). */
export type PriceFile = ReadonlyMap<string, ModelRates>;

/** llmux provider name -> the prefix LiteLLM puts before some of its model keys. */
const KEY_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  openai: ['openai/'],
  anthropic: ['anthropic/'],
  gemini: ['gemini/', 'vertex_ai/'],
};

/** `*_above_200k_tokens` -> 200000. */
const TIER_SUFFIX = /_above_(\d+)k_tokens$/;

/** Parses the file's text; an entry without both token prices is skipped (LiteLLM's `sample_spec`, image models). */
export function parsePriceFile(text: string, batchFactors: Readonly<Record<string, number>>): Result<PriceFile, ProviderError> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    return err(invalid(`the price file is not JSON: ${(cause as Error).message}`));
  }
  if (!isRecord(parsed)) return err(invalid('the price file must be a JSON object of model names to prices'));
  const table = new Map<string, ModelRates>();
  for (const [key, entry] of Object.entries(parsed)) {
    if (!isRecord(entry)) continue;
    const rates = entryRates(key, entry, batchFactors);
    if (rates !== null) table.set(key, rates);
  }
  return ok(table);
}

/** The file's entry for a provider's model: `prefix/model` first, then the bare name. */
export function priceFileRates(file: PriceFile, provider: string, model: string): ModelRates | null {
  for (const prefix of KEY_PREFIXES[provider] ?? []) {
    const rates = file.get(`${prefix}${model}`);
    if (rates !== undefined) return rates;
  }
  return file.get(model) ?? null;
}

function entryRates(key: string, entry: Readonly<Record<string, unknown>>, batchFactors: Readonly<Record<string, number>>): ModelRates | null {
  const base = baseRates(entry);
  if (base === null) return null;
  const thresholds = new Set<number>();
  for (const field of Object.keys(entry)) {
    const match = TIER_SUFFIX.exec(field);
    if (match?.[1] !== undefined) thresholds.add(Number(match[1]) * 1000);
  }
  const tiers: RateTier[] = [];
  for (const above of [...thresholds].sort((a, b) => a - b)) {
    const suffix = `_above_${above / 1000}k_tokens`;
    // A band states only what changes; the rest is the base rate.
    const pick = (field: string, fallback: number | null): number | null => cost(entry, `${field}${suffix}`) ?? fallback;
    tiers.push({
      above,
      rates: {
        input: pick('input_cost_per_token', base.input) ?? base.input,
        output: pick('output_cost_per_token', base.output) ?? base.output,
        cacheRead: pick('cache_read_input_token_cost', base.cacheRead),
        cacheWrite: pick('cache_creation_input_token_cost', base.cacheWrite),
        cacheWrite1h: base.cacheWrite1h,
        reasoning: base.reasoning,
      },
    });
  }
  const batch: { input?: number; output?: number } = {};
  const batchInput = cost(entry, 'input_cost_per_token_batches');
  const batchOutput = cost(entry, 'output_cost_per_token_batches');
  if (batchInput !== null) batch.input = batchInput;
  if (batchOutput !== null) batch.output = batchOutput;
  const provider = typeof entry['litellm_provider'] === 'string' ? entry['litellm_provider'] : '';
  const factor = batchFactors[provider === 'vertex_ai-language-models' ? 'gemini' : provider] ?? 1;
  return { source: 'prices-file', matched: key, base, tiers, batch, batchFactor: factor };
}

function baseRates(entry: Readonly<Record<string, unknown>>): RateSet | null {
  const input = cost(entry, 'input_cost_per_token');
  const output = cost(entry, 'output_cost_per_token');
  if (input === null || output === null) return null;
  return {
    input,
    output,
    cacheRead: cost(entry, 'cache_read_input_token_cost'),
    cacheWrite: cost(entry, 'cache_creation_input_token_cost'),
    cacheWrite1h: cost(entry, 'cache_creation_input_token_cost_above_1hr'),
    reasoning: cost(entry, 'output_cost_per_reasoning_token'),
  };
}

function cost(entry: Readonly<Record<string, unknown>>, field: string): number | null {
  const value = entry[field];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): ProviderError {
  return providerError('invalid_arg', { message, hint: 'pass a LiteLLM-format JSON (model_prices_and_context_window.json)' });
}
