// The output file: one BatchRecord a line, appended as requests finish.
//
// Durability contract: records are appended with one write(2) of whole lines. The runner
// writes group-commit style (`appendAllAsync`): one write at a time on the thread pool,
// carrying every record that finished since the previous one started, so a slow disk never
// stalls the engine and records are never reordered or interleaved. Once a write completes
// its records survive the process dying (SIGKILL, a crash): they are in the kernel's page
// cache; a kill loses at most the records of the write under way and those waiting for it,
// whose requests `--resume` sends again. Records survive the machine losing power once fsync
// has run, at most `fsyncIntervalMs` (default 1000 ms) after the write, on the injected
// clock, and on close. A crash can tear only the last line (a write cut short); `readOutput`
// drops such a tail and `recoverOutput` truncates it away.
import { close as closeAsync, closeSync, fsync, fsyncSync, ftruncateSync, openSync, write, writeSync } from 'node:fs';
import { err, ok, type Result } from 'neverthrow';
import type { Clock, TimerId } from '../http/clock.js';
import { batchFailure, ioFailure, type BatchFailure } from './errors.js';
import { isRecord } from './openai-line.js';
import { readText } from './read-text.js';
import type { BatchRecord } from './types.js';

export const DEFAULT_FSYNC_INTERVAL_MS = 1000;

export interface OutputWriterOptions {
  /** Upper bound on the time from a record's write to its fsync (default 1000 ms; 0: fsync every record). */
  readonly fsyncIntervalMs?: number;
  /** The clock of the fsync timer (the engine's, so tests run it virtually). */
  readonly clock: Clock;
}

