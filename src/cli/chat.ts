/** `llmux chat`: one question from the command line or stdin, or a conversation on a terminal. */
import { ThrottleStatus } from './throttle-status.js';
import type { ProviderError } from '../errors/category.js';
import { createProvider, providerDefinition, type CommonAdapterOptions } from '../providers/registry.js';
import type { ChatOptions } from './args.js';
import { openCassetteFor, type CassetteUse } from './cassette.js';
import { chatRequest, exitCodeOf, reportOutcome, streamTurn, type ChatSession } from './chat-turn.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { errorLine } from './format.js';
import { HostLoop } from './host-loop.js';
import { interactive } from './interactive.js';
import { colorFor, type CliIo } from './io.js';

/** Replays need no key: the recorded answer does not check it. */
const REPLAY_PLACEHOLDER_KEY = 'llmux-replay-placeholder';

export async function chatCommand(options: ChatOptions, io: CliIo): Promise<number> {
  let question = options.question;
  if (question === undefined && io.stdin.isTTY !== true) {
    question = (await readAll(io.stdin)).trim();
    if (question === '') {
      io.stderr.write('llmux: no question: pass it as an argument (llmux chat "...") or on stdin\n');
      return EXIT.usage;
    }
  }
  const cassette = await openCassetteFor(options);
  if (cassette.isErr()) {
    io.stderr.write(`llmux: ${cassette.error}\n`);
    return EXIT.usage;
  }
  const loop = new HostLoop();
  const throttle = new ThrottleStatus(() => io.now());
  const keyVars = providerDefinition(options.provider)?.keyEnvVars ?? [];
  const hasKey = keyVars.some((name) => (io.env[name] ?? '').trim() !== '');
  const adapterOptions = {
    ...(options.replay !== undefined && !hasKey ? { apiKey: REPLAY_PLACEHOLDER_KEY } : {}),
    ...(options.baseUrl === undefined ? {} : { baseURL: options.baseUrl }),
    ...(options.api === undefined ? {} : { api: options.api }),
    ...(options.model === undefined ? {} : { defaultModel: options.model }),
    env: io.env,
  };
  if (question === undefined) {
    const missing = missingKey(options.provider, adapterOptions);
    if (missing !== undefined) {
      // Said before the first prompt: a conversation must not start only to fail at its first message.
      reportOutcome(io, { kind: 'failed', error: missing, immediate: true, partial: '' }, options);
      await cassette.value?.finish();
      return exitCodeFor(missing.category);
    }
  }
  const created = createProvider(options.provider, {
    ...adapterOptions,
    engine: {
      notify: loop.wake,
      governor: { onThrottle: throttle.onThrottle },
      onRetry: throttle.onRetry,
      ...(cassette.value === undefined ? {} : { dispatcher: cassette.value.dispatcher }),
      ...(cassette.value?.clock === undefined ? {} : { clock: cassette.value.clock }),
      ...retriesOf(options, cassette.value),
      ...(options.timeoutMs === undefined ? {} : { timeouts: { headersMs: options.timeoutMs, idleMs: options.timeoutMs } }),
    },
  });
  if (created.isErr()) {
    io.stderr.write(`${errorLine(created.error, colorFor(io.stderr, io.env))}\n`);
    await cassette.value?.finish();
    return exitCodeFor(created.error.category);
  }
  const session: ChatSession = { io, options, provider: created.value, loop, throttle };
  let code: number;
  try {
    code = question === undefined ? await interactive(session) : await oneShot(session, question);
  } finally {
    await created.value.cleanup();
  }
  return finishCassette(io, cassette.value, code);
}

/**
 * The key problem every request of this configuration would hit (no key, one that cannot go
 * in a header). The adapter reports configuration from `prepare` (nothing is sent), so a
 * throwaway request shows it.
 */
function missingKey(provider: string, adapterOptions: CommonAdapterOptions): ProviderError | undefined {
  const prepared = providerDefinition(provider)?.createAdapter(adapterOptions).prepare({ messages: [{ role: 'user', content: '.' }] }, 'stream');
  return prepared?.isErr() === true && prepared.error.category === 'auth' ? prepared.error : undefined;
}

/** --retries, capped in a replay at what the recording holds (a 429 then a 200: one retry). */
function retriesOf(options: ChatOptions, cassette: CassetteUse | undefined): { maxRetries?: number } {
  const recorded = cassette?.exchanges === undefined ? undefined : Math.max(0, cassette.exchanges - 1);
  if (recorded === undefined) return options.retries === undefined ? {} : { maxRetries: options.retries };
  return { maxRetries: Math.min(recorded, options.retries ?? recorded) };
}

async function finishCassette(io: CliIo, cassette: CassetteUse | undefined, code: number): Promise<number> {
  const problem = await cassette?.finish();
  // A replay that went wrong already said why in the error line.
  if (problem === undefined || (cassette?.mode === 'replay' && code !== EXIT.ok)) return code;
  io.stderr.write(`llmux: ${problem}\n`);
  return code === EXIT.ok ? EXIT.unknown : code;
}

async function oneShot(session: ChatSession, question: string): Promise<number> {
  const request = chatRequest(session.options, [{ role: 'user', content: question }]);
  const outcome = await streamTurn(session, request, session.options.model ?? defaultModelOf(session.options.provider));
  return exitCodeOf(outcome);
}

async function readAll(stream: CliIo['stdin']): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(typeof part === 'string' ? Buffer.from(part) : (part as Buffer));
  return Buffer.concat(parts).toString('utf8');
}

/** The model a provider uses when none is named, for what the CLI shows. */
export function defaultModelOf(provider: string): string {
  return providerDefinition(provider)?.defaultModel ?? 'default';
}
