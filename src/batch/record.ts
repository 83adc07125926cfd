// A finished request as its output record. Pure.
import type { ChatResponse } from '../providers/types.js';
import type { WorkerOutcome } from '../providers/worker.js';
import type { BatchError, BatchItem, BatchRecord, PriceFn } from './types.js';

export interface Timing {
  /** When the request was handed to the engine, engine clock ms (epoch ms on the real clock). */
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
  /** Attempts counted from the engine's retry reports (the error's own count wins for failures). */
  readonly attempts: number;
}

export function resultRecord(item: BatchItem, outcome: WorkerOutcome, timing: Timing, price: PriceFn): BatchRecord {
  // One literal per branch, fields in the record's order: this runs once per request.
  const startedAt = new Date(timing.startedAtMs).toISOString();
  const ms = Math.max(0, Math.round(timing.finishedAtMs - timing.startedAtMs));
  if (outcome.ok) {
    const response: ChatResponse = outcome.response;
    return {
      id: item.id,
      key: item.key,
      ok: true,
      response,
      usage: outcome.usage,
      cost: price(item.provider, item.model, outcome.usage, { batch: false }),
      attempts: timing.attempts,
      requestId: response.requestId ?? null,
      provider: item.provider,
      model: item.model,
      startedAt,
      ms,
      lane: 'live',
      line: item.line,
    };
  }
  const failure = outcome.error;
  const error: BatchError = {
    category: failure.category,
    message: failure.message,
    retryable: failure.retryable,
    retryAfterMs: failure.retryAfterMs,
    httpStatus: failure.httpStatus,
  };
  return {
    id: item.id,
    key: item.key,
    ok: false,
    error,
    usage: null,
    // A failed request is not billed by the providers llmux knows; no usage, no price.
    cost: null,
    attempts: Math.max(failure.attempts, timing.attempts),
    requestId: failure.requestId,
    provider: item.provider,
    model: item.model,
    startedAt,
    ms,
    lane: 'live',
    line: item.line,
  };
}

/** What an input error record says of where it came from. */
export interface InputOrigin {
  readonly id: string;
  readonly key: string | null;
  readonly provider: string | null;
  readonly model: string | null;
  readonly line: number;
}

/** The record of a line that never became a sent request: `invalid_input`, never billed. */
export function inputErrorRecord(origin: InputOrigin, message: string): BatchRecord {
  return {
    id: origin.id,
    key: origin.key,
    ok: false,
    error: { category: 'invalid_input', message: `line ${origin.line}: ${message}`, retryable: false, retryAfterMs: null, httpStatus: null },
    provider: origin.provider,
    model: origin.model,
    usage: null,
    cost: null,
    attempts: 0,
    requestId: null,
    startedAt: null,
    ms: null,
    lane: 'live',
    line: origin.line,
  };
}

/** The record of a request its provider refused before sending (validation): an input error. */
export function refusedRecord(item: BatchItem, message: string): BatchRecord {
  return inputErrorRecord(item, message);
}
