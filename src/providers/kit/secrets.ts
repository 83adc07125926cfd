/**
 * Keeping API keys out of what llmux says: the shapes of every provider's keys, in one table
 * that the providers' error messages and the VCR's cassette checks (vcr/ is above providers/)
 * both read, so a new provider adds its key shape once.
 */

/** A key shape: `pattern` (global) matches it, `replacement` is what a message shows instead. */
export interface SecretPattern {
  readonly name: string;
  readonly pattern: RegExp;
  readonly replacement: string;
}

/**
 * Most specific first: `sk-ant-` is also an `sk-` key, and is reported as Anthropic's. The
 * lengths are loose on purpose: a message should rather lose a harmless token than keep a key.
 */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { name: 'anthropic-key', pattern: /\bsk-ant-[A-Za-z0-9_*\-]{3,}/g, replacement: 'sk-ant-[REDACTED]' },
  // The lookahead skips what the Anthropic pattern already redacted (`sk-ant-[REDACTED]`).
  { name: 'openai-key', pattern: /\bsk-(?!ant-\[REDACTED\])[A-Za-z0-9_*\-]{3,}/g, replacement: 'sk-[REDACTED]' },
  { name: 'google-key', pattern: /\bAIza[0-9A-Za-z_\-]{20,}/g, replacement: 'AIza[REDACTED]' },
  { name: 'bearer-token', pattern: /\b(Bearer\s+)[A-Za-z0-9._~+/=\-]{8,}/gi, replacement: '$1[REDACTED]' },
];

export const REDACTED_TEXT = '[REDACTED]';

/**
 * Removes API keys from provider text: the exact keys we hold (`secrets`, the keys in use),
 * then anything shaped like a key. Redact a whole body before cutting a snippet from it, so a
 * key crossing the cut cannot survive in part.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED_TEXT);
  }
  for (const { pattern, replacement } of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
