// `runBatch`: the live lane. One engine (HttpMulti, rate governor on), a window of at most
// `concurrency` requests handed to it at a time, one record appended per finished request.
//
// Stopping: the first `stop()` admits nothing more and lets what the engine holds finish
// (at most `concurrency` requests), writing each; the second cancels them. A cancelled
// request has no result, so it gets no record: `--resume` runs it again. Every record is
// written once, as its request completes, so nothing paid for is lost to a stop either.
import { priceUsage } from '../providers/pricing/index.js';
import { err, ok, type Result } from 'neverthrow';
import type { ProviderError } from '../errors/category.js';
import { RealClock, type Clock, type TimerId } from '../http/clock.js';
import { HttpMulti, type HttpMultiOptions } from '../http/multi.js';
import type { RetryInfo } from '../http/types.js';
import type { CommonAdapterOptions } from '../providers/definition.js';
import type { Provider } from '../providers/provider.js';
import { createProvider } from '../providers/registry.js';
import type { ChatResponse } from '../providers/types.js';
import { toWorkerOutcome } from '../providers/worker.js';
import { batchFailure, type BatchFailure } from './errors.js';
import type { InputEntry } from './input.js';
import { openJob, type JobOptions, type OpenedJob } from './job.js';
import { liveManifest, manifestPath, writeManifest } from './manifest.js';
import { OutputWriter } from './output.js';
import { ProgressModel, type ProgressSnapshot, type Tally } from './progress.js';
import { refusedRecord, resultRecord } from './record.js';
import { entryId } from './resume.js';
import type { BatchItem, BatchLane, BatchManifest, BatchRecord, PriceFn } from './types.js';

export const DEFAULT_CONCURRENCY = 64;
export const DEFAULT_CHECKPOINT_MS = 5000;

export interface RunBatchOptions extends JobOptions {
  /** `batch-api` is refused here: the providers' Batch API lane is runBatchApi (batch/api/run.ts). */
  readonly via?: BatchLane;
  /** Stream each request (idle timeouts then bound the gaps between chunks, not the whole answer). */
  readonly stream?: boolean;
  /** Requests handed to the engine at once (default 64); the governor paces them within it. */
  readonly concurrency?: number;
  /** Prices each answer; default: the bundled price table (`priceUsage`); an unknown model costs null. */
  readonly price?: PriceFn;
  /** The engine's options: dispatcher, clock, governor (on by default), retries, timeouts. */
  readonly engine?: HttpMultiOptions;
  /** Options per provider name (apiKey, baseURL, ...); keys come from the environment otherwise. */
  readonly providers?: Readonly<Record<string, CommonAdapterOptions>>;
  /** See output.ts (default 1000 ms). */
  readonly fsyncIntervalMs?: number;
  /** How often the manifest is rewritten while running (default 5000 ms, engine clock). */
  readonly checkpointMs?: number;
  /** Recorded in the manifest: the options that change results (the CLI's flags). */
  readonly manifestOptions?: BatchManifest['options'];
  /** Each record, after it is written. */
  readonly onRecord?: (record: BatchRecord) => void;
}

export type BatchOutcome = 'complete' | 'stopped' | 'cancelled' | 'failed';

export interface BatchSummary {
  readonly outcome: BatchOutcome;
  /** Set when the job stopped on a failure (`strict`, a missing key, a disk error); its records are written. */
  readonly failure?: BatchFailure;
  readonly output: string;
  readonly manifest: string;
  /** Records this run wrote. */
  readonly written: number;
  /** Entries with no record yet (a stop or cancel left them): `--resume` runs them. */
  readonly left: number;
  /** Records moved to the superseded file on resume. */
  readonly superseded: number;
  /** Bytes of a torn last line dropped on resume. */
  readonly tornBytes: number;
  readonly progress: ProgressSnapshot;
  readonly byModel: ReadonlyMap<string, Readonly<Tally>>;
  readonly byCategory: ReadonlyMap<string, number>;
}

export interface BatchRun {
  /** The engine (undefined when the job could not be opened). */
  readonly multi: HttpMulti | undefined;
  /** First call: admit nothing more; second: cancel in flight. Returns what it now does. */
  stop(): 'draining' | 'cancelling' | 'idle';
  progress(): ProgressSnapshot;
  readonly result: Promise<Result<BatchSummary, BatchFailure>>;
}


/** Runs a job to its end (or a failure). See startBatch to stop one or watch it. */
export function runBatch(options: RunBatchOptions): Promise<Result<BatchSummary, BatchFailure>> {
  return startBatch(options).result;
}

