import type { FinishReason } from '../types.js';

/** Gemini's safety-style stops: the output was withheld, not finished. */
const FILTERED: ReadonlySet<string> = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
]);

/**
 * Gemini has no tool-use stop: a turn that called functions ends `STOP`, so the calls seen
 * decide. Reasons this version does not know (Gemini adds them often) read as `unknown`; the
 * raw value is kept beside the mapped one.
 */
export function geminiFinishReason(raw: string | undefined, sawToolCalls: boolean): FinishReason {
  if (raw === undefined) return 'unknown';
  if (raw === 'STOP') return sawToolCalls ? 'tool_use' : 'stop';
  if (raw === 'MAX_TOKENS') return 'length';
  if (FILTERED.has(raw)) return 'content_filter';
  if (raw === 'MALFORMED_FUNCTION_CALL') return 'error';
  return 'unknown';
}
