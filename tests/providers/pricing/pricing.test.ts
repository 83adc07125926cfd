import t from 'tap';
import { calcPrice } from '@pydantic/genai-prices';
import { createPriceTable, formatCost, parsePriceFile, priceTableFromFile, priceUsage, BATCH_FACTOR } from '../../../src/providers/pricing/index.js';
import type { Usage } from '../../../src/providers/types.js';

const usage = (input: number, output: number, extra: Partial<Usage> = {}): Usage => ({
  input,
  output,
  thinking: null,
  cached: null,
  cacheWrite: null,
  total: input + output,
  ...extra,
});

/** The bundled record's per-million price, read from genai-prices itself, so a data update fails here by name. */
function bundled(providerId: string, model: string): Record<string, unknown> {
  const found = calcPrice({ input_tokens: 1, output_tokens: 1 }, model, { providerId });
  if (found === null) throw new Error(`genai-prices has no ${model}`);
  return JSON.parse(JSON.stringify(found.model_price)) as Record<string, unknown>;
}

t.test('OpenAI: uncached input, cache read and output at the bundled per-million rates', async (t) => {
  // gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per million tokens.
  t.same(
    { input: 0.15, cached: 0.075, output: 0.6 },
    { input: bundled('openai', 'gpt-4o-mini')['input_mtok'], cached: bundled('openai', 'gpt-4o-mini')['cache_read_mtok'], output: bundled('openai', 'gpt-4o-mini')['output_mtok'] },
  );
  // 1000 prompt tokens of which 200 cached, 100 out: 800 x 0.15 + 200 x 0.075 + 100 x 0.6 = 120 + 15 + 60 = 195 per million.
  const cost = priceUsage('openai', 'gpt-4o-mini-2024-07-18', usage(1000, 100, { cached: 200 }), { batch: false });
  t.equal(cost, 0.000195);
  const table = createPriceTable();
  const parts = table.breakdown('openai', 'gpt-4o-mini', usage(1000, 100, { cached: 200 }), { batch: false });
  t.match(parts, { input: 0.00012, cacheRead: 0.000015, cacheWrite: 0, output: 0.00006, tier: null, source: 'genai-prices', matched: 'gpt-4o-mini' });
  // The Batch API halves every part: 97.5 per million.
  t.equal(priceUsage('openai', 'gpt-4o-mini', usage(1000, 100, { cached: 200 }), { batch: true }), 0.0000975);
  t.equal(BATCH_FACTOR['openai'], 0.5);
});

t.test('reasoning tokens are output: priced once, at the output rate', async (t) => {
  // o3: $2 input, $8 output. 100 in, 500 out of which 400 reasoning: 200 + 4000 = 4200 per million.
  t.equal(bundled('openai', 'o3')['output_mtok'], 8);
  t.equal(priceUsage('openai', 'o3', usage(100, 500, { thinking: 400 }), { batch: false }), 0.0042);
});

t.test('Anthropic: cache writes at the 5-minute or the 1-hour rate, cache reads, and the long-context band', async (t) => {
  const rates = bundled('anthropic', 'claude-haiku-4-5');
  // $1 input, $1.25 5m write, $2 1h write, $0.10 read, $5 output.
  t.same([rates['input_mtok'], rates['cache_write_mtok'], rates['cache_write_1h_mtok'], rates['cache_read_mtok'], rates['output_mtok']], [1, 1.25, 2, 0.1, 5]);
  // input 1000 = 300 uncached + 500 written + 200 read; 100 out.
  const used = usage(1000, 100, { cacheWrite: 500, cached: 200 });
  // 300 x 1 + 500 x 1.25 + 200 x 0.1 + 100 x 5 = 300 + 625 + 20 + 500 = 1445 per million.
  t.equal(priceUsage('anthropic', 'claude-haiku-4-5-20251001', used, { batch: false }), 0.001445);
  // 1-hour writes: 300 + 1000 + 20 + 500 = 1820 per million.
  t.equal(priceUsage('anthropic', 'claude-haiku-4-5-20251001', used, { batch: false, cacheWriteTtl: '1h' }), 0.00182);
  // claude-sonnet-4-5 above 200k prompt tokens: $6 input and $22.50 output for the whole request.
  const sonnet = bundled('anthropic', 'claude-sonnet-4-5');
  t.match(sonnet['input_mtok'], { base: 3, tiers: [{ start: 200000, price: 6 }] });
  t.match(sonnet['output_mtok'], { base: 15, tiers: [{ start: 200000, price: 22.5 }] });
  // 300000 x 6 + 1000 x 22.5 = 1,800,000 + 22,500 per million = 1.8225.
  const long = createPriceTable().breakdown('anthropic', 'claude-sonnet-4-5-20250929', usage(300000, 1000), { batch: false });
  t.match(long, { total: 1.8225, tier: 200000 });
  // At exactly 200k the base band applies: 200000 x 3 + 1000 x 15 = 615,000 per million.
  t.equal(priceUsage('anthropic', 'claude-sonnet-4-5', usage(200000, 1000), { batch: false }), 0.615);
});

