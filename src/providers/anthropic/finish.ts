import type { FinishReason } from '../types.js';

/**
 * Anthropic's stop_reason -> llmux's finish reason. `pause_turn` (a server-tool loop hit
 * its iteration limit) maps to `stop`, as the AI SDK does: the turn did end normally and
 * nothing is wrong with it, and a new neutral value would make every host's exhaustive
 * switch handle a reason only one provider sends. A host that drives server tools checks
 * `rawFinishReason === 'pause_turn'` and sends the content back to continue.
 */
export function mapStopReason(reason: string | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_use';
    case 'refusal':
      return 'content_filter';
    default:
      return 'unknown';
  }
}
