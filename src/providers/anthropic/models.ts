export interface AnthropicModel {
  /** The alias; dated snapshots (`claude-sonnet-4-5-20250929`) match it by prefix. */
  readonly id: string;
  readonly use: string;
  /** The most output tokens the API accepts for the model. */
  readonly maxOutput: number;
  /** `max_tokens` when the request sets no `maxOutputTokens` (the API requires one). */
  readonly defaultMaxTokens: number;
  /** Accepts `thinking: {type: "adaptive"}` with `output_config.effort`. */
  readonly adaptive?: boolean;
  readonly note?: string;
}

/** A fast, capable model every account can use; the default of requests that name none. */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-4-5';

/** For names the table does not know: room for a real answer without a long non-streaming wait. */
export const FALLBACK_MAX_TOKENS = 4096;
const FALLBACK_MAX_OUTPUT = 32_000;

/** Longest first: the first prefix that matches a name wins. */
export const ANTHROPIC_MODELS: readonly AnthropicModel[] = [
  { id: 'claude-opus-4-5', use: 'most capable 4.5 model: hard reasoning, agents, code', maxOutput: 64_000, defaultMaxTokens: 8192 },
  { id: 'claude-sonnet-4-5', use: 'llmux default: strong and fast, tools and thinking', maxOutput: 64_000, defaultMaxTokens: 8192 },
  { id: 'claude-haiku-4-5', use: 'cheapest current model, low latency', maxOutput: 64_000, defaultMaxTokens: 8192 },
  { id: 'claude-opus-4-1', use: 'previous Opus', maxOutput: 32_000, defaultMaxTokens: 8192, note: 'Superseded; use claude-opus-4-5.' },
  { id: 'claude-opus-4-0', use: 'first Claude 4 Opus', maxOutput: 32_000, defaultMaxTokens: 8192, note: 'Superseded; use claude-opus-4-5.' },
  { id: 'claude-opus-4-2', use: 'claude-opus-4-20250514 snapshot', maxOutput: 32_000, defaultMaxTokens: 8192, note: 'Superseded; use claude-opus-4-5.' },
  { id: 'claude-opus-4-', use: 'later Opus 4.x releases', maxOutput: 64_000, defaultMaxTokens: 8192, adaptive: true },
  { id: 'claude-sonnet-4-0', use: 'first Claude 4 Sonnet', maxOutput: 64_000, defaultMaxTokens: 8192, note: 'Superseded; use claude-sonnet-4-5.' },
  { id: 'claude-sonnet-4-2', use: 'claude-sonnet-4-20250514 snapshot', maxOutput: 64_000, defaultMaxTokens: 8192, note: 'Superseded; use claude-sonnet-4-5.' },
  { id: 'claude-sonnet-4-', use: 'later Sonnet 4.x releases', maxOutput: 64_000, defaultMaxTokens: 8192, adaptive: true },
  { id: 'claude-3-7-sonnet', use: 'first model with extended thinking', maxOutput: 64_000, defaultMaxTokens: 8192, note: 'Deprecated by Anthropic; use claude-sonnet-4-5.' },
  { id: 'claude-3-5-haiku', use: 'small fast model', maxOutput: 8192, defaultMaxTokens: 4096, note: 'Deprecated by Anthropic; use claude-haiku-4-5.' },
  { id: 'claude-3-haiku', use: 'oldest small model', maxOutput: 4096, defaultMaxTokens: 4096, note: 'Deprecated by Anthropic; use claude-haiku-4-5.' },
  { id: 'claude-', use: 'later Claude families (claude-opus-5, claude-sonnet-5, ...)', maxOutput: 64_000, defaultMaxTokens: 8192, adaptive: true },
];

const UNKNOWN: AnthropicModel = { id: '', use: 'unknown', maxOutput: FALLBACK_MAX_OUTPUT, defaultMaxTokens: FALLBACK_MAX_TOKENS };

/** The table row for a model name (aliases and dated snapshots alike); a neutral row for unknown names. */
export function modelInfo(model: string): AnthropicModel {
  const name = model.toLowerCase();
  return ANTHROPIC_MODELS.find((row) => name.startsWith(row.id)) ?? UNKNOWN;
}
