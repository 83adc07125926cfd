/**
 * Removes credentials from provider text: the exact key or token in use, and anything shaped
 * like a Google API key (`AIza...`), an OAuth access token (`ya29....`), a bearer token or a
 * `key=` query value.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  }
  return out
    .replace(/\bAIza[0-9A-Za-z_-]{8,}/g, 'AIza[REDACTED]')
    .replace(/\bya29\.[0-9A-Za-z._-]{8,}/g, 'ya29.[REDACTED]')
    .replace(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1[REDACTED]')
    .replace(/([?&]key=)[^&\s"']+/gi, '$1[REDACTED]');
}