export function startBatch(options: RunBatchOptions): BatchRun {
  const failed = (failure: BatchFailure): BatchRun => {
    const model = new ProgressModel(0, 0);
    return { multi: undefined, stop: () => 'idle', progress: () => model.snapshot(0), result: Promise.resolve(err(failure)) };
  };
  if (options.via === 'batch-api') return failed(batchFailure('wrong_lane', 'runBatch is the live lane; the providers\' Batch APIs run through runBatchApi (llmux batch --via batch-api)'));
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    return failed(batchFailure('invalid_option', `concurrency must be a whole number of at least 1; got ${String(options.concurrency)}`));
  }
  const job = openJob(options);
  if (job.isErr()) return failed(job.error);
  const clock = options.engine?.clock ?? new RealClock();
  const writer = OutputWriter.open(options.output, { clock, fsyncIntervalMs: options.fsyncIntervalMs });
  if (writer.isErr()) return failed(writer.error);
  const runner = new Runner(options, job.value, writer.value, clock, concurrency);
  return { multi: runner.multi, stop: () => runner.stop(), progress: () => runner.progress(), result: runner.run() };
}

class Runner {
  readonly multi: HttpMulti;
  readonly #options: RunBatchOptions;
  readonly #job: OpenedJob;
  readonly #writer: OutputWriter;
  readonly #clock: Clock;
  readonly #concurrency: number;
  readonly #price: PriceFn;
  readonly #model: ProgressModel;
  readonly #providers = new Map<string, Provider>();
  readonly #attempts = new Map<number, number>();
  readonly #counts = { ok: 0, failed: 0, invalid: 0 };
  readonly #startedAt: string;
  #next = 0;
  #inFlight = 0;
  #stopping: 'no' | 'draining' | 'cancelling' = 'no';
  #failure: BatchFailure | undefined;
  #checkpoint: TimerId | undefined;
  /** Records finished and not yet handed to a write. */
  #pending: BatchRecord[] = [];
  /** The write under way, if any. */
  #writing: Promise<void> | undefined;

  constructor(options: RunBatchOptions, job: OpenedJob, writer: OutputWriter, clock: Clock, concurrency: number) {
    this.#options = options;
    this.#job = job;
    this.#writer = writer;
    this.#clock = clock;
    this.#concurrency = concurrency;
    this.#price = options.price ?? priceUsage;
    const engine = options.engine ?? {};
    this.multi = new HttpMulti({
      maxInFlight: concurrency,
      // A batch wants every request's own answer: a breaker's fast failures would only turn
      // into error records to retry later. A caller may still ask for one.
      breaker: false,
      ...engine,
      clock,
      onRetry: (info: RetryInfo) => {
        this.#attempts.set(info.handle.id, info.attempt);
        engine.onRetry?.(info);
      },
    });
    this.#model = new ProgressModel(job.entries.length, clock.now());
    const ids = new Set(job.entries.map(entryId));
    for (const record of job.kept) {
      if (!ids.has(record.id)) continue;
      this.#model.seed(record);
      this.#count(record);
    }
    this.#startedAt = this.#job.previous?.startedAt ?? new Date(clock.now()).toISOString();
  }

  stop(): 'draining' | 'cancelling' | 'idle' {
    if (this.#stopping === 'no') {
      this.#stopping = 'draining';
      return 'draining';
    }
    this.#stopping = 'cancelling';
    this.multi.cancelAll();
    return 'cancelling';
  }

  progress(): ProgressSnapshot {
    let queued = 0;
    for (const bucket of this.multi.limits()) queued += bucket.queued;
    this.#model.inFlight = this.#inFlight;
    this.#model.queuedForRate = queued;
    this.#model.waiting = this.#stopping === 'no' ? this.#job.todo.length - this.#next : 0;
    return this.#model.snapshot(this.#clock.now());
  }

