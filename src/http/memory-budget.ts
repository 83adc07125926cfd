import { providerError, type ProviderError } from '../errors/category.js';
import { onTheWire, type Transfer } from './transfer.js';

/**
 * Bytes all transfers of one engine may hold at once: 256 MiB. That is four times the
 * largest non-streaming body one transfer may buffer (64 MiB), so no single request within
 * its own caps is refused, while a flood of them cannot take the process's memory.
 */
export const DEFAULT_MEMORY_BUDGET_BYTES = 256 * 1024 * 1024;

/**
 * The engine's books of the bytes its transfers hold: body chunks queued for the next pump,
 * error bodies, and what each sink keeps (a buffered non-streaming body, an SSE partial line
 * and event). It is the only writer of those books (`Transfer.heldBytes` and the total):
 * everyone else tells it what changed. It decides nothing on its own; the engine pauses a
 * socket when an arrival finds the engine over budget, and fails the `victims()` when what
 * the sinks keep is over it (pausing cannot shrink that).
 */
export class MemoryBudget {
  readonly limit: number;
  #total = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Bytes held by all transfers now. */
  get total(): number {
    return this.#total;
  }

  get over(): boolean {
    return this.#total > this.limit;
  }

  /** `bytes` more arrived for `transfer`. True when the engine is now over its budget. */
  grow(transfer: Transfer, bytes: number): boolean {
    transfer.heldBytes += bytes;
    this.#total += bytes;
    return this.#total > this.limit;
  }

  /** `transfer` holds `bytes` in all now. True when the engine is over its budget. */
  hold(transfer: Transfer, bytes: number): boolean {
    this.#total += bytes - transfer.heldBytes;
    transfer.heldBytes = bytes;
    return this.#total > this.limit;
  }

  /**
   * After a pump: the books learn what `transfer` holds now (its queued chunks, error body
   * and what its sink keeps); returns the transfers to fail, see victims().
   */
  afterPump(transfer: Transfer, all: Iterable<Transfer>): Transfer[] {
    const attempt = transfer.attempt;
    if (attempt === undefined || !onTheWire(transfer.phase)) return [];
    const kept = transfer.sink.heldBytes?.() ?? 0;
    return this.hold(transfer, attempt.queuedBytes + attempt.errorBytes + kept) ? this.victims(all) : [];
  }

  /** The transfer let go of everything (it left the wire). */
  release(transfer: Transfer): void {
    this.#total -= transfer.heldBytes;
    transfer.heldBytes = 0;
  }

  /**
   * Over budget: the transfers to fail so that what is left fits, largest first. A
   * transfer's rank is what it holds beyond its queued chunks: those are the host's backlog,
   * bounded by pausing the socket, and the next pump hands them on; failing a stream for
   * them would punish a consumer that is merely slow. Empty when nothing but backlog is over.
   */
  victims(transfers: Iterable<Transfer>): Transfer[] {
    if (!this.over) return [];
    const ranked: { readonly transfer: Transfer; readonly kept: number }[] = [];
    for (const transfer of transfers) {
      const kept = transfer.heldBytes - (transfer.attempt?.queuedBytes ?? 0);
      if (kept > 0) ranked.push({ transfer, kept });
    }
    ranked.sort((a, b) => b.kept - a.kept);
    const chosen: Transfer[] = [];
    let left = this.#total;
    for (const { transfer } of ranked) {
      if (left <= this.limit) break;
      chosen.push(transfer);
      left -= transfer.heldBytes;
    }
    return chosen;
  }

  /** The error a victim fails with. */
  exceeded(transfer: Transfer): ProviderError {
    return providerError('protocol', {
      message:
        `the engine's memory budget of ${this.limit} bytes (engine option memoryBudget) was exceeded: ` +
        `${this.#total} bytes held by its transfers; this one held ${transfer.heldBytes} and was stopped to bound memory (the largest holders are stopped first)`,
      retryable: false,
      hint: 'Raise engine.memoryBudget, start fewer large requests at once, or pump (perform()) more often.',
    });
  }
}
