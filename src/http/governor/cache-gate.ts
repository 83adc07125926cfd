import type { Transfer } from '../transfer.js';

/** How long a prefix counts as written once its first request had headers (Anthropic's default TTL). */
const WARM_MS = 5 * 60_000;

interface Gate {
  readonly leader: Transfer;
  readonly held: Transfer[];
}

/**
 * Prompt-cache gating (opt-in): requests that share a cacheable prefix (the provider's
 * `cacheKey`: same provider, model, and leading system/tools/messages up to the last cache
 * breakpoint) wait until the first of them has its response headers, so N parallel requests
 * pay one cache write instead of N. After that the prefix is warm and nothing waits.
 */
export class CacheGate {
  readonly #gates = new Map<string, Gate>();
  readonly #warmUntil = new Map<string, number>();
  readonly #held = new Set<Transfer>();

  /** True when `transfer` may go on now; false when it waits for its prefix's first answer. */
  admit(transfer: Transfer, now: number): boolean {
    const key = transfer.ticket?.cacheKey;
    if (key === undefined || (this.#warmUntil.get(key) ?? 0) > now) return true;
    const gate = this.#gates.get(key);
    if (gate === undefined) {
      this.#gates.set(key, { leader: transfer, held: [] });
      return true;
    }
    gate.held.push(transfer);
    this.#held.add(transfer);
    return false;
  }

  /** The leader had its headers (`warm`), or ended without them: the transfers it held may go. */
  release(transfer: Transfer, warm: boolean, now: number): Transfer[] {
    const key = transfer.ticket?.cacheKey;
    if (key === undefined) return [];
    const gate = this.#gates.get(key);
    if (gate === undefined || gate.leader !== transfer) return [];
    this.#gates.delete(key);
    if (warm) this.#warmUntil.set(key, now + WARM_MS);
    const released = gate.held.filter((held) => this.#held.delete(held));
    return released;
  }

  /** A held transfer ended (cancelled, total deadline). */
  remove(transfer: Transfer): void {
    this.#held.delete(transfer);
  }
}