  async run(): Promise<Result<BatchSummary, BatchFailure>> {
    // No callback (onRecord) runs inside startBatch itself: the caller holds its BatchRun first.
    await Promise.resolve();
    const first = this.#saveManifest(false);
    if (first.isErr()) this.#fail(first.error);
    this.#armCheckpoint();
    try {
      for (;;) {
        this.#admit();
        this.multi.perform();
        this.multi.infoRead();
        // Refill the window now, not after the next wake-up: completions freed slots.
        this.#admit();
        this.#flush();
        if (this.#inFlight === 0 && (this.#stopping !== 'no' || this.#next >= this.#job.todo.length)) break;
        await this.multi.wait(-1);
      }
      await this.#drainWrites();
    } finally {
      if (this.#checkpoint !== undefined) this.#clock.clearTimer(this.#checkpoint);
      await this.multi.close();
      for (const provider of this.#providers.values()) await provider.cleanup();
    }
    const closed = this.#writer.close();
    if (closed.isErr()) this.#fail(closed.error);
    const left = this.#job.entries.length - this.#counts.ok - this.#counts.failed - this.#counts.invalid;
    const saved = this.#saveManifest(left === 0);
    if (saved.isErr()) this.#fail(saved.error);
    const outcome: BatchOutcome = this.#failure !== undefined ? 'failed' : left === 0 ? 'complete' : this.#stopping === 'cancelling' ? 'cancelled' : 'stopped';
    return ok({
      outcome,
      ...(this.#failure === undefined ? {} : { failure: this.#failure }),
      output: this.#options.output,
      manifest: manifestPath(this.#options.output),
      written: this.#writer.written,
      left,
      superseded: this.#job.superseded,
      tornBytes: this.#job.tornBytes,
      progress: this.progress(),
      byModel: this.#model.byModel,
      byCategory: this.#model.byCategory,
    });
  }

  #admit(): void {
    const todo = this.#job.todo;
    while (this.#stopping === 'no' && this.#inFlight < this.#concurrency && this.#next < todo.length) {
      const entry = todo[this.#next++] as InputEntry;
      if (entry.kind === 'invalid') this.#write(entry.record);
      else this.#start(entry.item);
    }
  }

  #start(item: BatchItem): void {
    const provider = this.#provider(item.provider);
    const startedAtMs = this.#clock.now();
    let id = -1;
    const onComplete = (result: Result<ChatResponse, ProviderError>): void => {
      this.#inFlight--;
      const attempts = this.#attempts.get(id) ?? 1;
      this.#attempts.delete(id);
      // A cancelled request has no result: no record, so a resume sends it again.
      if (result.isErr() && result.error.category === 'cancelled') return;
      const timing = { startedAtMs, finishedAtMs: this.#clock.now(), attempts };
      this.#write(resultRecord(item, toWorkerOutcome(result), timing, this.#price));
    };
    const started = this.#options.stream === true ? provider.startStream(item.request, () => undefined, onComplete) : provider.startRequest(item.request, onComplete);
    if (started.isOk()) {
      id = started.value.id;
      this.#inFlight++;
      return;
    }
    const error = started.error;
    if (error.category === 'auth') {
      // A missing key fails every request of the provider alike: one message, not a file of them.
      this.#fail(batchFailure('auth', `${item.provider}: ${error.message}`));
      return;
    }
    if (error.category === 'invalid_arg') {
      this.#write(refusedRecord(item, error.message));
      if (this.#options.strict === true) this.#fail(batchFailure('strict', `${this.#options.input}: line ${item.line}: ${error.message} (--strict stops at the first invalid request)`, [item.id]));
      return;
    }
    this.#write(resultRecord(item, toWorkerOutcome(err(error)), { startedAtMs, finishedAtMs: startedAtMs, attempts: 0 }, this.#price));
  }

  #provider(name: string): Provider {
    let provider = this.#providers.get(name);
    if (provider === undefined) {
      // The input parser accepted only registered names, so creation cannot fail here.
      provider = createProvider(name, { ...this.#options.providers?.[name], multi: this.multi })._unsafeUnwrap();
      this.#providers.set(name, provider);
    }
    return provider;
  }

  #write(record: BatchRecord): void {
    this.#pending.push(record);
  }

  /**
   * Group commit (see output.ts): one write at a time, carrying every record finished since
   * the previous one started; the records are counted and reported once they are written.
   */
  #flush(): void {
    if (this.#writing !== undefined || this.#pending.length === 0) return;
    const records = this.#pending;
    this.#pending = [];
    this.#writing = new Promise<void>((resolve) => {
      this.#writer.appendAllAsync(records, (written) => {
        this.#writing = undefined;
        if (written.isErr()) {
          // Nothing more can be saved: stop sending and cancel what would be lost anyway.
          this.#fail(written.error);
          this.#stopping = 'cancelling';
          this.multi.cancelAll();
        } else {
          for (const record of records) {
            this.#model.add(record);
            this.#count(record);
            this.#options.onRecord?.(record);
          }
          this.#flush();
        }
        resolve();
      });
    });
  }

  /** Resolves once every record handed to #write is written (or writing failed). */
  async #drainWrites(): Promise<void> {
    while (this.#writing !== undefined) await this.#writing;
    if (this.#pending.length > 0 && this.#failure?.kind !== 'io') {
      this.#flush();
      await this.#drainWrites();
    }
  }

  #count(record: BatchRecord): void {
    if (record.ok) this.#counts.ok++;
    else if (record.error?.category === 'invalid_input') this.#counts.invalid++;
    else this.#counts.failed++;
  }

  #fail(failure: BatchFailure): void {
    this.#failure ??= failure;
    if (this.#stopping === 'no') this.#stopping = 'draining';
  }

  #armCheckpoint(): void {
    const interval = this.#options.checkpointMs ?? DEFAULT_CHECKPOINT_MS;
    if (interval <= 0) return;
    this.#checkpoint = this.#clock.setTimer(interval, () => {
      this.#checkpoint = undefined;
      const saved = this.#saveManifest(false);
      if (saved.isErr()) this.#fail(saved.error);
      else this.#armCheckpoint();
    });
  }

  #saveManifest(complete: boolean): Result<void, BatchFailure> {
    const manifest = liveManifest(this.#options, this.#job, { ...this.#counts }, this.#startedAt, this.#clock.now(), complete);
    return writeManifest(manifestPath(this.#options.output), manifest);
  }
}
