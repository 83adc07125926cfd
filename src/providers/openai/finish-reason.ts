import type { FinishReason } from '../types.js';

/**
 * Chat Completions `finish_reason` -> FinishReason. `function_call` is the pre-tools name.
 * A forced tool call (a named or `required` tool_choice) comes back with `stop`; it is still
 * a stop to run tools, as the Responses API reports it, so hosts can branch on one value.
 */
export function chatFinishReason(raw: string | undefined, calledTools = false): FinishReason {
  switch (raw) {
    case 'stop':
      return calledTools ? 'tool_use' : 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'unknown';
  }
}

/** Responses API `incomplete_details.reason` -> FinishReason. */
export function incompleteFinishReason(reason: string | undefined): FinishReason {
  switch (reason) {
    case 'max_output_tokens':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'unknown';
  }
}

/** A completed Response has no finish reason of its own: it stopped to call tools, or it was done. */
export function completedFinishReason(calledTools: boolean): FinishReason {
  return calledTools ? 'tool_use' : 'stop';
}
