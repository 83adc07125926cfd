/**
 * The library's hints speak to programmers (`pass { apiKey } to createOpenAI()`,
 * `maxOutputTokens`); on the command line they name the flags instead, and an auth failure
 * from a server that is not OpenAI's does not send the user to platform.openai.com.
 */
import type { ProviderError } from '../errors/category.js';
import type { ChatOptions } from './args.js';

const LIBRARY_TERMS: readonly (readonly [RegExp, string])[] = [
  [/ or pass \{ apiKey \} to create\w+\(\)/g, ''],
  [/\bmaxOutputTokens\b/g, '--max-tokens'],
  [/\bmaxRetries\b/g, '--retries'],
  [/\bbaseURL\b/g, '--base-url'],
];

export function cliHint(error: ProviderError, options: Pick<ChatOptions, 'baseUrl'>): string | undefined {
  const hint = error.hint;
  if (hint === undefined) return undefined;
  if (error.category === 'auth' && options.baseUrl !== undefined && !isOpenAIHost(options.baseUrl) && /platform\.openai\.com/.test(hint)) {
    return `the server at ${hostOf(options.baseUrl)} refused the key; set the key that server expects (OPENAI_API_KEY is sent as the bearer token)`;
  }
  let out = hint;
  for (const [pattern, flag] of LIBRARY_TERMS) out = out.replace(pattern, flag);
  return out;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function isOpenAIHost(url: string): boolean {
  return /(^|\.)openai\.com$/i.test(hostOf(url).replace(/:\d+$/, ''));
}
