/**
 * Several processes (or machines) sharing one provider account's limits through Redis.
 *
 * The governor asks its LeaseSource synchronously inside the pump, so this source answers
 * from a local stock of leases and refills it between pumps (`await source.refill()` in the
 * host loop). Each (bucket, dimension, window) is one Redis counter; a Lua script grants at
 * most what is left under the limit, increments and sets the expiry in one atomic step, so
 * counts never exceed the limit however many processes ask, and keys vanish after their window.
 */
import { createHash } from 'node:crypto';
import type { Dimension, LeaseSource } from '../src/index.js';

/** The part of a Redis client this source uses (ioredis and node-redis both have an eval). */
export interface RedisLike {
  eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown>;
}

export interface RedisLeaseOptions {
  /** The clock the engine runs on (a VirtualClock in tests). */
  readonly now: () => number;
  /** The account's window length (60 s for per-minute limits). */
  readonly windowMs?: number;
  readonly prefix?: string;
  /** Leases fetched at a time, as a fraction of the limit (default 1/20), so one process does not hoard a window. */
  readonly chunkFraction?: number;
}

const GRANT = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[4]) > 0 then used = redis.call('INCRBY', KEYS[1], ARGV[4]) end
local grant = math.min(tonumber(ARGV[1]), tonumber(ARGV[2]) - used)
if grant < 0 then grant = 0 end
if grant > 0 then redis.call('INCRBY', KEYS[1], grant) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return grant
`;

interface Stock {
  readonly name: string;
  limit: number | undefined;
  window: number;
  stock: number;
  /** Units asked for since the last refill and refused. */
  wanted: number;
  /** Units sent before any limit was known (slow start), still to be counted in Redis. */
  unleased: number;
}

export class RedisLeaseSource implements LeaseSource {
  readonly #redis: RedisLike;
  readonly #now: () => number;
  readonly #windowMs: number;
  readonly #prefix: string;
  readonly #chunk: number;
  readonly #stocks = new Map<string, Stock>();

  constructor(redis: RedisLike, options: RedisLeaseOptions) {
    this.#redis = redis;
    this.#now = options.now;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#prefix = options.prefix ?? 'llmux:lease';
    this.#chunk = options.chunkFraction ?? 1 / 20;
  }

  take(key: string, dimension: Dimension, amount: number): boolean {
    const stock = this.#stock(key, dimension);
    // Nothing learned yet: the bucket's own slow start decides, and the next refill counts it.
    if (stock.limit === undefined) {
      stock.unleased += amount;
      return true;
    }
    this.#roll(stock);
    if (stock.stock >= amount) {
      stock.stock -= amount;
      return true;
    }
    stock.wanted += amount;
    return false;
  }

  give(key: string, dimension: Dimension, amount: number): void {
    const stock = this.#stock(key, dimension);
    if (stock.limit !== undefined) stock.stock += amount;
  }

  learn(key: string, dimension: Dimension, limit: number): void {
    this.#stock(key, dimension).limit = limit;
  }

  /** Between pumps: fetch leases for every stock that ran short. */
  async refill(): Promise<void> {
    const asks: Array<Promise<void>> = [];
    for (const stock of this.#stocks.values()) {
      if (stock.limit === undefined) continue;
      this.#roll(stock);
      if (stock.wanted === 0 && stock.unleased === 0) continue;
      const want = stock.wanted === 0 ? 0 : Math.max(stock.wanted, Math.ceil(stock.limit * this.#chunk));
      const unleased = stock.unleased;
      stock.wanted = 0;
      stock.unleased = 0;
      asks.push(this.#grant(stock, want, stock.limit, unleased));
    }
    await Promise.all(asks);
  }

  async #grant(stock: Stock, want: number, limit: number, unleased: number): Promise<void> {
    const window = stock.window;
    const granted = Number(await this.#redis.eval(GRANT, 1, `${stock.name}:${window}`, want, limit, this.#windowMs * 2, unleased));
    // A window that ended while we asked: its leases are worth nothing now.
    if (stock.window === window) stock.stock += granted;
  }

  #stock(key: string, dimension: Dimension): Stock {
    const name = `${key}\u0000${dimension}`;
    let stock = this.#stocks.get(name);
    if (stock === undefined) {
      const hashed = createHash('sha256').update(key).digest('hex').slice(0, 16);
      stock = { name: `${this.#prefix}:${hashed}:${dimension}`, limit: undefined, window: this.#windowOf(), stock: 0, wanted: 0, unleased: 0 };
      this.#stocks.set(name, stock);
    }
    return stock;
  }

  #roll(stock: Stock): void {
    const window = this.#windowOf();
    if (window === stock.window) return;
    stock.window = window;
    stock.stock = 0;
  }

  #windowOf(): number {
    return Math.floor(this.#now() / this.#windowMs);
  }
}
