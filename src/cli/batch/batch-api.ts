/**
 * `llmux batch --via batch-api`: the job through the providers' Batch APIs. Progress is a
 * line per batch event on stderr (the wait is hours, not seconds); Ctrl+C stops polling and
 * leaves the batches submitted, so the same command later resumes polling them; `--cancel`
 * asks the providers to stop them and collects what they finished.
 */
import type { CassetteUse } from '../cassette.js';
import { runBatchApi } from '../../batch/api/run.js';
import type { PriceFn } from '../../batch/types.js';
import { HttpMulti } from '../../http/multi.js';
import type { CommonAdapterOptions } from '../../providers/definition.js';
import { formatCost } from '../../providers/pricing/rates.js';
import { readOutput } from '../../batch/output.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { BatchRunOptions } from './args.js';
import { readFileSync } from 'node:fs';

export interface BatchApiWiring {
  readonly providers: Readonly<Record<string, CommonAdapterOptions>>;
  readonly price: PriceFn;
  readonly cassette: CassetteUse | undefined;
}

export async function runViaBatchApi(options: BatchRunOptions, io: CliIo, wiring: BatchApiWiring): Promise<number> {
  const multi = new HttpMulti({
    ...(wiring.cassette === undefined ? {} : { dispatcher: wiring.cassette.dispatcher }),
    ...(wiring.cassette?.clock === undefined ? {} : { clock: wiring.cassette.clock }),
    // A replay at instant pace jumps its clock to the next deadline each loop turn, and a
    // replayed exchange's first callback is an immediate, not a timer: a request added from a
    // completion (every call after the first) would meet its own connect deadline first.
    // A replay has no network to time out, so its phases get none.
    ...(wiring.cassette === undefined ? {} : { timeouts: { connectMs: 0, headersMs: 0, idleMs: 0 } }),
    governor: false,
    breaker: false,
    onRetry: (info) => io.stderr.write(`retry: attempt ${info.attempt} of ${new URL(info.url).pathname} in ${info.delayMs} ms after ${info.error.category}: ${info.error.message}\n`),
  });
  const controller = new AbortController();
  const stopListening = io.onSigint(() => {
    io.stderr.write('llmux: stopping; the batches stay submitted and the same command resumes polling them\n');
    controller.abort();
  });
  const result = await runBatchApi({
    input: options.input,
    output: options.output,
    multi,
    defaults: { ...(options.provider === undefined ? {} : { provider: options.provider }), ...(options.model === undefined ? {} : { model: options.model }) },
    providers: wiring.providers,
    price: wiring.price,
    cancel: options.cancel,
    retryErrors: options.retryErrors,
    signal: controller.signal,
    log: (line) => io.stderr.write(`${line}\n`),
  });
  stopListening();
  await multi.close();
  await wiring.cassette?.finish();
  if (result.isErr()) {
    io.stderr.write(`llmux: ${result.error.message}\n`);
    return result.error.kind === 'io' ? EXIT.unknown : result.error.kind === 'auth' ? EXIT.auth : EXIT.usage;
  }
  const summary = result.value;
  const { ok, failed, invalid } = summary.counts;
  io.stderr.write(`batches: ${summary.submitted} submitted, ${summary.resumed} resumed, ${summary.pending} still running\n`);
  io.stderr.write(`records: ${ok} ok, ${failed} failed, ${invalid} invalid; cost ${costOf(options.output)}\n`);
  if (summary.complete) return EXIT.ok;
  io.stderr.write('not every id has a record yet: run the same command again to resume polling\n');
  return EXIT.cancelled;
}

/** The output's total cost at batch rates; `+` when some answers have no price. */
function costOf(path: string): string {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return '?';
  }
  const records = readOutput(text, path);
  if (records.isErr()) return '?';
  let total = 0;
  let priced = 0;
  let unknown = 0;
  for (const record of records.value.records) {
    if (!record.ok) continue;
    if (record.cost === null) unknown++;
    else {
      total += record.cost;
      priced++;
    }
  }
  // Nothing priced is an unknown cost, not $0 (the contract: never 0 for unknown).
  if (priced === 0 && unknown > 0) return `${formatCost(null)} (${unknown} unpriced)`;
  return `${formatCost(total)}${unknown > 0 ? ` (+${unknown} unpriced)` : ''}`;
}
