import type { Usage } from '../types.js';
import { numberField, type JsonObject } from './json.js';

/**
 * `usageMetadata` -> Usage. `candidatesTokenCount` excludes thoughts, so `output` adds them
 * back (llmux's `thinking` is a share of `output`, as with the other providers). Returns
 * undefined for a block with no counts at all (Vertex's intermediate chunks carry only
 * `trafficType`), so a later chunk's counts are not overwritten by nothing.
 */
export function geminiUsage(metadata: JsonObject): Usage | undefined {
  const input = numberField(metadata, 'promptTokenCount');
  const candidates = numberField(metadata, 'candidatesTokenCount');
  const thoughts = numberField(metadata, 'thoughtsTokenCount');
  const cached = numberField(metadata, 'cachedContentTokenCount');
  const total = numberField(metadata, 'totalTokenCount');
  if ([input, candidates, thoughts, cached, total].every((value) => value === undefined)) return undefined;
  const output = candidates === undefined && thoughts === undefined ? null : (candidates ?? 0) + (thoughts ?? 0);
  return {
    input: input ?? null,
    output,
    thinking: thoughts ?? null,
    cached: cached ?? null,
    // Gemini's implicit and explicit caches bill no write.
    cacheWrite: null,
    total: total ?? null,
  };
}
