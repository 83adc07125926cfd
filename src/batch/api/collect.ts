// One poll of one submitted batch: record its new status, or, once it ended, download its
// results, write a record per request (a request the results lack gets the protocol's reason:
// expired, cancelled, failed) and mark it collected.
import { err, ok, type Result } from 'neverthrow';
import type { ProviderError } from '../../errors/category.js';
import type { HttpMulti } from '../../http/multi.js';
import { batchFailure, type BatchFailure } from '../errors.js';
import type { PriceFn, SubmittedBatch } from '../types.js';
import type { Lanes } from './prepare.js';
import { errorRecord, outcomeRecord, type RecordTiming } from './records.js';
import type { LaneState } from './state.js';
import { customId, type BatchProtocol, type PreparedItem, type ProtocolContext } from './types.js';

export interface CollectContext {
  readonly multi: HttpMulti;
  readonly lanes: Lanes;
  readonly state: LaneState;
  readonly prepared: ReadonlyMap<string, PreparedItem>;
  readonly price: PriceFn;
  readonly log: (line: string) => void;
}

export function protocolContext(context: Pick<CollectContext, 'multi' | 'lanes'>, provider: string): Result<ProtocolContext & { readonly protocol: BatchProtocol }, BatchFailure> {
  const lane = context.lanes.get(provider);
  if (lane.isErr()) return err(batchFailure('batch_api', lane.error.message));
  const endpoint = lane.value.endpoint;
  if (endpoint === undefined) return err(batchFailure('batch_api', `${provider}: no request of this run was prepared, so the Batch API endpoint is unknown`));
  return ok({ multi: context.multi, adapter: lane.value.adapter, endpoint, protocol: lane.value.protocol });
}

/** A failure the next round may not see (a 5xx after the engine's retries, a network error) waits; others stop the run. */
function transient(error: ProviderError): boolean {
  return error.retryable;
}

/** Polls `batch` once; collects it when it ended. Returns the batch as it now stands. */
export async function pollOnce(context: CollectContext, batch: SubmittedBatch): Promise<Result<SubmittedBatch, BatchFailure>> {
  const resolved = protocolContext(context, batch.provider);
  if (resolved.isErr()) return err(resolved.error);
  const { protocol } = resolved.value;
  const timing = (): RecordTiming => ({ startedAtMs: Date.parse(batch.submittedAt), endedAtMs: context.multi.clock.now() });
  const polled = await protocol.poll(resolved.value, batch);
  if (polled.isErr()) {
    // The batch is gone (deleted, or another account's key): its requests end with that error.
    if (polled.error.category === 'not_found') return endAll(context, batch, polled.error, timing(), 'not_found');
    if (transient(polled.error)) {
      context.log(`${batch.provider} batch ${batch.batchId}: poll failed (${polled.error.category}), trying again next round: ${polled.error.message}`);
      return ok(batch);
    }
    return err(batchFailure(polled.error.category === 'auth' ? 'auth' : 'batch_api', `${batch.provider} batch ${batch.batchId}: ${polled.error.message}`));
  }
  const status = polled.value;
  if (!status.ended) {
    if (status.status === batch.status) return ok(batch);
    context.log(`${batch.provider} batch ${batch.batchId}: ${status.status}`);
    const next = { ...batch, status: status.status };
    const saved = context.state.saveBatch(next);
    return saved.isErr() ? err(saved.error) : ok(next);
  }
  const outcomes = await protocol.collect(resolved.value, batch, status);
  if (outcomes.isErr()) {
    // Its results are gone (the provider's file retention): polling again would hit the same
    // 404 on every restart, so its requests end with that error and the job goes on.
    if (outcomes.error.category === 'not_found') return endAll(context, batch, outcomes.error, timing(), status.status);
    if (transient(outcomes.error)) {
      context.log(`${batch.provider} batch ${batch.batchId}: download failed (${outcomes.error.category}), trying again next round`);
      return ok(batch);
    }
    return err(batchFailure('batch_api', `${batch.provider} batch ${batch.batchId}: ${outcomes.error.message}`));
  }
  const when = timing();
  for (const [index, id] of batch.ids.entries()) {
    const item = context.prepared.get(id);
    if (item === undefined || context.state.has(id)) continue;
    const outcome = outcomes.value.get(customId(index));
    const record =
      outcome === undefined ? errorRecord(item.item, protocol.missing(status), when) : outcomeRecord(resolved.value.adapter, item, outcome, context.price, when);
    const written = context.state.write(record);
    if (written.isErr()) return err(written.error);
  }
  context.log(`${batch.provider} batch ${batch.batchId}: ${status.status}, ${outcomes.value.size} of ${batch.ids.length} results collected`);
  return finish(context, { ...batch, status: status.status, collected: true });
}

/** Ends every request of `batch` that has no record yet with `error`, and marks it collected. */
function endAll(context: CollectContext, batch: SubmittedBatch, error: ProviderError, when: RecordTiming, status: string): Result<SubmittedBatch, BatchFailure> {
  for (const id of batch.ids) {
    const item = context.prepared.get(id);
    if (item === undefined || context.state.has(id)) continue;
    const written = context.state.write(errorRecord(item.item, error, when));
    if (written.isErr()) return err(written.error);
  }
  return finish(context, { ...batch, status, collected: true });
}

/** Records first (synced), then the manifest: a crash between them collects again and writes nothing twice. */
function finish(context: CollectContext, batch: SubmittedBatch): Result<SubmittedBatch, BatchFailure> {
  const synced = context.state.sync();
  if (synced.isErr()) return err(synced.error);
  const saved = context.state.saveBatch(batch);
  return saved.isErr() ? err(saved.error) : ok(batch);
}
