import type { Result } from 'neverthrow';
import type { ProviderError } from '../../errors/category.js';
import { checkModelName, type KnownModel } from '../kit/models.js';
import type { ReasoningEffort } from '../types.js';

/** Fast, cheap, thinks when asked and available on the free tier: a safe first request. */
export const DEFAULT_GEMINI_MODEL = 'gemini-2.5-flash';

/** How a model family is told how hard to think. */
export type ThinkingControl = 'budget' | 'level';

export interface GeminiModel extends KnownModel {
  readonly thinking: ThinkingControl;
}

/** Models llmux was checked against; any other name is passed through as it is. */
export const GEMINI_MODELS: readonly GeminiModel[] = [
  { id: 'gemini-2.5-flash', thinking: 'budget', use: 'default; thinks by default, budget 0 turns it off' },
  { id: 'gemini-2.5-flash-lite', thinking: 'budget', use: 'cheapest; does not think unless given a budget' },
  { id: 'gemini-2.5-pro', thinking: 'budget', use: 'always thinks (a budget of 0 is refused)' },
  { id: 'gemini-3-pro-preview', thinking: 'level', use: 'thinkingLevel LOW or HIGH; tool turns need thought signatures' },
  { id: 'gemini-3-flash-preview', thinking: 'level', use: 'thinkingLevel MINIMAL to HIGH; tool turns need thought signatures' },
  { id: 'gemini-2.0-flash', thinking: 'budget', use: 'no thinking' },
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

/**
 * The model name goes into the URL path, so it must be one path segment: letters, digits,
 * `.`, `_`, `-`. A leading `models/` (how the API itself names models) is dropped.
 */
export function validateGeminiModel(model: unknown): Result<string, ProviderError> {
  return checkModelName(model, {
    label: 'Invalid Gemini model name',
    normalize: (name) => (name.startsWith('models/') ? name.slice('models/'.length) : name),
    refuse: (name) =>
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)
        ? undefined
        : `${JSON.stringify(name.slice(0, 80))} may hold only letters, digits, ".", "_" and "-" (it goes into the URL path)`,
  });
}
