// A Batch API result as the same BatchRecord the live lane writes: the body goes through the
// adapter's own non-streaming parser, an error keeps its category, and the cost is priced at
// the provider's batch rates.
import type { ProviderError } from '../../errors/category.js';
import type { ProviderAdapter } from '../../providers/adapter.js';
import type { ChatResponse } from '../../providers/types.js';
import type { BatchError, BatchItem, BatchRecord, PriceFn } from '../types.js';
import type { ItemOutcome, PreparedItem } from './types.js';

export function batchErrorOf(error: ProviderError): BatchError {
  return {
    category: error.category,
    message: error.message,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs ?? null,
    httpStatus: error.httpStatus ?? null,
  };
}

/** When and how long, for the record: the batch's submission and its collection, on the engine clock. */
export interface RecordTiming {
  readonly startedAtMs: number;
  readonly endedAtMs: number;
}

/** The fields every record has, in the order BatchRecord declares them (records read alike whichever lane wrote them). */
function record(item: BatchItem, timing: RecordTiming, result: Pick<BatchRecord, 'ok' | 'response' | 'error' | 'usage' | 'cost' | 'requestId'>): BatchRecord {
  return {
    id: item.id,
    key: item.key,
    ok: result.ok,
    ...(result.response === undefined ? {} : { response: result.response }),
    ...(result.error === undefined ? {} : { error: result.error }),
    provider: item.provider,
    model: item.model,
    usage: result.usage,
    cost: result.cost,
    attempts: 1,
    requestId: result.requestId,
    startedAt: new Date(timing.startedAtMs).toISOString(),
    ms: Math.max(0, Math.round(timing.endedAtMs - timing.startedAtMs)),
    lane: 'batch-api',
    line: item.line,
  };
}

export function errorRecord(item: BatchItem, error: ProviderError, timing: RecordTiming, requestId: string | null = null): BatchRecord {
  return record(item, timing, { ok: false, error: batchErrorOf(error), usage: null, cost: null, requestId });
}

export function outcomeRecord(adapter: ProviderAdapter, prepared: PreparedItem, outcome: ItemOutcome, price: PriceFn, timing: RecordTiming): BatchRecord {
  if (outcome.kind === 'error') return errorRecord(prepared.item, outcome.error, timing, outcome.requestId);
  const parsed = adapter.parseResponse(prepared.prepared, outcome.body);
  if (parsed.isErr()) return errorRecord(prepared.item, parsed.error, timing, outcome.requestId);
  const response: ChatResponse = outcome.requestId === null ? parsed.value : { ...parsed.value, requestId: outcome.requestId };
  return record(prepared.item, timing, {
    ok: true,
    response,
    usage: response.usage,
    // The model asked for, as the live lane prices it (a price file names those); else the one that answered.
    cost: price(prepared.item.provider, prepared.item.model, response.usage, { batch: true }) ?? price(prepared.item.provider, response.model, response.usage, { batch: true }),
    requestId: outcome.requestId,
  });
}
