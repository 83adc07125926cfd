import { redactSecrets as redactKnown } from '../kit/index.js';

/**
 * Removes credentials from provider text: the exact key or token in use and every key shape
 * the kit knows (`AIza...` among them), then what Google adds: OAuth access tokens
 * (`ya29....`) and `key=` query values.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  return redactKnown(text, secrets)
    .replace(/\bya29\.[0-9A-Za-z._-]{8,}/g, 'ya29.[REDACTED]')
    .replace(/([?&]key=)[^&\s"']+/gi, '$1[REDACTED]');
}
