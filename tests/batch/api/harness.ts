/** Runs the Batch API lane on a generated cassette, on a VirtualClock, counting the requests it sends. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dispatcher } from 'undici';
import { runBatchApi, type BatchApiOptions, type BatchApiSummary } from '../../../src/batch/api/run.js';
import type { BatchFailure } from '../../../src/batch/errors.js';
import type { BatchManifest, BatchRecord } from '../../../src/batch/types.js';
import { VirtualClock } from '../../../src/http/clock.js';
import { HttpMulti } from '../../../src/http/multi.js';
import { parseCassette, type Exchange } from '../../../src/vcr/cassette.js';
import { ReplayDispatcher } from '../../../src/vcr/replay-dispatcher.js';
import type { Result } from 'neverthrow';
import { BATCH_CASSETTE_DIR } from './tools/make-batch-cassettes.js';
import { inputText, PROVIDER_OPTIONS, type ScenarioLine } from './scenarios.js';

export class CountingReplay extends ReplayDispatcher {
  readonly sent: string[] = [];
  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.sent.push(`${opts.method} ${opts.path}`);
    return super.dispatch(opts, handler);
  }
}

/** A generated cassette by name, or exchanges a test builds itself. */
export function replay(cassette: string | readonly Exchange[], clock: VirtualClock): CountingReplay {
  if (typeof cassette !== 'string') return new CountingReplay({ exchanges: cassette }, { clock, name: 'inline' });
  const text = readFileSync(join(BATCH_CASSETTE_DIR, `${cassette}.jsonl`), 'utf8');
  return new CountingReplay(parseCassette(text, cassette)._unsafeUnwrap(), { clock, name: cassette });
}

export interface LaneRun {
  readonly result: Result<BatchApiSummary, BatchFailure>;
  readonly records: BatchRecord[];
  readonly manifest: BatchManifest;
  readonly sent: readonly string[];
  readonly sleeps: readonly number[];
  readonly dispatcher: CountingReplay;
}

export interface RunSetup {
  readonly dir: string;
  readonly cassette: string | readonly Exchange[];
  /** The input text, instead of the lines'. */
  readonly inputText?: string;
  readonly lines: readonly ScenarioLine[];
  /** Abort after this many polling rounds (a process that stopped there). */
  readonly stopAfterRounds?: number;
  readonly options?: Partial<BatchApiOptions>;
  /** Engine retries (a VirtualClock nobody advances mid-request cannot run a backoff). */
  readonly maxRetries?: number;
}

export async function runLane(setup: RunSetup): Promise<LaneRun> {
  const input = join(setup.dir, 'in.jsonl');
  const output = join(setup.dir, 'out.jsonl');
  writeFileSync(input, setup.inputText ?? inputText(setup.lines));
  const clock = new VirtualClock(Date.parse('2026-12-01T00:00:00Z'));
  const dispatcher = replay(setup.cassette, clock);
  const multi = new HttpMulti({ dispatcher, clock, governor: false, breaker: false, ...(setup.maxRetries === undefined ? {} : { maxRetries: setup.maxRetries }) });
  const controller = new AbortController();
  const sleeps: number[] = [];
  const result = await runBatchApi({
    input,
    output,
    multi,
    providers: PROVIDER_OPTIONS,
    signal: controller.signal,
    sleep: async (ms) => {
      sleeps.push(ms);
      if (setup.stopAfterRounds !== undefined && sleeps.length >= setup.stopAfterRounds) controller.abort();
      clock.advance(ms);
    },
    ...setup.options,
  });
  await multi.close();
  const records = (existsSync(output) ? readFileSync(output, 'utf8') : '').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as BatchRecord);
  const manifestFile = `${output}.manifest.json`;
  const manifest = (existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : undefined) as BatchManifest;
  return { result, records, manifest, sent: dispatcher.sent, sleeps, dispatcher };
}

export function byId(records: readonly BatchRecord[]): Map<string, BatchRecord> {
  return new Map(records.map((record) => [record.id, record]));
}

/** The exchanges of a generated cassette, to build variations on (its create, then other polls). */
export function loadExchanges(name: string): Exchange[] {
  const text = readFileSync(join(BATCH_CASSETTE_DIR, `${name}.jsonl`), 'utf8');
  return [...parseCassette(text, name)._unsafeUnwrap().exchanges];
}
