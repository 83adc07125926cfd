// runBatchApi: a JSONL job through the providers' own Batch APIs, writing the same records as
// the live lane. A run submits what no batch holds yet, then polls every uncollected batch on
// the engine clock with backoff until all are collected (or the signal stops it). The
// manifest lists the submitted batches, so a restarted run polls them instead of submitting
// again; `cancel` asks the providers to stop them and collects what they finished.
import { readFileSync } from 'node:fs';
import { err, ok, type Result } from 'neverthrow';
import { HttpMulti } from '../../http/multi.js';
import type { CommonAdapterOptions } from '../../providers/registry.js';
import { priceUsage } from '../../providers/pricing/table.js';
import { compactOutput } from '../compact.js';
import { batchFailure, ioFailure, type BatchFailure } from '../errors.js';
import { parseInput, type InputDefaults, type InputEntry } from '../input.js';
import { manifestPath, readManifest, sha256 } from '../manifest.js';
import { OutputWriter, recoverOutput } from '../output.js';
import { entryId, planResume } from '../resume.js';
import type { BatchRecord, PriceFn, SubmittedBatch } from '../types.js';
import { pollOnce, protocolContext, type CollectContext } from './collect.js';
import { Lanes, prepareItem } from './prepare.js';
import { errorRecord } from './records.js';
import { LaneState } from './state.js';
import { submitAll } from './submit.js';
import type { BatchLimits, PreparedItem } from './types.js';

export interface PollSchedule {
  /** First wait between polling rounds (default 10 s). */
  readonly initialMs?: number;
  /** Longest wait (default 5 min). */
  readonly maxMs?: number;
  /** Growth per round (default 2). */
  readonly factor?: number;
}

export interface BatchApiOptions {
  readonly input: string;
  readonly output: string;
  /** The engine the lane's HTTP goes through (its clock times the polls); default a new one, closed at the end. */
  readonly multi?: HttpMulti;
  readonly defaults?: InputDefaults;
  /** Adapter options per provider name (key, base URL), as createProvider takes them. */
  readonly providers?: Readonly<Record<string, CommonAdapterOptions>>;
  /** Default: the bundled price table at batch rates. */
  readonly price?: PriceFn;
  readonly poll?: PollSchedule;
  /** Waits between polling rounds; default a timer on the engine clock. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Cancel the submitted batches (submit nothing new), then collect what they finished. */
  readonly cancel?: boolean;
  /** Per-provider limits below the providers' own (tests, or a smaller blast radius). */
  readonly limits?: Readonly<Record<string, BatchLimits>>;
  readonly retryErrors?: boolean;
  /** Stops polling (batches stay submitted; a restart resumes them). */
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  readonly fsyncIntervalMs?: number;
}

export interface BatchApiSummary {
  /** Batches this run created. */
  readonly submitted: number;
  /** Uncollected batches from an earlier run that this run polled. */
  readonly resumed: number;
  /** Batches still uncollected when the run returned (the signal stopped it). */
  readonly pending: number;
  readonly counts: { readonly ok: number; readonly failed: number; readonly invalid: number };
  readonly batches: readonly SubmittedBatch[];
  /** Every input id has a record. */
  readonly complete: boolean;
}

export async function runBatchApi(options: BatchApiOptions): Promise<Result<BatchApiSummary, BatchFailure>> {
  const multi = options.multi ?? new HttpMulti();
  try {
    return await runOn(multi, options);
  } finally {
    if (options.multi === undefined) await multi.close();
  }
}

async function runOn(multi: HttpMulti, options: BatchApiOptions): Promise<Result<BatchApiSummary, BatchFailure>> {
  let text: string;
  try {
    text = readFileSync(options.input, 'utf8');
  } catch (error) {
    return err(ioFailure('read', options.input, error));
  }
  const parsed = parseInput(text, options.defaults);
  if (parsed.isErr()) return err(parsed.error);
  const entries = parsed.value.entries;
  const recovered = recoverOutput(options.output);
  if (recovered.isErr()) return err(recovered.error);
  const plan = planResume(entries, recovered.value.records, { retryErrors: options.retryErrors ?? false });
  if (plan.superseded.length > 0) {
    const compacted = compactOutput(options.output, plan.keep, plan.superseded);
    if (compacted.isErr()) return err(compacted.error);
  }
  const digest = sha256(text);
  const path = manifestPath(options.output);
  const manifest = readManifest(path);
  if (manifest.isErr()) return err(manifest.error);
  const earlier = manifest.value?.lane === 'batch-api' ? manifest.value.batches : [];
  const open = earlier.filter((batch) => !batch.collected);
  if (open.length > 0 && manifest.value?.input.sha256 !== digest) {
    return err(batchFailure('invalid_option', `${path} lists ${open.length} submitted batch(es) of another input; restore that input, or cancel them (--cancel with it) first`));
  }
  const writer = OutputWriter.open(options.output, { clock: multi.clock, ...(options.fsyncIntervalMs === undefined ? {} : { fsyncIntervalMs: options.fsyncIntervalMs }) });
  if (writer.isErr()) return err(writer.error);
  const now = (): number => multi.clock.now();
  const identity = {
    inputPath: options.input,
    sha256: digest,
    lines: parsed.value.lines,
    output: options.output,
    manifestPath: path,
    options: { lane: 'batch-api', provider: options.defaults?.provider ?? null, model: options.defaults?.model ?? null },
    startedAt: manifest.value?.startedAt ?? new Date(now()).toISOString(),
  };
  const state = new LaneState(identity, writer.value, new Set(entries.map(entryId)), plan.keep, earlier, now);
  try {
    return await drive(multi, options, state, entries.filter((entry) => !plan.done.has(entryId(entry))), open.length);
  } finally {
    writer.value.close();
  }
}

