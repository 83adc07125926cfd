/** What a redacted secret reads as, in messages, logs and cassettes alike. */
export const REDACTED = '[REDACTED]';

/** Query parameters that carry keys: `key` (Google), `api_key`, `api-key`, `apikey`. */
const KEY_PARAM = /([?&](?:api[_-]?)?key=)([^&#]*)/gi;

/** Replaces `key=` query values in a URL with `[REDACTED]`; the rest of the URL is untouched. */
export function redactUrl(url: string): string {
  return url.replace(KEY_PARAM, (_match, prefix: string) => `${prefix}${REDACTED}`);
}

/** True when a query parameter name is one `redactUrl` redacts. */
export function isKeyParam(name: string): boolean {
  return /^(?:api[_-]?)?key$/i.test(name);
}
