/**
 * A binary min-heap of deadlines with lazy deletion: cancelling an entry only marks it
 * stale (the caller's `isLive` says so), and stale entries are dropped when they surface
 * or when they outnumber the live ones. Pushing and popping are O(log n), so timeout()
 * and the overdue check in perform() stay cheap with thousands of transfers.
 */
export interface Deadline {
  readonly at: number;
}

export class DeadlineHeap<T extends Deadline> {
  #items: T[] = [];
  readonly #isLive: (item: T) => boolean;

  constructor(isLive: (item: T) => boolean) {
    this.#isLive = isLive;
  }

  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((items[parent] as T).at <= item.at) break;
      items[i] = items[parent] as T;
      i = parent;
    }
    items[i] = item;
  }

  /** The earliest live entry, dropping stale ones on the way; undefined when none. */
  peek(): T | undefined {
    for (;;) {
      const top = this.#items[0];
      if (top === undefined || this.#isLive(top)) return top;
      this.#pop();
    }
  }

  /** Removes and returns the earliest live entry due at or before `now`. */
  popDue(now: number): T | undefined {
    const top = this.peek();
    if (top === undefined || top.at > now) return undefined;
    this.#pop();
    return top;
  }

  /** Drops stale entries when they dominate, so finished work cannot pile up. */
  compact(liveCount: number): void {
    if (this.#items.length <= 1024 || this.#items.length <= 2 * liveCount) return;
    const live = this.#items.filter(this.#isLive);
    this.#items = [];
    for (const item of live) this.push(item);
  }

  clear(): void {
    this.#items = [];
  }

  #pop(): void {
    const items = this.#items;
    const last = items.pop();
    if (last === undefined || items.length === 0) return;
    let i = 0;
    const n = items.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && (items[right] as T).at < (items[left] as T).at ? right : left;
      if ((items[child] as T).at >= last.at) break;
      items[i] = items[child] as T;
      i = child;
    }
    items[i] = last;
  }
}
