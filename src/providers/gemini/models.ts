import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { ReasoningEffort } from '../types.js';

/** Fast, cheap, thinks when asked and available on the free tier: a safe first request. */
export const DEFAULT_GEMINI_MODEL = 'gemini-2.5-flash';

/** How a model family is told how hard to think. */
export type ThinkingControl = 'budget' | 'level';

export interface GeminiModel {
  readonly id: string;
  readonly thinking: ThinkingControl;
  readonly note: string;
}

/** Models llmux was checked against; any other name is passed through as it is. */
export const GEMINI_MODELS: readonly GeminiModel[] = [
  { id: 'gemini-2.5-flash', thinking: 'budget', note: 'default; thinks by default, budget 0 turns it off' },
  { id: 'gemini-2.5-flash-lite', thinking: 'budget', note: 'cheapest; does not think unless given a budget' },
  { id: 'gemini-2.5-pro', thinking: 'budget', note: 'always thinks (a budget of 0 is refused)' },
  { id: 'gemini-3-pro-preview', thinking: 'level', note: 'thinkingLevel LOW or HIGH; tool turns need thought signatures' },
  { id: 'gemini-3-flash-preview', thinking: 'level', note: 'thinkingLevel MINIMAL to HIGH; tool turns need thought signatures' },
  { id: 'gemini-2.0-flash', thinking: 'budget', note: 'no thinking' },
];

/** Gemini 3 and later take a level; 2.x takes a token budget. */
export function thinkingControl(model: string): ThinkingControl {
  const version = /^gemini-(\d+)/.exec(model);
  return version !== null && Number(version[1]) >= 3 ? 'level' : 'budget';
}

/** `reasoningEffort` as a 2.x thinking budget, in tokens (0 = off). */
export const EFFORT_BUDGET: Readonly<Record<ReasoningEffort, number>> = {
  none: 0,
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 32768,
};

/** `reasoningEffort` as a Gemini 3 `thinkingLevel`; Gemini 3 cannot stop thinking, so `none` is the least. */
export const EFFORT_LEVEL: Readonly<Record<ReasoningEffort, string>> = {
  none: 'MINIMAL',
  minimal: 'MINIMAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  xhigh: 'HIGH',
};

export const MAX_MODEL_NAME_LENGTH = 256;

/**
 * The model name goes into the URL path, so it must be one path segment: letters, digits,
 * `.`, `_`, `-`. A leading `models/` (how the API itself names models) is dropped.
 */
export function validateGeminiModel(model: unknown): Result<string, ProviderError> {
  const invalid = (why: string): Result<string, ProviderError> =>
    err(providerError('invalid_arg', { message: `Invalid Gemini model name: ${why}.`, param: 'model' }));
  if (typeof model !== 'string') return invalid('it must be a string');
  const name = model.startsWith('models/') ? model.slice('models/'.length) : model;
  if (name.length === 0) return invalid('it is empty');
  if (name.length > MAX_MODEL_NAME_LENGTH) return invalid(`it is ${name.length} characters long, the limit is ${MAX_MODEL_NAME_LENGTH}`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    return invalid(`${JSON.stringify(name.slice(0, 80))} may hold only letters, digits, ".", "_" and "-" (it goes into the URL path)`);
  }
  return ok(name);
}