t.test('Gemini: its own provider id, tiers and batch discount', async (t) => {
  const pro = bundled('google', 'gemini-2.5-pro');
  t.match(pro['input_mtok'], { base: 1.25, tiers: [{ start: 200000, price: 2.5 }] });
  t.match(pro['output_mtok'], { base: 10, tiers: [{ start: 200000, price: 15 }] });
  // 1000 x 1.25 + 100 x 10 = 2250 per million; batch: half.
  t.equal(priceUsage('gemini', 'gemini-2.5-pro', usage(1000, 100), { batch: false }), 0.00225);
  t.equal(priceUsage('gemini', 'gemini-2.5-pro', usage(1000, 100), { batch: true }), 0.001125);
  // 250000 x 2.5 + 100 x 15 = 626,500 per million.
  t.equal(priceUsage('gemini', 'gemini-2.5-pro', usage(250000, 100), { batch: false }), 0.6265);
});

t.test('unknown is null, never 0', async (t) => {
  t.equal(priceUsage('openai', 'llama3.1:8b', usage(10, 10), { batch: false }), null, 'a model the table does not know');
  t.equal(priceUsage('ollama', 'gpt-4o-mini', usage(10, 10), { batch: false }), null, 'a provider the table does not know');
  t.equal(priceUsage('openai', 'gpt-4o-mini', null, { batch: false }), null, 'no usage');
  t.equal(priceUsage('openai', 'gpt-4o-mini', { ...usage(10, 10), output: null }, { batch: false }), null, 'an unreported count');
  t.equal(priceUsage('openai', 'gpt-4o-mini', usage(0, 0), { batch: false }), 0, 'a known model with no tokens costs 0');
});

t.test('a LiteLLM-format file overrides the bundled table for the models it names', async (t) => {
  const file = JSON.stringify({
    sample_spec: { max_tokens: 'LEGACY parameter' },
    'gpt-4o-mini': { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, cache_read_input_token_cost: 5e-7, litellm_provider: 'openai' },
    'gemini/gemini-2.5-pro': {
      input_cost_per_token: 1e-6,
      output_cost_per_token: 4e-6,
      input_cost_per_token_above_200k_tokens: 3e-6,
      output_cost_per_token_above_200k_tokens: 5e-6,
      input_cost_per_token_batches: 4e-7,
      output_cost_per_token_batches: 1e-6,
      litellm_provider: 'gemini',
    },
    'claude-x': {
      input_cost_per_token: 1e-6,
      output_cost_per_token: 1e-5,
      cache_creation_input_token_cost: 2e-6,
      cache_creation_input_token_cost_above_1hr: 3e-6,
      cache_read_input_token_cost: 1e-7,
      output_cost_per_reasoning_token: 2e-5,
      litellm_provider: 'anthropic',
    },
    'dall-e-3': { output_cost_per_image: 0.04 },
  });
  const table = priceTableFromFile(file)._unsafeUnwrap();
  // 800 x 1 + 200 x 0.5 + 100 x 2 = 1100 per million.
  t.equal(table.price('openai', 'gpt-4o-mini', usage(1000, 100, { cached: 200 }), { batch: false }), 0.0011);
  t.equal(table.rates('openai', 'gpt-4o-mini')?.source, 'prices-file');
  // The file's prefixed key; its own batch rates: 1000 x 0.4 + 100 x 1 = 500 per million.
  t.equal(table.price('gemini', 'gemini-2.5-pro', usage(1000, 100), { batch: true }), 0.0005);
  // Above 200k: 300000 x 3 + 100 x 5 = 900,500 per million.
  t.equal(table.price('gemini', 'gemini-2.5-pro', usage(300000, 100), { batch: false }), 0.9005);
  // Reasoning at its own rate, 1h writes: 100 x 1 + 50 x 3 + 50 x 0.1 + 60 x 10 + 40 x 20 = 100 + 150 + 5 + 600 + 800 = 1655 per million.
  t.equal(table.price('anthropic', 'claude-x', usage(200, 100, { cacheWrite: 50, cached: 50, thinking: 40 }), { batch: false, cacheWriteTtl: '1h' }), 0.001655);
  // No stated batch rates: the provider's discount halves the whole: 827.5 per million.
  t.equal(table.price('anthropic', 'claude-x', usage(200, 100, { cacheWrite: 50, cached: 50, thinking: 40 }), { batch: true, cacheWriteTtl: '1h' }), 0.0008275);
  // Models the file does not name still come from the bundled table: gpt-4o at $2.50 / $10.
  t.equal(bundled('openai', 'gpt-4o')['input_mtok'], 2.5);
  t.equal(table.price('openai', 'gpt-4o', usage(1000, 100), { batch: false }), 0.0035);
  t.equal(table.rates('openai', 'dall-e-3'), null, 'an entry without token prices is skipped');
});

t.test('a bad price file is a typed error', async (t) => {
  t.match(parsePriceFile('{', {})._unsafeUnwrapErr(), { category: 'invalid_arg', message: /not JSON/ });
  t.match(parsePriceFile('[1]', {})._unsafeUnwrapErr(), { category: 'invalid_arg', message: /JSON object/ });
  const skipped = parsePriceFile(JSON.stringify({ m: { input_cost_per_token: -1, output_cost_per_token: 1 }, n: 'x' }), {})._unsafeUnwrap();
  t.equal(skipped.size, 0, 'negative prices and non-object entries are skipped');
});

t.test('formatCost', async (t) => {
  t.equal(formatCost(null), '?');
  t.equal(formatCost(0), '$0');
  t.equal(formatCost(1.8225), '$1.82');
  t.equal(formatCost(0.000195), '$0.000195');
  t.equal(formatCost(0.00000555), '$0.00000555');
  t.equal(formatCost(0.0011), '$0.0011');
});
