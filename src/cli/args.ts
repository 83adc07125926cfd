/** Command-line parsing (node:util parseArgs) into a typed command. Pure. */
import { parseArgs } from 'node:util';
import { err, ok, type Result } from 'neverthrow';
import { providerDefinition, unknownProvider } from '../providers/registry.js';
import { parseFault, type Fault } from '../vcr/faults.js';
import type { ReplaySpeed } from '../vcr/replay-dispatcher.js';

export type RenderMode = 'auto' | 'plain' | 'markdown';

export interface ChatOptions {
  readonly provider: string;
  readonly model?: string;
  readonly api?: 'chat' | 'responses';
  readonly system?: string;
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly baseUrl?: string;
  /** Retries after the first attempt (the engine's default is 2). */
  readonly retries?: number;
  /** Longest silence from the server, before the response and between chunks. */
  readonly timeoutMs?: number;
  readonly json: boolean;
  readonly render: RenderMode;
  readonly record?: string;
  /** `--force`: `--record` may overwrite an existing cassette. */
  readonly force?: boolean;
  readonly replay?: string;
  /** Replay pace: recorded by default, `instant`, or a factor (2 = twice as fast). */
  readonly speed: ReplaySpeed;
  /** Replay faults (`--fault SPEC`, repeatable), applied left to right; absent when none. */
  readonly faults?: readonly Fault[];
  /** The question; undefined opens the interactive conversation (or reads stdin when it is not a terminal). */
  readonly question?: string;
}

export interface DemoOptions {
  readonly streams: number;
  readonly speed: ReplaySpeed;
  readonly plain: boolean;
}

export type Command =
  | { readonly kind: 'help'; readonly topic?: 'chat' | 'demo' }
  | { readonly kind: 'version' }
  | { readonly kind: 'chat'; readonly options: ChatOptions }
  | { readonly kind: 'demo'; readonly options: DemoOptions }
  /** `llmux batch ...`: its own options, parsed by cli/batch/args.ts. */
  | { readonly kind: 'batch'; readonly argv: readonly string[] };

export const DEFAULT_DEMO_STREAMS = 12;
export const MAX_DEMO_STREAMS = 200;

