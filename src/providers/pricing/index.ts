// What the rest of llmux uses of pricing.
export { createPriceTable, defaultPriceTable, priceTableFromFile, priceUsage, type PriceTable } from './table.js';
export { computeCost, formatCost, type CostBreakdown, type ModelRates, type PriceOptions, type RateSet, type RateTier } from './rates.js';
export { BATCH_FACTOR } from './genai.js';
export { parsePriceFile, type PriceFile } from './litellm.js';
