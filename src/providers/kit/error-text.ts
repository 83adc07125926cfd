import { snippet } from './json.js';

const BODY_SNIPPET_LENGTH = 200;

/**
 * HTML from a proxy or load balancer, reduced to the words a person would read on the page,
 * as a short single line for an error message.
 */
export function cleanBodySnippet(body: string, max = BODY_SNIPPET_LENGTH): string {
  const text = body
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
  return snippet(text, max);
}

/**
 * The message of a non-2xx response whose body said nothing usable: empty, not JSON (an HTML
 * page, shown cleaned), or JSON without a message (shown as a snippet). `body` must already
 * be redacted. `label` names the server: `Anthropic`, `OpenAI-compatible server host:port`.
 */
export function bodyOnlyHttpMessage(label: string, status: number, body: string, isJson: boolean): string {
  if (body.trim().length === 0) return `${label} API returned HTTP ${status} with an empty body.`;
  if (!isJson) return `${label} API returned HTTP ${status} with a non-JSON body: ${JSON.stringify(cleanBodySnippet(body))}`;
  return `${label} API returned HTTP ${status}: ${JSON.stringify(snippet(body, BODY_SNIPPET_LENGTH))}`;
}
