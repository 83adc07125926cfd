/**
 * What the providers' model tables and model-name checks share: every table row names a
 * model and what it is for, and every provider refuses the same hopeless names (not a
 * string, empty, absurdly long) before a request is spent on them.
 */
import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';

/**
 * A row of a provider's model table. The tables are for the README and the CLI, never an
 * allow-list: every other name the API accepts is passed through.
 */
export interface KnownModel {
  readonly id: string;
  /** What the model is good for, in a few words. */
  readonly use: string;
  /** Set for models the vendor has deprecated or replaced: what to use instead. */
  readonly deprecation?: string;
}

export const MAX_MODEL_NAME_LENGTH = 256;

export interface ModelNameRule {
  /** Starts every message: `Invalid model name`, `Invalid Gemini model name`. */
  readonly label: string;
  /** The name as the provider will send it (a prefix dropped, say); applied before every check. */
  readonly normalize?: (name: string) => string;
  /** Why the provider cannot send this (non-empty, not too long) name, or undefined when it can. */
  readonly refuse: (name: string) => string | undefined;
}

export function checkModelName(model: unknown, rule: ModelNameRule): Result<string, ProviderError> {
  const invalid = (why: string): Result<string, ProviderError> =>
    err(providerError('invalid_arg', { message: `${rule.label}: ${why}.`, param: 'model' }));
  if (typeof model !== 'string') return invalid('it must be a string');
  const name = rule.normalize === undefined ? model : rule.normalize(model);
  if (name.length === 0) return invalid('it is empty');
  if (name.length > MAX_MODEL_NAME_LENGTH) return invalid(`it is ${name.length} characters long, the limit is ${MAX_MODEL_NAME_LENGTH}`);
  const refused = rule.refuse(name);
  return refused === undefined ? ok(name) : invalid(refused);
}
