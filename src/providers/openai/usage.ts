import type { Usage } from '../types.js';
import { numberField, objectField, type JsonObject } from '../kit/json.js';

/**
 * Chat Completions `usage` -> Usage. A count the server left out stays null: many
 * OpenAI-compatible servers report only prompt and completion tokens, and a zero there
 * would claim something nobody measured. OpenAI reports no cache writes: `cacheWrite` is null.
 */
export function chatUsage(usage: JsonObject): Usage {
  return {
    input: numberField(usage, 'prompt_tokens') ?? null,
    output: numberField(usage, 'completion_tokens') ?? null,
    thinking: nested(usage, 'completion_tokens_details', 'reasoning_tokens'),
    cached: nested(usage, 'prompt_tokens_details', 'cached_tokens'),
    cacheWrite: null,
    total: numberField(usage, 'total_tokens') ?? null,
  };
}

/** Responses API `usage` -> Usage, with the same null-for-missing rule. */
export function responsesUsage(usage: JsonObject): Usage {
  return {
    input: numberField(usage, 'input_tokens') ?? null,
    output: numberField(usage, 'output_tokens') ?? null,
    thinking: nested(usage, 'output_tokens_details', 'reasoning_tokens'),
    cached: nested(usage, 'input_tokens_details', 'cached_tokens'),
    cacheWrite: null,
    total: numberField(usage, 'total_tokens') ?? null,
  };
}

function nested(object: JsonObject, outer: string, inner: string): number | null {
  const details = objectField(object, outer);
  return details === undefined ? null : (numberField(details, inner) ?? null);
}
