// The lane's durable state: the output file (records) and the manifest (submitted batches).
// Order of writes is what makes a restart safe: a batch id goes into the manifest as soon as
// the provider accepts the batch; a batch is marked collected only after its records are
// written and synced; a record already in the output is never written again.
import { err, ok, type Result } from 'neverthrow';
import type { BatchFailure } from '../errors.js';
import { writeManifest } from '../manifest.js';
import type { OutputWriter } from '../output.js';
import type { BatchManifest, BatchRecord, SubmittedBatch } from '../types.js';

export interface JobIdentity {
  readonly inputPath: string;
  readonly sha256: string;
  readonly lines: number;
  readonly output: string;
  readonly manifestPath: string;
  readonly options: BatchManifest['options'];
  readonly startedAt: string;
}

export class LaneState {
  readonly #identity: JobIdentity;
  readonly #writer: OutputWriter;
  readonly #wanted: ReadonlySet<string>;
  readonly #done = new Set<string>();
  readonly #counts = { ok: 0, failed: 0, invalid: 0 };
  #batches: SubmittedBatch[];
  readonly #now: () => number;

  constructor(identity: JobIdentity, writer: OutputWriter, wanted: ReadonlySet<string>, kept: readonly BatchRecord[], batches: readonly SubmittedBatch[], now: () => number) {
    this.#identity = identity;
    this.#writer = writer;
    this.#wanted = wanted;
    this.#batches = [...batches];
    this.#now = now;
    for (const record of kept) if (wanted.has(record.id)) this.#count(record);
  }

  get batches(): readonly SubmittedBatch[] {
    return this.#batches;
  }

  get counts(): { readonly ok: number; readonly failed: number; readonly invalid: number } {
    return { ...this.#counts };
  }

  has(id: string): boolean {
    return this.#done.has(id);
  }

  /** Appends a record unless its id already has one (a batch collected twice after a crash). */
  write(record: BatchRecord): Result<boolean, BatchFailure> {
    if (this.#done.has(record.id)) return ok(false);
    const appended = this.#writer.append(record);
    if (appended.isErr()) return err(appended.error);
    this.#count(record);
    return ok(true);
  }

  sync(): Result<void, BatchFailure> {
    return this.#writer.sync();
  }

  /** Adds or replaces (by batch id) a batch and checkpoints the manifest. */
  saveBatch(batch: SubmittedBatch): Result<void, BatchFailure> {
    const index = this.#batches.findIndex((known) => known.batchId === batch.batchId);
    if (index < 0) this.#batches.push(batch);
    else this.#batches[index] = batch;
    return this.checkpoint();
  }

  checkpoint(): Result<void, BatchFailure> {
    const manifest: BatchManifest = {
      version: 1,
      input: { path: this.#identity.inputPath, sha256: this.#identity.sha256, lines: this.#identity.lines },
      output: this.#identity.output,
      lane: 'batch-api',
      options: this.#identity.options,
      counts: this.counts,
      batches: this.#batches,
      startedAt: this.#identity.startedAt,
      updatedAt: new Date(this.#now()).toISOString(),
      complete: [...this.#wanted].every((id) => this.#done.has(id)),
    };
    return writeManifest(this.#identity.manifestPath, manifest);
  }

  #count(record: BatchRecord): void {
    this.#done.add(record.id);
    if (record.ok) this.#counts.ok++;
    else if (record.error?.category === 'invalid_input') this.#counts.invalid++;
    else this.#counts.failed++;
  }
}
