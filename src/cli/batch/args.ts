/** `llmux batch ...` command lines into typed options. Pure. */
import { parseArgs } from 'node:util';
import { err, ok, type Result } from 'neverthrow';
import { parseShard, type Shard } from '../../batch/shard.js';
import type { BatchLane } from '../../batch/types.js';
import { providerDefinition, unknownProvider } from '../../providers/registry.js';
import type { ReplaySpeed } from '../../vcr/replay-dispatcher.js';
import { parseSpeed } from '../args.js';

export interface BatchRunOptions {
  readonly input: string;
  readonly output: string;
  readonly resume: boolean;
  readonly retryErrors: boolean;
  readonly strict: boolean;
  readonly stream: boolean;
  readonly provider?: string;
  readonly model?: string;
  readonly concurrency?: number;
  readonly shard?: Shard;
  readonly prices?: string;
  readonly via: BatchLane;
  /** `--cancel` (with --via batch-api): cancel the submitted batches, then collect what they finished. */
  readonly cancel: boolean;
  readonly baseUrl?: string;
  readonly replay?: string;
  readonly speed: ReplaySpeed;
  /** A plain progress line per this many records (when stderr is not a terminal). */
  readonly every?: number;
  readonly plain: boolean;
}

export type BatchCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'run'; readonly options: BatchRunOptions }
  | { readonly kind: 'merge'; readonly inputs: readonly string[]; readonly output: string };

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  resume: { type: 'boolean' },
  'retry-errors': { type: 'boolean' },
  strict: { type: 'boolean' },
  stream: { type: 'boolean' },
  provider: { type: 'string' },
  model: { type: 'string', short: 'm' },
  concurrency: { type: 'string', short: 'c' },
  shard: { type: 'string' },
  prices: { type: 'string' },
  via: { type: 'string' },
  cancel: { type: 'boolean' },
  'base-url': { type: 'string' },
  replay: { type: 'string' },
  speed: { type: 'string' },
  every: { type: 'string' },
  plain: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const MAX_CONCURRENCY = 10_000;

/** `argv` after the word `batch`. Errors are one line for a person. */
export function parseBatchArgs(argv: readonly string[]): Result<BatchCommand, string> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return err(message.split('. To ')[0]?.replace(/^Option '([^']+)' argument missing$/, 'option $1 needs a value') ?? message);
  }
  const values = parsed.values;
  const words = parsed.positionals;
  if (values.help === true) return ok({ kind: 'help' });
  const output = values.output;
  if (words[0] === 'merge') {
    const extra = (Object.keys(values) as (keyof typeof values)[]).find((key) => key !== 'output' && values[key] !== undefined);
    if (extra !== undefined) return err(`--${extra} is not an option of "llmux batch merge"`);
    if (words.length < 2) return err('"llmux batch merge" needs the output files to join: llmux batch merge OUT1 OUT2 ... -o ALL');
    if (output === undefined || output.trim() === '') return err('"llmux batch merge" needs -o FILE for the merged output');
    return ok({ kind: 'merge', inputs: words.slice(1), output });
  }
  if (words.length === 0) return err('"llmux batch" needs an input file: llmux batch IN.jsonl -o OUT.jsonl');
  if (words.length > 1) return err(`"llmux batch" takes one input file, got ${words.length}: ${words.join(' ')}`);
  if (output === undefined || output.trim() === '') return err('"llmux batch" needs -o OUT.jsonl for the results');
  const input = words[0] as string;
  if (input === output) return err('the output must be another file than the input');
  const provider = values.provider;
  if (provider !== undefined && providerDefinition(provider) === undefined) return err(unknownProvider(provider).message);
  const via = values.via ?? 'live';
  if (via !== 'live' && via !== 'batch-api') return err(`--via must be live or batch-api, not "${via}"`);
  if (values.cancel === true && via !== 'batch-api') return err('--cancel applies to --via batch-api only');
  if (via === 'batch-api') {
    // Ignoring them would cost money: every shard's machine would submit the whole input.
    const liveOnly = (['shard', 'strict', 'stream', 'concurrency'] as const).find((flag) => values[flag] !== undefined && values[flag] !== false);
    if (liveOnly !== undefined) return err(`--${liveOnly} applies to the live lane only (not --via batch-api)`);
  }
  const concurrency = values.concurrency === undefined ? ok(undefined) : whole('--concurrency', values.concurrency, 1, MAX_CONCURRENCY);
  if (concurrency.isErr()) return err(concurrency.error);
  const every = values.every === undefined ? ok(undefined) : whole('--every', values.every, 1, 1_000_000_000);
  if (every.isErr()) return err(every.error);
  const shard = values.shard === undefined ? ok(undefined) : parseShard(values.shard).mapErr((failure) => failure.message);
  if (shard.isErr()) return err(shard.error);
  const speed = values.speed === undefined ? ok<ReplaySpeed, string>('instant') : parseSpeed(values.speed);
  if (speed.isErr()) return err(speed.error);
  if (values.speed !== undefined && values.replay === undefined) return err('--speed applies to --replay only');
  for (const [flag, value] of [['--model', values.model], ['--prices', values.prices], ['--replay', values.replay], ['--base-url', values['base-url']]] as const) {
    if (value !== undefined && value.trim() === '') return err(`${flag} needs a value`);
  }
  return ok({
    kind: 'run',
    options: {
      input,
      output,
      resume: values.resume === true,
      retryErrors: values['retry-errors'] === true,
      strict: values.strict === true,
      stream: values.stream === true,
      ...(provider === undefined ? {} : { provider }),
      ...(values.model === undefined ? {} : { model: values.model }),
      ...(concurrency.value === undefined ? {} : { concurrency: concurrency.value }),
      ...(shard.value === undefined ? {} : { shard: shard.value }),
      ...(values.prices === undefined ? {} : { prices: values.prices }),
      via,
      cancel: values.cancel === true,
      ...(values['base-url'] === undefined ? {} : { baseUrl: values['base-url'] }),
      ...(values.replay === undefined ? {} : { replay: values.replay }),
      speed: speed.value,
      ...(every.value === undefined ? {} : { every: every.value }),
      plain: values.plain === true,
    },
  });
}