const OPTIONS = {
  provider: { type: 'string' },
  model: { type: 'string', short: 'm' },
  api: { type: 'string' },
  system: { type: 'string', short: 's' },
  'max-tokens': { type: 'string' },
  temperature: { type: 'string', short: 't' },
  'base-url': { type: 'string' },
  retries: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  plain: { type: 'boolean' },
  markdown: { type: 'boolean' },
  record: { type: 'string' },
  force: { type: 'boolean' },
  replay: { type: 'string' },
  speed: { type: 'string' },
  fault: { type: 'string', multiple: true },
  streams: { type: 'string', short: 'n' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

type OptionName = keyof typeof OPTIONS;

const ALLOWED: Readonly<Record<'chat' | 'demo' | 'none', readonly OptionName[]>> = {
  chat: [
    'provider', 'model', 'api', 'system', 'max-tokens', 'temperature', 'base-url', 'retries', 'timeout',
    'json', 'plain', 'markdown', 'record', 'force', 'replay', 'speed', 'fault', 'help', 'version',
  ],
  demo: ['streams', 'speed', 'plain', 'help', 'version'],
  none: ['help', 'version'],
};

type Values = {
  [K in OptionName]?: (typeof OPTIONS)[K] extends { readonly multiple: true } ? string[] : (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

/** Parses `argv` (without node and the script). Errors are one-line messages for a person. */
export function parseCommandLine(argv: readonly string[]): Result<Command, string> {
  if (argv[0] === 'batch') return ok({ kind: 'batch', argv: argv.slice(1) });
  let values: Values;
  let positionals: string[];
  try {
    const parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    values = parsed.values as Values;
    positionals = parsed.positionals;
  } catch (error) {
    return err(cleanParseError(error));
  }
  const [name, ...rest] = positionals;
  if (name === 'help') return helpTopic(rest[0]);
  if (name !== undefined && name !== 'chat' && name !== 'demo') {
    return err(`unknown command "${name}"; the commands are chat, demo, batch and help`);
  }
  const command = name ?? 'none';
  const stray = (Object.keys(values) as OptionName[]).find((key) => values[key] !== undefined && !ALLOWED[command].includes(key));
  if (stray !== undefined) {
    return err(command === 'none' ? `--${stray} needs a command: llmux chat --${stray} ...` : `--${stray} is not an option of "llmux ${command}"`);
  }
  if (values.version === true) return ok({ kind: 'version' });
  // Bare `llmux` shows the help: the quickest way to discover the commands.
  if (values.help === true || command === 'none') return ok(command === 'none' ? { kind: 'help' } : { kind: 'help', topic: command });
  if (command === 'demo') {
    if (rest.length > 0) return err(`"llmux demo" takes no arguments, got "${rest.join(' ')}"`);
    return demoOptions(values);
  }
  return chatOptions(values, rest);
}

function helpTopic(topic: string | undefined): Result<Command, string> {
  if (topic === undefined) return ok({ kind: 'help' });
  if (topic === 'chat' || topic === 'demo') return ok({ kind: 'help', topic });
  if (topic === 'batch') return ok({ kind: 'batch', argv: ['--help'] });
  return err(`no help on "${topic}"; try "llmux help chat" or "llmux help demo"`);
}

function cleanParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // node's messages end with advice for programmers ("To specify a positional argument ...").
  return message.split('. To ')[0]?.replace(/^Option '([^']+)' argument missing$/, 'option $1 needs a value') ?? message;
}

function chatOptions(values: Values, words: readonly string[]): Result<Command, string> {
  const provider = values.provider ?? 'openai';
  if (providerDefinition(provider) === undefined) return err(unknownProvider(provider).message);
  const api = values.api;
  if (api !== undefined && api !== 'chat' && api !== 'responses') return err(`--api must be chat or responses, not "${api}"`);
  const maxTokens = values['max-tokens'] === undefined ? ok(undefined) : positiveInteger('--max-tokens', values['max-tokens'], 10_000_000);
  if (maxTokens.isErr()) return err(maxTokens.error);
  const temperature = values.temperature === undefined ? ok(undefined) : numberIn('--temperature', values.temperature, 0, 2);
  if (temperature.isErr()) return err(temperature.error);
  const retries = values.retries === undefined ? ok(undefined) : wholeNumber('--retries', values.retries, 10);
  if (retries.isErr()) return err(retries.error);
  const timeout = values.timeout === undefined ? ok(undefined) : numberIn('--timeout', values.timeout, 0.001, 86_400);
  if (timeout.isErr()) return err(timeout.error);
  if (values.record !== undefined && values.replay !== undefined) return err('--record and --replay cannot be used together');
  if (values.plain === true && values.markdown === true) return err('--plain and --markdown cannot be used together');
  const speed = values.speed === undefined ? ok<ReplaySpeed, string>('recorded') : parseSpeed(values.speed);
  if (speed.isErr()) return err(speed.error);
  if (values.speed !== undefined && values.replay === undefined) return err('--speed applies to --replay only');
  const faults = parseFaults(values.fault ?? []);
  if (faults.isErr()) return err(faults.error);
  if (faults.value.length > 0 && values.replay === undefined) return err('--fault applies to --replay only');
  for (const [flag, value] of [['--model', values.model], ['--record', values.record], ['--replay', values.replay], ['--base-url', values['base-url']]] as const) {
    if (value !== undefined && value.trim() === '') return err(`${flag} needs a value`);
  }
  if (values.force === true && values.record === undefined) return err('--force applies to --record only');
  const baseUrl = checkBaseUrl(values['base-url']);
  if (baseUrl.isErr()) return err(baseUrl.error);
  const question = words.join(' ').trim();
  return ok({
    kind: 'chat',
    options: {
      provider,
      ...(values.model === undefined ? {} : { model: values.model }),
      ...(api === undefined ? {} : { api }),
      ...(values.system === undefined ? {} : { system: values.system }),
      ...(maxTokens.value === undefined ? {} : { maxTokens: maxTokens.value }),
      ...(temperature.value === undefined ? {} : { temperature: temperature.value }),
      ...(values['base-url'] === undefined ? {} : { baseUrl: values['base-url'] }),
      ...(retries.value === undefined ? {} : { retries: retries.value }),
      ...(timeout.value === undefined ? {} : { timeoutMs: Math.round(timeout.value * 1000) }),
      json: values.json === true,
      render: values.plain === true ? 'plain' : values.markdown === true ? 'markdown' : 'auto',
      ...(values.record === undefined ? {} : { record: values.record }),
      ...(values.force === true ? { force: true } : {}),
      ...(values.replay === undefined ? {} : { replay: values.replay }),
      speed: speed.value,
      ...(faults.value.length === 0 ? {} : { faults: faults.value }),
      ...(question === '' ? {} : { question }),
    },
  });
}

function demoOptions(values: Values): Result<Command, string> {
  const streams = values.streams === undefined ? ok(DEFAULT_DEMO_STREAMS) : positiveInteger('--streams', values.streams, MAX_DEMO_STREAMS);
  if (streams.isErr()) return err(streams.error);
  const speed = values.speed === undefined ? ok<ReplaySpeed, string>('recorded') : parseSpeed(values.speed);
  if (speed.isErr()) return err(speed.error);
  return ok({ kind: 'demo', options: { streams: streams.value, speed: speed.value, plain: values.plain === true } });
}

/** Every `--fault` spec, in order; the first bad one is the error. */
export function parseFaults(specs: readonly string[]): Result<Fault[], string> {
  const faults: Fault[] = [];
  for (const spec of specs) {
    const fault = parseFault(spec);
    if (fault.isErr()) return err(`--fault: ${fault.error.message}`);
    faults.push(fault.value);
  }
  return ok(faults);
}

/**
 * `localhost:11434/v1` would otherwise parse as a URL whose scheme is `localhost:`: refuse
 * it with the spelling that works, rather than a confusing error after the request.
 */
function checkBaseUrl(value: string | undefined): Result<void, string> {
  // With a scheme, the provider judges it (and names what it accepts).
  if (value === undefined || value.includes('://')) return ok(undefined);
  return err(`--base-url needs an http:// or https:// URL; did you mean http://${value.trim()}?`);
}

/** `instant`, or a factor > 0 (1 = as recorded). */
export function parseSpeed(text: string): Result<ReplaySpeed, string> {
  if (text === 'instant') return ok('instant');
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || value > 1000) {
    return err(`--speed must be a number above 0 and at most 1000 (2 = twice as fast) or "instant", not "${text}"`);
  }
  return ok(value === 1 ? 'recorded' : value);
}

function positiveInteger(flag: string, text: string, max: number): Result<number, string> {
  return wholeNumber(flag, text, max, 1);
}

function wholeNumber(flag: string, text: string, max: number, min = 0): Result<number, string> {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    return err(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return ok(value);
}

function numberIn(flag: string, text: string, min: number, max: number): Result<number, string> {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    return err(`${flag} must be a number from ${min} to ${max}, not "${text}"`);
  }
  return ok(value);
}
