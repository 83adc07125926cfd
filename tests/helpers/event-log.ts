/** A compact, readable log of normalized stream events: one string per event. */
import type { StreamEvent } from '../../src/providers/types.js';

/** How a provider's tests want the two provider-dependent lines written. */
export interface EventLogStyle {
  /** Tool-call argument deltas as a JSON string (default) or as the raw text. */
  readonly rawToolDeltas?: boolean;
  /** Append the provider's own finish reason to `done` lines. */
  readonly rawFinishReason?: boolean;
}

export function eventLine(e: StreamEvent, style: EventLogStyle = {}): string {
  switch (e.type) {
    case 'start':
      return e.id === undefined ? `start ${e.model}` : `start ${e.model} ${e.id}`;
    case 'text_delta':
      return `text[${e.index}] ${JSON.stringify(e.text)}`;
    case 'thinking_delta':
      return `thinking[${e.index}] ${JSON.stringify(e.text)}`;
    case 'tool_call_start':
      return `tool_start[${e.index}] ${e.id} ${e.name}`;
    case 'tool_call_delta':
      return `tool_delta[${e.index}] ${style.rawToolDeltas === true ? e.arguments : JSON.stringify(e.arguments)}`;
    case 'tool_call_done':
      return `tool_done[${e.index}] ${e.id} ${e.name} ${e.arguments}`;
    case 'done': {
      const raw = style.rawFinishReason === true && e.rawFinishReason !== undefined ? ` (${e.rawFinishReason})` : '';
      return `done ${e.finishReason}${raw} ${JSON.stringify(e.usage)}`;
    }
    case 'error':
      return `error ${e.category} ${e.message}`;
  }
}

export function eventLog(events: readonly StreamEvent[], style: EventLogStyle = {}): string[] {
  return events.map((e) => eventLine(e, style));
}
