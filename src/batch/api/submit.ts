// Submitting what no batch holds yet: split per provider within its limits, create each batch,
// and put its id in the manifest before anything else happens, so a restart polls it.
import type { Result } from 'neverthrow';
import { err, ok } from 'neverthrow';
import { batchFailure, type BatchFailure } from '../errors.js';
import type { SubmittedBatch } from '../types.js';
import { protocolContext, type CollectContext } from './collect.js';
import { errorRecord } from './records.js';
import { splitBatches } from './split.js';
import { customId, type BatchLimits, type PreparedItem } from './types.js';
import { providerError } from '../../errors/category.js';

export async function submitAll(
  context: CollectContext,
  items: readonly PreparedItem[],
  limits: Readonly<Record<string, BatchLimits>>,
): Promise<Result<number, BatchFailure>> {
  const byProvider = new Map<string, PreparedItem[]>();
  for (const item of items) {
    const list = byProvider.get(item.item.provider);
    if (list === undefined) byProvider.set(item.item.provider, [item]);
    else list.push(item);
  }
  let submitted = 0;
  for (const [provider, list] of byProvider) {
    const resolved = protocolContext(context, provider);
    if (resolved.isErr()) return err(resolved.error);
    const { protocol } = resolved.value;
    const now = (): { startedAtMs: number; endedAtMs: number } => ({ startedAtMs: context.multi.clock.now(), endedAtMs: context.multi.clock.now() });
    const limit = limits[provider] ?? protocol.limits;
    const split = splitBatches(protocol, list, limit);
    for (const item of split.oversized) {
      const tooLarge = providerError('invalid_arg', { message: `the request alone is larger than a ${provider} batch may be (${limit.maxBytes} bytes); run it on the live lane` });
      const written = context.state.write(errorRecord(item.item, tooLarge, now()));
      if (written.isErr()) return err(written.error);
    }
    for (const planned of split.batches) {
      const ids = planned.items.map((item) => item.item.id);
      const submittedAt = context.multi.clock.now();
      const created = await protocol.create(resolved.value, planned.items, planned.items.map((_, index) => customId(index)));
      if (created.isErr() && created.error.category === 'auth') return err(batchFailure('auth', `${provider}: ${created.error.message}`));
      if (created.isErr()) {
        // The provider refused this batch: its requests end with that error (`--retry-errors` submits them again).
        context.log(`${provider}: creating a batch of ${ids.length} failed (${created.error.category}): ${created.error.message}`);
        for (const item of planned.items) {
          const written = context.state.write(errorRecord(item.item, created.error, now()));
          if (written.isErr()) return err(written.error);
        }
        continue;
      }
      const batch: SubmittedBatch = {
        provider,
        batchId: created.value.batchId,
        ids,
        inputFileId: created.value.inputFileId,
        submittedAt: new Date(submittedAt).toISOString(),
        status: created.value.status,
        collected: false,
      };
      const saved = context.state.saveBatch(batch);
      if (saved.isErr()) return err(saved.error);
      context.log(`${provider}: submitted batch ${batch.batchId} (${ids.length} requests)`);
      submitted++;
    }
  }
  return ok(submitted);
}
