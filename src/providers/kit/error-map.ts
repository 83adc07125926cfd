/**
 * The shape every provider's error mapper shares. A mapper reads the vendor's error object,
 * refines the status's category by the vendor's own type or code (a 429 that is a spent quota,
 * a 400 that is a bad key), then builds the ProviderError here, so the hint and redaction
 * rules are the same for every provider.
 */
import { providerError, type ErrorCategory, type ErrorInit, type ProviderError } from '../../errors/category.js';
import { hintFor } from '../../errors/hints.js';

/** What the vendor's error object says beyond its HTTP status. */
export interface Refinement {
  readonly category: ErrorCategory;
  /** Replaces the category's general hint where the vendor's type tells more (billing, quota). */
  readonly hint?: string;
  /** Set when the vendor's type decides retryability whatever the status or headers say. */
  readonly retryable?: boolean;
}

/**
 * Everything but the hint, which comes from the refinement. The message and the vendor's
 * codes come already redacted: each provider redacts with its own patterns (Gemini adds
 * Google's token shapes), and one that cuts a snippet from a body redacts before the cut.
 */
export type ErrorParts = Omit<ErrorInit, 'hint' | 'retryable'> & { readonly retryable: boolean };

export function refinedError(refinement: Refinement, parts: ErrorParts): ProviderError {
  return providerError(refinement.category, { ...parts, hint: refinement.hint ?? hintFor(refinement.category) });
}
