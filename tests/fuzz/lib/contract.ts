import type { Result } from 'neverthrow';
import type { ProviderError } from '../../../src/errors/category.js';
import type { ChatResponse, StreamEvent } from '../../../src/providers/types.js';

/** What one request's callbacks received. */
export class Observed {
  readonly events: StreamEvent[] = [];
  readonly completions: Result<ChatResponse, ProviderError>[] = [];
  /** Events that arrived outside perform(), completions outside infoRead(). */
  misplaced = 0;
}

export interface Expectation {
  readonly streaming: boolean;
  /** Whether the bytes held the stream's terminal event (or, for a body, were one JSON value). */
  readonly mayTerminate: boolean;
  /** Whether the request was cancelled: its completion must say so. */
  readonly cancelled?: boolean;
  /** Whether onEvent threw: the error is then not reported back into it as an event. */
  readonly callbackThrew?: boolean;
}

const TERMINAL = new Set(['done', 'error']);

/** The README's contract for one finished request; each broken rule is one line. */
export function contractBreaks(seen: Observed, expect: Expectation): string[] {
  const breaks: string[] = [];
  if (seen.completions.length !== 1) breaks.push(`${seen.completions.length} completions, expected exactly 1`);
  if (seen.misplaced > 0) breaks.push(`${seen.misplaced} callbacks outside perform()/infoRead()`);
  const result = seen.completions[0];
  const events = seen.events;
  if (!expect.streaming && events.length > 0) breaks.push(`${events.length} stream events for a non-streaming request`);
  const terminalAt = events.findIndex((event) => TERMINAL.has(event.type));
  if (terminalAt !== -1 && terminalAt !== events.length - 1) breaks.push(`${events.length - 1 - terminalAt} events after the terminal ${events[terminalAt]?.type}`);
  if (events.filter((event) => event.type === 'start').length > 1) breaks.push('more than one start event');
  if (events.length > 0 && events[0]?.type !== 'start' && !(events.length === 1 && events[0]?.type === 'error')) {
    breaks.push(`the first event is ${events[0]?.type}, not start (only a lone error may come without one)`);
  }
  if (result === undefined) return breaks;
  const last = events[events.length - 1];
  if (result.isOk()) {
    if (!expect.mayTerminate) breaks.push('success without a terminal event in the bytes');
    if (expect.streaming && last?.type !== 'done') breaks.push(`success, but the last event is ${last?.type ?? 'none'}, not done`);
    if (last?.type === 'done' && last.finishReason !== result.value.finishReason) {
      breaks.push(`done says ${last.finishReason}, the completion ${result.value.finishReason}`);
    }
  } else if (expect.cancelled === true) {
    if (result.error.category !== 'cancelled') breaks.push(`cancelled, but the completion says ${result.error.category}`);
    if (last?.type === 'done') breaks.push('a cancelled request got done');
  } else if (expect.streaming && result.error.category !== 'cancelled' && expect.callbackThrew !== true) {
    if (last?.type !== 'error') breaks.push(`failed with ${result.error.category}, but the last event is ${last?.type ?? 'none'}, not error`);
    else if (last.category !== result.error.category) breaks.push(`the error event says ${last.category}, the completion ${result.error.category}`);
  }
  return breaks;
}

/** A JSON text of everything the host saw, for comparing runs of the same bytes. */
export function signature(seen: Observed): string {
  const result = seen.completions[0];
  const outcome =
    result === undefined
      ? null
      : result.isOk()
        ? { ok: result.value }
        : { err: { category: result.error.category, message: result.error.message, httpStatus: result.error.httpStatus } };
  return JSON.stringify({ events: seen.events, outcome, completions: seen.completions.length });
}