/** A record as its output line. */
export function formatRecord(record: BatchRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** Appends records durably (see the file comment). One writer per output file. */
export class OutputWriter {
  readonly path: string;
  #fd: number | undefined;
  readonly #clock: Clock;
  readonly #intervalMs: number;
  #timer: TimerId | undefined;
  #unsynced = false;
  #written = 0;
  /** A periodic fsync is running on the thread pool; close() leaves the fd to its callback. */
  #backgroundSync = false;
  #closeAfterSync = false;

  private constructor(path: string, fd: number, options: OutputWriterOptions) {
    this.path = path;
    this.#fd = fd;
    this.#clock = options.clock;
    this.#intervalMs = Math.max(0, options.fsyncIntervalMs ?? DEFAULT_FSYNC_INTERVAL_MS);
  }

  /** Opens `path` for appending (creating it). The caller recovers a torn tail first (`recoverOutput`). */
  static open(path: string, options: OutputWriterOptions): Result<OutputWriter, BatchFailure> {
    try {
      return ok(new OutputWriter(path, openSync(path, 'a'), options));
    } catch (error) {
      return err(ioFailure('open', path, error));
    }
  }

  /** Records appended by this writer. */
  get written(): number {
    return this.#written;
  }

  append(record: BatchRecord): Result<void, BatchFailure> {
    return this.appendAll([record]);
  }

  /** Appends records with one write(2); all or (on an error) a torn tail that a resume drops. */
  appendAll(records: readonly BatchRecord[]): Result<void, BatchFailure> {
    const fd = this.#fd;
    if (records.length === 0) return ok(undefined);
    if (fd === undefined) return err(batchFailure('io', `${this.path} was closed; a record for ${JSON.stringify(records[0]?.id)} was not written`));
    try {
      let text = '';
      for (const record of records) text += formatRecord(record);
      const line = Buffer.from(text, 'utf8');
      let offset = 0;
      while (offset < line.length) offset += writeSync(fd, line, offset, line.length - offset);
    } catch (error) {
      return err(ioFailure('append to', this.path, error));
    }
    this.#written += records.length;
    this.#unsynced = true;
    if (this.#intervalMs === 0) return this.sync();
    this.#armSync();
    return ok(undefined);
  }

  /**
   * The periodic fsync runs off the event loop: on a busy disk a blocking one stalls every
   * transfer for its whole duration. A failure leaves the data unsynced, so the next
   * sync() or close() tries again and reports it.
   */
  #syncInBackground(): void {
    const fd = this.#fd;
    if (fd === undefined || !this.#unsynced || this.#backgroundSync) return;
    this.#backgroundSync = true;
    this.#unsynced = false;
    fsync(fd, (error) => {
      this.#backgroundSync = false;
      if (error !== null) this.#unsynced = true;
      if (this.#closeAfterSync) closeAsync(fd, () => undefined);
    });
  }

  /**
   * Appends records with one write on the thread pool; `done` runs when all their bytes are
   * in the file (or with the error). The caller starts the next only after `done`.
   */
  appendAllAsync(records: readonly BatchRecord[], done: (result: Result<void, BatchFailure>) => void): void {
    const fd = this.#fd;
    if (fd === undefined) return done(err(batchFailure('io', `${this.path} was closed; a record for ${JSON.stringify(records[0]?.id)} was not written`)));
    let text = '';
    for (const record of records) text += formatRecord(record);
    const bytes = Buffer.from(text, 'utf8');
    const from = (offset: number): void => {
      write(fd, bytes, offset, bytes.length - offset, null, (error, count) => {
        if (error !== null) return done(err(ioFailure('append to', this.path, error)));
        if (offset + count < bytes.length) return from(offset + count);
        this.#written += records.length;
        this.#unsynced = true;
        if (this.#intervalMs === 0) return done(this.sync());
        this.#armSync();
        done(ok(undefined));
      });
    };
    from(0);
  }

  #armSync(): void {
    if (this.#timer !== undefined) return;
    this.#timer = this.#clock.setTimer(this.#intervalMs, () => {
      this.#timer = undefined;
      this.#syncInBackground();
    });
  }

  /** fsyncs what was appended since the last fsync. */
  sync(): Result<void, BatchFailure> {
    if (this.#fd === undefined || !this.#unsynced) return ok(undefined);
    try {
      fsyncSync(this.#fd);
      this.#unsynced = false;
      return ok(undefined);
    } catch (error) {
      return err(ioFailure('fsync', this.path, error));
    }
  }

  /** fsyncs and closes; safe to call twice. */
  close(): Result<void, BatchFailure> {
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    const synced = this.sync();
    const fd = this.#fd;
    this.#fd = undefined;
    // Closing under a running fsync could hand its fd number to another file: its callback closes it.
    if (fd !== undefined && this.#backgroundSync) this.#closeAfterSync = true;
    else if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch (error) {
        return err(ioFailure('close', this.path, error));
      }
    }
    return synced;
  }
}

export interface OutputContents {
  readonly records: readonly BatchRecord[];
  /** Bytes of the file that hold whole records; a torn tail starts here. */
  readonly validBytes: number;
  /** Bytes of a torn last line (0 when the file ends cleanly). */
  readonly tornBytes: number;
}

/**
 * Parses an output text. The last line may be torn (no newline and not a record): it is
 * left out and measured. Any other line that is not a record is corruption, not a crash's
 * mark, and is an error naming the line.
 */
export function readOutput(text: string, path = 'the output'): Result<OutputContents, BatchFailure> {
  const records: BatchRecord[] = [];
  let start = 0;
  let line = 0;
  let validBytes = 0;
  // Carried forward line by line: measuring each prefix again made a resume quadratic in OUT's size.
  let offset = 0;
  while (start < text.length) {
    line++;
    const end = text.indexOf('\n', start);
    const row = end < 0 ? text.slice(start) : text.slice(start, end);
    const next = end < 0 ? text.length : end + 1;
    if (row.trim() !== '') {
      const record = parseRecord(row);
      if (record === undefined) {
        if (end < 0) break;
        return err(batchFailure('corrupt_output', `${path} line ${line} is not a batch record; remove or fix that line and run again`));
      }
      records.push(record);
    }
    // An unterminated but whole last record is kept; the writer adds the missing newline.
    offset += Buffer.byteLength(row, 'utf8') + (end < 0 ? 0 : 1);
    validBytes = offset;
    start = next;
  }
  const tornBytes = start < text.length ? Buffer.byteLength(text.slice(start), 'utf8') : 0;
  return ok({ records, validBytes, tornBytes });
}

function parseRecord(row: string): BatchRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(row);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || typeof value['id'] !== 'string' || typeof value['ok'] !== 'boolean') return undefined;
  if (value['key'] !== null && typeof value['key'] !== 'string') return undefined;
  return value as unknown as BatchRecord;
}

/**
 * Reads an existing output file for a resume and makes it appendable: a torn last line is
 * truncated away and a whole last record without its newline gets one. A missing file is an
 * empty output.
 */
export function recoverOutput(path: string): Result<OutputContents, BatchFailure> {
  const read = readText(path);
  if (read.isErr()) return err(read.error);
  if (read.value === undefined) return ok({ records: [], validBytes: 0, tornBytes: 0 });
  const buffer = read.value.bytes;
  const contents = readOutput(read.value.text, path);
  if (contents.isErr()) return contents;
  const { validBytes, tornBytes } = contents.value;
  const needsNewline = validBytes > 0 && buffer[validBytes - 1] !== 0x0a;
  if (tornBytes === 0 && !needsNewline) return contents;
  try {
    const fd = openSync(path, 'r+');
    try {
      ftruncateSync(fd, validBytes);
      if (needsNewline) writeSync(fd, '\n', validBytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return err(ioFailure('repair', path, error));
  }
  return contents;
}