async function drive(
  multi: HttpMulti,
  options: BatchApiOptions,
  state: LaneState,
  todo: readonly InputEntry[],
  resumed: number,
): Promise<Result<BatchApiSummary, BatchFailure>> {
  const lanes = new Lanes(options.providers);
  const prepared = new Map<string, PreparedItem>();
  const held = new Set(state.batches.filter((batch) => !batch.collected).flatMap((batch) => batch.ids));
  const context: CollectContext = { multi, lanes, state, prepared, price: options.price ?? priceUsage, log: options.log ?? (() => undefined) };
  const fresh: PreparedItem[] = [];
  const instant = { startedAtMs: multi.clock.now(), endedAtMs: multi.clock.now() };
  for (const entry of todo) {
    if (entry.kind === 'invalid') {
      const written = state.write({ ...entry.record, lane: 'batch-api' } satisfies BatchRecord);
      if (written.isErr()) return err(written.error);
      continue;
    }
    const item = prepareItem(lanes, entry.item);
    // No key: every request to the provider would fail alike, so the job stops (as the live lane does).
    if (item.isErr() && item.error.category === 'auth') return err(batchFailure('auth', `${entry.item.provider}: ${item.error.message}`));
    if (item.isErr()) {
      // A request held by a submitted batch must be readable to collect it; a new one just fails.
      if (held.has(entry.item.id)) return err(batchFailure('batch_api', `line ${entry.item.line}: ${item.error.message}`));
      const written = state.write(errorRecord(entry.item, item.error, instant));
      if (written.isErr()) return err(written.error);
      continue;
    }
    prepared.set(entry.item.id, item.value);
    if (!held.has(entry.item.id)) fresh.push(item.value);
  }
  let submitted = 0;
  if (options.cancel === true) {
    const cancelled = await cancelOpen(context);
    if (cancelled.isErr()) return err(cancelled.error);
  } else {
    const made = await submitAll(context, fresh, options.limits ?? {});
    if (made.isErr()) return err(made.error);
    submitted = made.value;
  }
  const checkpoint = state.checkpoint();
  if (checkpoint.isErr()) return err(checkpoint.error);
  const polled = await pollUntilCollected(context, options);
  if (polled.isErr()) return err(polled.error);
  const last = state.checkpoint();
  if (last.isErr()) return err(last.error);
  const pending = state.batches.filter((batch) => !batch.collected).length;
  const counts = state.counts;
  return ok({ submitted, resumed, pending, counts, batches: state.batches, complete: todo.every((entry) => state.has(entryId(entry))) });
}

async function cancelOpen(context: CollectContext): Promise<Result<void, BatchFailure>> {
  for (const batch of context.state.batches.filter((known) => !known.collected)) {
    const resolved = protocolContext(context, batch.provider);
    if (resolved.isErr()) return err(resolved.error);
    const cancelled = await resolved.value.protocol.cancel(resolved.value, batch);
    if (cancelled.isErr()) {
      context.log(`${batch.provider} batch ${batch.batchId}: cancel failed (${cancelled.error.category}): ${cancelled.error.message}`);
      continue;
    }
    context.log(`${batch.provider} batch ${batch.batchId}: ${cancelled.value}`);
    const saved = context.state.saveBatch({ ...batch, status: cancelled.value });
    if (saved.isErr()) return err(saved.error);
  }
  return ok(undefined);
}

async function pollUntilCollected(context: CollectContext, options: BatchApiOptions): Promise<Result<void, BatchFailure>> {
  const schedule = { initialMs: 10_000, maxMs: 300_000, factor: 2, ...options.poll };
  const sleep = options.sleep ?? ((ms: number) => engineSleep(context.multi, ms, options.signal));
  let delay = schedule.initialMs;
  for (;;) {
    if (options.signal?.aborted === true) return ok(undefined);
    for (const batch of context.state.batches.filter((known) => !known.collected)) {
      const polled = await pollOnce(context, batch);
      if (polled.isErr()) return err(polled.error);
    }
    if (context.state.batches.every((batch) => batch.collected)) return ok(undefined);
    await sleep(delay);
    delay = Math.min(schedule.maxMs, delay * schedule.factor);
  }
}

/** A wait on the engine's clock (virtual in tests) that the signal cuts short. */
function engineSleep(multi: HttpMulti, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      multi.clock.clearTimer(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = multi.clock.setTimer(ms, done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
