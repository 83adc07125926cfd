import { providerError, type ProviderError } from '../errors/category.js';
import { onTheWire, type Transfer } from './transfer.js';

/**
 * Bytes all transfers of one engine may hold at once: 256 MiB. That is four times the
 * largest non-streaming body one transfer may buffer (64 MiB), so no single request within
 * its own caps is refused, while a flood of them cannot take the process's memory.
 */
export const DEFAULT_MEMORY_BUDGET_BYTES = 256 * 1024 * 1024;

/**
 * The engine's books of the bytes its transfers hold, in two kinds: **backlog**, body chunks
 * queued for the next pump, and **kept**, what stays after a pump (an error body, a buffered
 * non-streaming body, an SSE partial line and event). It is the only writer of those books
 * (`Transfer.heldBytes`, `Transfer.backlogBytes` and the totals): everyone else tells it
 * what changed. Pausing bounds the backlog: an arrival that finds the engine over budget
 * pauses its socket until the pump hands the bytes on (a slow consumer is not punished).
 * Pausing cannot shrink what is kept, so when the kept bytes alone pass the budget the
 * largest keepers are the `victims()`.
 */
export class MemoryBudget {
  readonly limit: number;
  #total = 0;
  #backlog = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Bytes held by all transfers now. */
  get total(): number {
    return this.#total;
  }

  /** `bytes` arrived for `transfer`, queued (`backlog`) or kept at once (an error body). True when the engine is now over budget. */
  grow(transfer: Transfer, bytes: number, backlog: boolean): boolean {
    transfer.heldBytes += bytes;
    this.#total += bytes;
    if (backlog) {
      transfer.backlogBytes += bytes;
      this.#backlog += bytes;
    }
    return this.#total > this.limit;
  }

  /**
   * After a pump: the books learn what `transfer` holds now; returns the transfers to fail
   * (see victims()), usually none.
   */
  afterPump(transfer: Transfer, all: Iterable<Transfer>): Transfer[] {
    const attempt = transfer.attempt;
    if (attempt === undefined || !onTheWire(transfer.phase)) return [];
    const kept = attempt.errorBytes + (transfer.sink.heldBytes?.() ?? 0);
    this.#set(transfer, attempt.queuedBytes, kept);
    return this.#total - this.#backlog > this.limit ? this.victims(all) : [];
  }

  /** The transfer let go of everything (it left the wire). */
  release(transfer: Transfer): void {
    this.#set(transfer, 0, 0);
  }

  /** The largest keepers, enough of them that what stays kept fits the budget. */
  victims(transfers: Iterable<Transfer>): Transfer[] {
    const ranked: Transfer[] = [];
    for (const transfer of transfers) if (transfer.heldBytes > transfer.backlogBytes) ranked.push(transfer);
    ranked.sort((a, b) => b.heldBytes - b.backlogBytes - (a.heldBytes - a.backlogBytes));
    const chosen: Transfer[] = [];
    let kept = this.#total - this.#backlog;
    for (const transfer of ranked) {
      if (kept <= this.limit) break;
      chosen.push(transfer);
      kept -= transfer.heldBytes - transfer.backlogBytes;
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

  #set(transfer: Transfer, backlog: number, kept: number): void {
    this.#total += backlog + kept - transfer.heldBytes;
    this.#backlog += backlog - transfer.backlogBytes;
    transfer.heldBytes = backlog + kept;
    transfer.backlogBytes = backlog;
  }
}
