/**
 * Who may go on the wire: at most `max` transfers hold a slot (connecting, receiving or
 * backing off); the rest wait in FIFO order. Only the phase function calls it, so a slot
 * is taken exactly when a transfer leaves `queued` for an attempt and given back exactly
 * when a transfer that held one reaches `done`.
 */
export class Admission<T> {
  readonly #max: number;
  #queue: T[] = [];
  #head = 0;
  #inFlight = 0;
  /** Set while cancelAll()/close() run, so freed slots do not start transfers about to be cancelled. */
  draining = false;

  constructor(max: number) {
    this.#max = Math.max(1, max);
  }

  hasRoom(): boolean {
    return this.#inFlight < this.#max;
  }

  enqueue(item: T): void {
    this.#queue.push(item);
  }

  /** A transfer leaves the queue (or skips it) for its first attempt. */
  take(): void {
    this.#inFlight++;
  }

  release(): void {
    this.#inFlight--;
  }

  /** A queued transfer that ends (cancelled, total deadline) leaves without ever holding a slot. */
  remove(item: T): void {
    const index = this.#queue.indexOf(item, this.#head);
    if (index >= 0) this.#queue.splice(index, 1);
  }

  /** The next queued transfer if a slot is free, removed from the queue. */
  next(): T | undefined {
    if (this.draining || !this.hasRoom() || this.#head >= this.#queue.length) return undefined;
    const item = this.#queue[this.#head++] as T;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}
