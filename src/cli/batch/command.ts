/** `llmux batch`: runs a job with progress on stderr, Ctrl+C to stop, and a summary at the end. */
import type { BatchFailure } from '../../batch/errors.js';
import { mergeOutputs } from '../../batch/merge.js';
import { startBatch, type BatchRun, type RunBatchOptions } from '../../batch/runner.js';
import type { BatchRecord } from '../../batch/types.js';
import type { CommonAdapterOptions } from '../../providers/definition.js';
import { providerDefinition, providerNames } from '../../providers/registry.js';
import { ansi } from '../ansi.js';
import { openCassetteFor } from '../cassette.js';
import { EXIT } from '../exit-codes.js';
import { terminalInterrupts } from '../interrupts.js';
import { colorFor, columnsOf, type CliIo } from '../io.js';
import { batchHelp, parseBatchArgs, type BatchRunOptions } from './args.js';
import { runViaBatchApi } from './batch-api.js';
import { defaultPrice, loadPrices } from './prices.js';
import { plainLine, statusLine, summaryLines } from './views.js';

export const REDRAW_MS = 100;
const REPLAY_PLACEHOLDER_KEY = 'llmux-replay-placeholder';

/** `argv` after the word `batch`; resolves to the exit code. */
export async function batchCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseBatchArgs(argv);
  if (parsed.isErr()) {
    io.stderr.write(`llmux: ${parsed.error}\nRun "llmux batch --help" for the options.\n`);
    return EXIT.usage;
  }
  const command = parsed.value;
  if (command.kind === 'help') {
    io.stdout.write(batchHelp());
    return EXIT.ok;
  }
  if (command.kind === 'merge') {
    const merged = mergeOutputs(command.inputs, command.output);
    if (merged.isErr()) return failed(io, merged.error);
    const { records, ok, failed: bad, perFile } = merged.value;
    io.stderr.write(`merged ${records} records (${ok} ok, ${bad} failed) from ${perFile.length} file(s) into ${command.output}\n`);
    return EXIT.ok;
  }
  return runCommand(command.options, io);
}

async function runCommand(options: BatchRunOptions, io: CliIo): Promise<number> {
  const price = options.prices === undefined ? undefined : loadPrices(options.prices);
  if (price?.isErr() === true) {
    io.stderr.write(`llmux: ${price.error}\n`);
    return EXIT.usage;
  }
  const cassette = await openCassetteFor({ replay: options.replay, speed: options.speed });
  if (cassette.isErr()) {
    io.stderr.write(`llmux: ${cassette.error}\n`);
    return EXIT.usage;
  }
  const replaying = cassette.value !== undefined;
  const pricing = price === undefined ? defaultPrice() : price._unsafeUnwrap();
  const providers: Record<string, CommonAdapterOptions> = {};
  for (const name of providerNames()) {
    const hasKey = providerDefinition(name)?.keyEnvVars.some((key) => (io.env[key] ?? '') !== '') === true;
    providers[name] = {
      env: io.env,
      ...(replaying && !hasKey ? { apiKey: REPLAY_PLACEHOLDER_KEY } : {}),
      ...(options.baseUrl !== undefined && name === (options.provider ?? 'openai') ? { baseURL: options.baseUrl } : {}),
    };
  }
  const tty = io.stderr.isTTY === true && !options.plain;
  let plainEvery = options.every ?? 0;
  let sinceLine = 0;
  const started = io.now();
  let run: BatchRun | undefined;
  const onRecord = (_record: BatchRecord): void => {
    if (tty || run === undefined) return;
    if (++sinceLine >= plainEvery) {
      sinceLine = 0;
      io.stderr.write(`${plainLine(run.progress(), io.now() - started)}\n`);
    }
  };
  const runOptions: RunBatchOptions = {
    input: options.input,
    output: options.output,
    resume: options.resume,
    retryErrors: options.retryErrors,
    strict: options.strict,
    stream: options.stream,
    via: options.via,
    ...(options.provider === undefined ? {} : { provider: options.provider }),
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.shard === undefined ? {} : { shard: options.shard }),
    price: pricing,
    providers,
    engine: {
      ...(cassette.value === undefined ? {} : { dispatcher: cassette.value.dispatcher }),
      ...(cassette.value?.clock === undefined ? {} : { clock: cassette.value.clock }),
    },
    manifestOptions: {
      provider: options.provider ?? null,
      model: options.model ?? null,
      stream: options.stream,
      shard: options.shard === undefined ? null : `${options.shard.index}/${options.shard.count}`,
      prices: options.prices ?? null,
      replay: options.replay ?? null,
    },
    onRecord,
  };
  if (options.via === 'batch-api') return runViaBatchApi(options, io, { providers, price: pricing, cassette: cassette.value });
  run = startBatch(runOptions);
  const active = run;
  if (plainEvery === 0) plainEvery = Math.max(1, Math.min(1000, Math.ceil(active.progress().total / 10)));
  const color = colorFor(io.stderr, io.env);
  let note = '';
  const draw = (): void => {
    io.stderr.write(`\r${ansi.clearLine}${statusLine(active.progress(), columnsOf(io.stderr), color, note)}`);
  };
  const timer = tty ? setInterval(draw, REDRAW_MS) : undefined;
  const stopListening = terminalInterrupts(io).listen((input) => {
    if (input.type !== 'interrupt') return;
    const now = active.stop();
    note = now === 'draining' ? 'stopping: in-flight requests finish (Ctrl+C again cancels them)' : 'cancelling in-flight requests (--resume sends them again)';
    if (tty) draw();
    else io.stderr.write(`llmux: ${note}\n`);
  });
  if (tty) io.stderr.write(ansi.hideCursor);
  const result = await active.result;
  if (timer !== undefined) clearInterval(timer);
  stopListening();
  if (tty) io.stderr.write(`\r${ansi.clearLine}${ansi.showCursor}`);
  await cassette.value?.finish();
  if (result.isErr()) return failed(io, result.error);
  const summary = result.value;
  io.stderr.write(`${summaryLines(summary).join('\n')}\n`);
  if (summary.tornBytes > 0) io.stderr.write(`resume: dropped a torn last line (${summary.tornBytes} bytes); its request ran again\n`);
  if (summary.superseded > 0) io.stderr.write(`resume: ${summary.superseded} earlier record(s) moved to the superseded file\n`);
  if (summary.failure !== undefined) return failed(io, summary.failure);
  if (summary.outcome === 'complete') return EXIT.ok;
  io.stderr.write(`stopped: ${summary.left} request(s) left; run the same command with --resume to continue\n`);
  return EXIT.cancelled;
}

function failed(io: CliIo, failure: BatchFailure): number {
  io.stderr.write(`llmux: ${failure.message}\n`);
  switch (failure.kind) {
    case 'io':
      return EXIT.unknown;
    case 'auth':
      return EXIT.auth;
    case 'strict':
      return EXIT.invalid_arg;
    default:
      return EXIT.usage;
  }
}
