// Rates from @pydantic/genai-prices, the maintained price table bundled with the package (its
// data ships inside it: no network at run time; we never call its updatePrices). Its prices
// are per million tokens, some tiered by prompt length; they are converted to per-token rates.
import { calcPrice, type ModelPrice } from '@pydantic/genai-prices';
import type { ModelRates, RateSet, RateTier } from './rates.js';

/** llmux provider name -> genai-prices provider id. */
const PROVIDER_IDS: Readonly<Record<string, string>> = { openai: 'openai', anthropic: 'anthropic', gemini: 'google' };

/**
 * The Batch API discount: OpenAI, Anthropic and Gemini all bill batch jobs at half the
 * standard rates. genai-prices records standard prices only, so the factor lives here.
 */
export const BATCH_FACTOR: Readonly<Record<string, number>> = { openai: 0.5, anthropic: 0.5, gemini: 0.5 };

type Price = ModelPrice[string];

/** The model's rates from the bundled table, or null when it does not know the model. */
export function genaiRates(provider: string, model: string): ModelRates | null {
  const providerId = PROVIDER_IDS[provider];
  if (providerId === undefined) return null;
  let found: ReturnType<typeof calcPrice>;
  try {
    // The usage is a probe: only the matched model and its price record are used.
    found = calcPrice({ input_tokens: 1, output_tokens: 1 }, model, { providerId });
  } catch {
    return null;
  }
  if (found === null) return null;
  const prices = found.model_price;
  const base = rateSet(prices, 0);
  if (base === null) return null;
  const thresholds = [...new Set(Object.values(prices).flatMap((price) => tierStarts(price)))].sort((a, b) => a - b);
  const tiers: RateTier[] = [];
  for (const above of thresholds) {
    const rates = rateSet(prices, above + 1);
    if (rates !== null) tiers.push({ above, rates });
  }
  return { source: 'genai-prices', matched: found.model.id, base, tiers, batch: {}, batchFactor: BATCH_FACTOR[provider] ?? 1 };
}

function tierStarts(price: Price): number[] {
  return typeof price === 'object' ? price.tiers.map((tier) => tier.start) : [];
}

/** The per-token rates that apply to a prompt of `inputTokens`. */
function rateSet(prices: ModelPrice, inputTokens: number): RateSet | null {
  const at = (key: string): number | null => {
    const price = prices[key];
    if (price === undefined) return null;
    if (typeof price === 'number') return price / 1e6;
    const tier = price.tiers.filter((band) => inputTokens > band.start).sort((a, b) => b.start - a.start)[0];
    return (tier?.price ?? price.base) / 1e6;
  };
  const input = at('input_mtok');
  const output = at('output_mtok');
  if (input === null || output === null) return null;
  return { input, output, cacheRead: at('cache_read_mtok'), cacheWrite: at('cache_write_mtok'), cacheWrite1h: at('cache_write_1h_mtok'), reasoning: null };
}