function whole(flag: string, text: string, min: number, max: number): Result<number, string> {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    return err(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return ok(value);
}

export function batchHelp(): string {
  return `Usage:
  llmux batch IN.jsonl -o OUT.jsonl [options]     run every request of IN, one result line each
  llmux batch merge OUT1 OUT2 ... -o ALL          join shard outputs; every id must appear once

Each input line is {"id": "...", "request": {ChatRequest}} (optionally "provider", "model"),
or an OpenAI Batch line {"custom_id", "method", "url", "body"}.

Options:
  -o, --output FILE    where results go, one JSON record per line (appended as they finish)
  --resume             continue OUT: ids with a result for the same request are skipped
  --retry-errors       with --resume, run the failed ids again (old records go to *.superseded.jsonl)
  --strict             stop at the first invalid line or request instead of recording it
  --stream             stream each request (idle timeouts then bound gaps, not whole answers)
  --provider NAME      provider of lines that name none (default openai)
  -m, --model NAME     model of lines and requests that name none
  -c, --concurrency N  requests in flight at once (default 64); the rate governor paces within it
  --shard I/N          take the I-th of N slices of the input by id hash (for N machines)
  --prices FILE        a LiteLLM-format price table over the bundled one (costs of unknown models are null)
  --via live|batch-api the lane: live requests (default) or the providers' Batch APIs (half price,
                       results within 24 h; a rerun of the same command resumes polling)
  --cancel             with --via batch-api: cancel the submitted batches, collect what they finished
  --base-url URL       another endpoint for the provider
  --replay FILE        answer from a cassette instead of the network (offline; no key needed)
  --speed N|instant    replay pace (default instant)
  --every N            without a terminal, a progress line per N results
  --plain              plain progress lines even on a terminal

Ctrl+C stops admitting requests and lets those in flight finish; a second Ctrl+C cancels them.
Either way OUT is left so that --resume continues it: nothing paid for is lost, nothing is
written twice. Exit code 0 when every id has a record (failures included: see the summary),
130 after Ctrl+C, 2 for bad options or input, 3 for a missing key, 5 for --strict, 1 for I/O.
`;
}
