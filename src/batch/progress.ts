// The progress model of a job: counters the runner feeds and views (the status line, the
// plain lines, the summary table) read. Pure: no clock of its own, no I/O; the time comes in
// with each call, so a test drives it with plain numbers.
import type { BatchRecord } from './types.js';

/** Totals of a group of records (the whole job, one model, one error category). */
export interface Tally {
  ok: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  /** Sum of the known costs, US dollars. */
  cost: number;
  /** Records whose cost is unknown (an unpriced model): the cost above is then a lower bound. */
  costUnknown: number;
}

/** What the views show at one moment. */
export interface ProgressSnapshot {
  /** Entries of the job (this shard's), those skipped on resume included. */
  readonly total: number;
  /** Had a record before this run started (`--resume`). */
  readonly skipped: number;
  readonly ok: number;
  /** Failed requests and invalid lines, this run and before. */
  readonly failed: number;
  readonly inFlight: number;
  /** Of those in flight, how many the rate governor holds back. */
  readonly queuedForRate: number;
  /** Not yet handed to the engine. */
  readonly waiting: number;
  /** Records written by this run per second, since it started. */
  readonly perSecond: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cost: number;
  readonly costUnknown: number;
  /** Ms until every entry has a record at the current rate; null before the first result. */
  readonly etaMs: number | null;
  readonly elapsedMs: number;
}

export function emptyTally(): Tally {
  return { ok: 0, failed: 0, inputTokens: 0, outputTokens: 0, cost: 0, costUnknown: 0 };
}

function addTo(tally: Tally, record: BatchRecord): void {
  if (record.ok) tally.ok++;
  else tally.failed++;
  tally.inputTokens += record.usage?.input ?? 0;
  tally.outputTokens += record.usage?.output ?? 0;
  // A failure is not billed (record.ts); only an answer without a price leaves the total unknown.
  if (record.cost !== null) tally.cost += record.cost;
  else if (record.ok) tally.costUnknown++;
}

export class ProgressModel {
  readonly total: number;
  readonly #startedAt: number;
  readonly whole: Tally = emptyTally();
  /** Per model (`provider/model`); input errors are under `(invalid input)`. */
  readonly byModel = new Map<string, Tally>();
  /** Failures per error category. */
  readonly byCategory = new Map<string, number>();
  skipped = 0;
  /** Records this run wrote. */
  written = 0;
  inFlight = 0;
  queuedForRate = 0;
  waiting = 0;

  constructor(total: number, startedAt: number) {
    this.total = total;
    this.#startedAt = startedAt;
  }

  /** A record that was already in the output (resume): in the totals, not in the rate. */
  seed(record: BatchRecord): void {
    this.skipped++;
    this.#count(record);
  }

  /** A record this run wrote. */
  add(record: BatchRecord): void {
    this.written++;
    this.#count(record);
  }

  #count(record: BatchRecord): void {
    addTo(this.whole, record);
    const model = record.key === null ? '(invalid input)' : `${record.provider ?? '?'}/${record.model ?? '?'}`;
    let tally = this.byModel.get(model);
    if (tally === undefined) this.byModel.set(model, (tally = emptyTally()));
    addTo(tally, record);
    if (!record.ok) {
      const category = record.error?.category ?? 'unknown';
      this.byCategory.set(category, (this.byCategory.get(category) ?? 0) + 1);
    }
  }

  snapshot(now: number): ProgressSnapshot {
    const elapsedMs = Math.max(0, now - this.#startedAt);
    const perSecond = elapsedMs > 0 ? (this.written * 1000) / elapsedMs : 0;
    const left = Math.max(0, this.total - this.whole.ok - this.whole.failed);
    return {
      total: this.total,
      skipped: this.skipped,
      ok: this.whole.ok,
      failed: this.whole.failed,
      inFlight: this.inFlight,
      queuedForRate: this.queuedForRate,
      waiting: this.waiting,
      perSecond,
      inputTokens: this.whole.inputTokens,
      outputTokens: this.whole.outputTokens,
      cost: this.whole.cost,
      costUnknown: this.whole.costUnknown,
      etaMs: left === 0 ? 0 : perSecond > 0 ? Math.round((left / perSecond) * 1000) : null,
      elapsedMs,
    };
  }
}
