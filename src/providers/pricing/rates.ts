// Per-token rates and the arithmetic that turns a usage breakdown into dollars. Both price
// sources (the bundled genai-prices data and a LiteLLM-format file) are converted into these
// rates, so one pure function prices every usage the same way.
import type { Usage } from '../types.js';

/** US dollars per token for one context-length band. Null: the source has no such price. */
export interface RateSet {
  readonly input: number;
  readonly output: number;
  readonly cacheRead: number | null;
  /** The 5-minute (default) cache write. */
  readonly cacheWrite: number | null;
  readonly cacheWrite1h: number | null;
  /** Reasoning tokens, when the source prices them apart from other output. */
  readonly reasoning: number | null;
}

/** A band that replaces the base rates for a whole request whose input exceeds `above` tokens. */
export interface RateTier {
  readonly above: number;
  readonly rates: RateSet;
}

export interface ModelRates {
  /** Where the rates came from: `genai-prices` or `prices-file`. */
  readonly source: string;
  /** The model id the source matched (a dated model maps to its family's entry). */
  readonly matched: string;
  readonly base: RateSet;
  /** Ascending by `above`. */
  readonly tiers: readonly RateTier[];
  /** Batch API rates the source states itself (LiteLLM's `*_batches`), per base band. */
  readonly batch: Partial<Pick<RateSet, 'input' | 'output'>>;
  /** The provider's Batch API discount when the source states none: 0.5 is half price. */
  readonly batchFactor: number;
}

export interface PriceOptions {
  /** Price as the provider's Batch API bills (half price at OpenAI, Anthropic and Gemini). */
  readonly batch: boolean;
  /** How long the cache writes live; Anthropic bills a 1-hour write at a higher rate. Default 5m. */
  readonly cacheWriteTtl?: '5m' | '1h';
}

/** What a request cost, part by part, in US dollars. */
export interface CostBreakdown {
  readonly total: number;
  /** Input tokens neither read from nor written to the prompt cache. */
  readonly input: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  /** Output, reasoning included. */
  readonly output: number;
  /** The long-context band applied (its `above` threshold); null for the base rates. */
  readonly tier: number | null;
  readonly batch: boolean;
  readonly source: string;
  readonly matched: string;
}

/**
 * Prices a usage. Returns null when input or output is unreported: a cost built on a missing
 * count would look exact and be wrong. `usage.input` is the whole prompt (cached and written
 * shares included, as every adapter reports it) and `usage.output` includes reasoning.
 */
export function computeCost(rates: ModelRates, usage: Usage | null, options: PriceOptions): CostBreakdown | null {
  if (usage === null || usage.input === null || usage.output === null) return null;
  const tier = [...rates.tiers].reverse().find((band) => usage.input !== null && usage.input > band.above);
  const set = tier?.rates ?? rates.base;
  const cached = Math.max(0, usage.cached ?? 0);
  const written = Math.max(0, usage.cacheWrite ?? 0);
  const uncached = Math.max(0, usage.input - cached - written);
  const thinking = Math.min(Math.max(0, usage.thinking ?? 0), usage.output);
  const writeRate = options.cacheWriteTtl === '1h' ? (set.cacheWrite1h ?? set.cacheWrite ?? set.input) : (set.cacheWrite ?? set.input);
  const stated = tier === undefined && options.batch ? rates.batch : {};
  // A stated batch rate replaces the base one; otherwise the provider's discount scales every part.
  const factor = options.batch ? rates.batchFactor : 1;
  const inputRate = stated.input ?? set.input * factor;
  const outputRate = stated.output ?? set.output * factor;
  const reasoningRate = set.reasoning === null ? outputRate : set.reasoning * factor;
  const parts = {
    input: uncached * inputRate,
    cacheRead: cached * (set.cacheRead ?? set.input) * factor,
    cacheWrite: written * writeRate * factor,
    output: (usage.output - thinking) * outputRate + thinking * reasoningRate,
  };
  return {
    total: dollars(parts.input + parts.cacheRead + parts.cacheWrite + parts.output),
    input: dollars(parts.input),
    cacheRead: dollars(parts.cacheRead),
    cacheWrite: dollars(parts.cacheWrite),
    output: dollars(parts.output),
    tier: tier?.above ?? null,
    batch: options.batch,
    source: rates.source,
    matched: rates.matched,
  };
}

/** Rounds away float noise (0.00020999999999999998) below a millionth of a cent. */
function dollars(value: number): number {
  return Math.round(value * 1e12) / 1e12;
}

/** `$1.23`, `$0.0021`, `$0.00000555`; `?` when unknown. */
export function formatCost(cost: number | null): string {
  if (cost === null) return '?';
  if (cost === 0) return '$0';
  if (cost >= 1) return `$${cost.toFixed(2)}`;
  // Three significant digits, written out (toString would say 5.55e-7).
  const digits = Math.min(12, 2 - Math.floor(Math.log10(cost)));
  return `$${cost.toFixed(digits).replace(/0+$/, '').replace(/\.$/, '')}`;
}
