/**
 * Keeping secrets out of cassettes: redaction of the places keys travel (headers, `key=`
 * query values) and a scan for anything still shaped like a secret, so the recorder can
 * refuse to save rather than leak.
 */
import { REDACTED } from '../errors/redact-url.js';

export { isKeyParam, REDACTED, redactUrl } from '../errors/redact-url.js';

/** Header names whose values are credentials (lower case). */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-goog-api-key',
  'api-key',
  'cookie',
  'set-cookie',
]);

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/** A copy with every secret header's value replaced by `[REDACTED]`; names keep their case. */
export function redactHeaders<V extends string | readonly string[]>(
  headers: Readonly<Record<string, V>>,
): Record<string, string | readonly string[]> {
  const out: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!isSecretHeader(name)) out[name] = value;
    else out[name] = typeof value === 'string' ? REDACTED : value.map(() => REDACTED);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Secret detection

export type SecretKind = 'openai-key' | 'anthropic-key' | 'google-key' | 'bearer-token' | 'key-param';

export interface SecretFinding {
  readonly kind: SecretKind;
  /** Offset in the text, in UTF-16 code units. */
  readonly offset: number;
  /** 1-based line and column of the secret's start. */
  readonly line: number;
  readonly column: number;
  readonly length: number;
}

interface Detector {
  readonly kind: SecretKind;
  readonly pattern: RegExp;
  /** The capture group holding the secret itself (0 = whole match). */
  readonly group: number;
}

// Order matters: the more specific shapes come first, and a region reported once is not
// reported again by a later, looser detector.
const DETECTORS: readonly Detector[] = [
  { kind: 'anthropic-key', pattern: /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,}/g, group: 0 },
  { kind: 'openai-key', pattern: /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g, group: 0 },
  { kind: 'google-key', pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}/g, group: 0 },
  { kind: 'bearer-token', pattern: /\bbearer\s+([A-Za-z0-9._~+/=-]{16,})/gi, group: 1 },
  // The parameter name must start a query parameter or a word: `cache_key=`, `sort_key=` are
  // not keys. A JSON-escaped newline or tab (`\n`) before it counts as a word break too.
  { kind: 'key-param', pattern: /(?:(?<![^?&\s'"])|(?<=\\[nrt]))(?:api[_-]?)?key=([A-Za-z0-9._~+/-]{20,})/gi, group: 1 },
];

/** Shannon entropy in bits per character. Real keys score > 4; `xxxx...` placeholders score ~0. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Keys are random: letters and digits mixed, high entropy. Placeholders in docs and tests
 * (`sk-xxxx...`) and prose after "Bearer" are not secrets.
 */
function looksRandom(token: string): boolean {
  return /[0-9]/.test(token) && /[A-Za-z]/.test(token) && entropy(token) >= 3;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Every secret-shaped string in `text`, in order of position. */
export function findSecrets(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const covered: Array<[number, number]> = [];
  for (const { kind, pattern, group } of DETECTORS) {
    for (const match of text.matchAll(pattern)) {
      const secret = match[group] ?? '';
      const offset = (match.index ?? 0) + match[0].length - secret.length;
      if (!looksRandom(secret)) continue;
      if (covered.some(([start, end]) => offset < end && start < offset + secret.length)) continue;
      covered.push([offset, offset + secret.length]);
      findings.push({ kind, offset, length: secret.length, ...lineAndColumn(text, offset) });
    }
  }
  return findings.sort((a, b) => a.offset - b.offset);
}

const KIND_NAMES: Readonly<Record<SecretKind, string>> = {
  'openai-key': 'an OpenAI API key (sk-...)',
  'anthropic-key': 'an Anthropic API key (sk-ant-...)',
  'google-key': 'a Google API key (AIza...)',
  'bearer-token': 'a bearer token',
  'key-param': 'a key= query value',
};

/** Where and what, never the secret itself: `line 3, column 57: an OpenAI API key (sk-...)`. */
export function describeFinding(finding: SecretFinding): string {
  return `line ${finding.line}, column ${finding.column}: ${KIND_NAMES[finding.kind]}`;
}
