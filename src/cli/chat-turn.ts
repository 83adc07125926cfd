/** One turn of `llmux chat` with its view and the lines printed after it. */
import type { ThrottleStatus } from './throttle-status.js';
import { err } from 'neverthrow';
import type { Provider } from '../providers/provider.js';
import type { ChatRequest, Message } from '../providers/types.js';
import type { ProviderError } from '../errors/category.js';
import type { ChatOptions } from './args.js';
import { cliHint } from './cli-hints.js';
import { NO_MATCH_CODE } from '../vcr/replay-dispatcher.js';
import { priceUsage } from '../providers/pricing/table.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { DEMO_SUGGESTION, errorLine, usageLine } from './format.js';
import type { HostLoop } from './host-loop.js';
import { terminalInterrupts } from './interrupts.js';
import { colorFor, type CliIo } from './io.js';
import { runTurn, type TurnOutcome } from './turn.js';
import { createTurnView, viewSettings } from './turn-view.js';

/** What a turn needs that stays the same for the whole command. */
export interface ChatSession {
  readonly io: CliIo;
  readonly options: ChatOptions;
  readonly provider: Provider;
  readonly loop: HostLoop;
  /** The rate governor's wait, shown by the spinner. */
  readonly throttle?: ThrottleStatus;
}

/** The request for a conversation so far. */
export function chatRequest(options: ChatOptions, messages: readonly Message[], model = options.model): ChatRequest {
  return {
    messages,
    ...(model === undefined ? {} : { model }),
    ...(options.system === undefined ? {} : { system: options.system }),
    ...(options.maxTokens === undefined ? {} : { maxOutputTokens: options.maxTokens }),
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
  };
}

/** Streams one answer with its own view; prints the usage or error lines after it. */
export async function streamTurn(session: ChatSession, request: ChatRequest, modelName: string): Promise<TurnOutcome> {
  const { io, options } = session;
  const settings = viewSettings(io, options.json, options.render);
  session.throttle?.clear();
  const view = createTurnView(io, settings, session.throttle?.message);
  const outcome = await runTurn(
    { provider: session.provider, loop: session.loop, interrupts: terminalInterrupts(io), view, label: `waiting for ${modelName}` },
    request,
  );
  if (outcome.kind === 'failed' && outcome.immediate && options.json) {
    // Scripts reading --json always get a completion line.
    view.complete(err(outcome.error));
    view.finish();
  }
  reportOutcome(io, outcome, options);
  return outcome;
}

function withCliHint(error: ProviderError, options: Pick<ChatOptions, 'baseUrl'>): ProviderError {
  const hint = cliHint(error, options);
  return hint === undefined ? error : { ...error, hint };
}

const REPLAY_MISMATCH_HINT =
  'a replay must send what was recorded: the same URL (--base-url, --provider), model (--model) and question; record a new cassette with --record FILE';

/** The lines on stderr after an answer. */
export function reportOutcome(io: CliIo, outcome: TurnOutcome, options: Pick<ChatOptions, 'baseUrl'> & { readonly provider?: string } = {}): void {
  const color = colorFor(io.stderr, io.env);
  switch (outcome.kind) {
    case 'ok':
      if (outcome.response.finishReason === 'length') io.stderr.write('[the answer was cut at the token limit]\n');
      io.stderr.write(`${usageLine(outcome.response, options.provider === undefined ? undefined : priceUsage(options.provider, outcome.response.model, outcome.response.usage, { batch: false }))}\n`);
      return;
    case 'failed':
      if (outcome.immediate && outcome.error.category === 'auth') {
        // The message already says which variable to set; the hint would say it again.
        io.stderr.write(`${errorLine({ ...outcome.error, hint: '' }, color)}\n${DEMO_SUGGESTION}\n`);
        return;
      }
      if (outcome.error.providerCode === NO_MATCH_CODE) {
        io.stderr.write(`${errorLine({ ...outcome.error, hint: REPLAY_MISMATCH_HINT }, color)}\n`);
        return;
      }
      io.stderr.write(`${errorLine(withCliHint(outcome.error, options), color)}\n`);
      return;
    case 'cancelled':
    case 'interrupted':
      io.stderr.write('[cancelled]\n');
      return;
  }
}

/** The exit code for a finished turn. */
export function exitCodeOf(outcome: TurnOutcome): number {
  switch (outcome.kind) {
    case 'ok':
      return EXIT.ok;
    case 'failed':
      // The cassette does not hold this request: a usage problem, not the provider's refusal.
      return outcome.error.providerCode === NO_MATCH_CODE ? EXIT.usage : exitCodeFor(outcome.error.category);
    case 'cancelled':
    case 'interrupted':
      return EXIT.cancelled;
  }
}

