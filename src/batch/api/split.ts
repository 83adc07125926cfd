// Splitting a provider's requests into batches within its limits. Pure: items keep their
// input order inside each group, and a group fills one batch before the next begins.
import type { BatchLimits, BatchProtocol, PreparedItem } from './types.js';
import { customId } from './types.js';

export interface PlannedBatch {
  readonly provider: string;
  readonly items: readonly PreparedItem[];
}

export interface SplitResult {
  readonly batches: readonly PlannedBatch[];
  /** Items that exceed the byte limit on their own. */
  readonly oversized: readonly PreparedItem[];
}

export function splitBatches(protocol: BatchProtocol, items: readonly PreparedItem[], limits: BatchLimits = protocol.limits): SplitResult {
  const groups = new Map<string, PreparedItem[]>();
  for (const item of items) {
    const key = protocol.groupKey(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  const batches: PlannedBatch[] = [];
  const oversized: PreparedItem[] = [];
  for (const group of groups.values()) {
    let current: PreparedItem[] = [];
    let bytes = 0;
    for (const item of group) {
      if (protocol.size(customId(0), item) > limits.maxBytes) {
        oversized.push(item);
        continue;
      }
      const size = protocol.size(customId(current.length), item);
      if (current.length > 0 && (current.length >= limits.maxRequests || bytes + size > limits.maxBytes)) {
        batches.push({ provider: protocol.provider, items: current });
        current = [];
        bytes = 0;
      }
      current.push(item);
      bytes += protocol.size(customId(current.length - 1), item);
    }
    if (current.length > 0) batches.push({ provider: protocol.provider, items: current });
  }
  return { batches, oversized };
}
