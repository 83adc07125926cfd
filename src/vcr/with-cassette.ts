/**
 * One entry point for tests and the CLI: open a cassette in the resolved mode, hand the
 * dispatcher to the engine, and on finish save it (record) or check every exchange was
 * played (replay). No test framework needed: cassette problems are Result values, while a
 * failure of the test's own code (an assertion) is rethrown so the runner sees it.
 */
import { readFile } from 'node:fs/promises';
import { err, ok, type Result } from 'neverthrow';
import { Agent, type Dispatcher } from 'undici';
import type { Clock } from '../http/clock.js';
import type { HttpMultiOptions } from '../http/multi.js';
import { parseCassette, type Cassette } from './cassette.js';
import { vcrError, type VcrError } from './errors.js';
import type { MatchOptions } from './match.js';
import { resolveMode, VCR_ENV, type VcrMode } from './mode.js';
import { redactUrl } from './redact.js';
import { RecordingDispatcher } from './recording-dispatcher.js';
import { ReplayDispatcher, type ReplayOptions, type ReplaySpeed } from './replay-dispatcher.js';

export interface CassetteOptions extends MatchOptions {
  /** Overrides `LLMUX_VCR`; default replay. */
  readonly mode?: VcrMode;
  /** Where `LLMUX_VCR` is read from. Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The engine's clock: replay delivers on it, recording times chunks with it. */
  readonly clock?: Clock;
  /** Replay speed. Default `instant`. */
  readonly speed?: ReplaySpeed;
  /** Replay faults (see faults.ts). */
  readonly faults?: ReplayOptions['faults'];
  /** The real dispatcher for record and off. Default: a new undici Agent, closed at finish. */
  readonly dispatcher?: Dispatcher;
  /** Replay: do not fail when some recorded exchanges were never played. */
  readonly allowUnused?: boolean;
  /**
   * withCassette only. True (default): an exception from the function, or from a user
   * callback the engine caught (onEvent, onComplete), is rethrown as it was, so a test runner
   * fails the test. False: it is returned as a `callback` error instead.
   */
  readonly rethrow?: boolean;
}

/** What to give the engine: `createOpenAI({ engine: session.engine })`. */
export type CassetteEngineOptions = Pick<HttpMultiOptions, 'dispatcher' | 'clock' | 'onCallbackError'> & { readonly dispatcher: Dispatcher };

export interface CassetteSession {
  readonly mode: VcrMode;
  readonly path: string;
  /** Inject this into the engine (with the same clock). */
  readonly dispatcher: Dispatcher;
  /**
   * Engine options wired to this session: the dispatcher, the clock, and a callback-error
   * reporter that keeps what user callbacks threw for withCassette to rethrow.
   */
  readonly engine: CassetteEngineOptions;
  /** What user callbacks threw while this session's engine ran them (see `engine`). */
  readonly callbackErrors: readonly unknown[];
  /** Set in replay mode, for inspection (unmatched requests, unused exchanges). */
  readonly replay?: ReplayDispatcher;
  /** Set in record mode. */
  readonly recorder?: RecordingDispatcher;
  /** Record: save (refusing secrets). Replay: fail on unmatched requests or unplayed exchanges. Then release. Idempotent. */
  finish(): Promise<Result<void, VcrError>>;
  /** Release without saving or checking (a failed test). */
  discard(): Promise<void>;
}

/** Reads and parses a cassette file. */
export async function readCassetteFile(path: string): Promise<Result<Cassette, VcrError>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ENOENT') {
      return err(vcrError('not_found', `cassette ${path} does not exist; record it with ${VCR_ENV}=record`, { file: path }));
    }
    return err(vcrError('io', `could not read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { file: path, cause }));
  }
  return parseCassette(text, path);
}

function replayProblems(path: string, replay: ReplayDispatcher, allowUnused: boolean): VcrError | undefined {
  const problems: string[] = [];
  const unmatched = replay.unmatched;
  if (unmatched.length > 0) {
    problems.push(`${unmatched.length} request(s) matched nothing (first: ${unmatched[0]?.message ?? ''})`);
  }
  const unused = allowUnused ? [] : replay.unusedExchanges();
  if (unused.length > 0) {
    const list = unused.map(({ index, exchange }) => `#${index + 1} ${exchange.request.method} ${redactUrl(exchange.request.url)}`);
    problems.push(`${unused.length} recorded exchange(s) never played: ${list.join(', ')}`);
  }
  return problems.length === 0 ? undefined : vcrError('unused', `${path}: ${problems.join('; ')}`, { file: path });
}

function once<T>(run: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= run());
}

type BareSession = Omit<CassetteSession, 'engine' | 'callbackErrors'>;

/** Opens a cassette session in the mode the options and environment select. */
export async function openCassette(path: string, options: CassetteOptions = {}): Promise<Result<CassetteSession, VcrError>> {
  const opened = await openBare(path, options);
  return opened.map((bare) => {
    const callbackErrors: unknown[] = [];
    const engine: CassetteEngineOptions = {
      dispatcher: bare.dispatcher,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      onCallbackError: (error: unknown) => {
        callbackErrors.push(error);
      },
    };
    return { ...bare, engine, callbackErrors };
  });
}

async function openBare(path: string, options: CassetteOptions): Promise<Result<BareSession, VcrError>> {
  const mode = resolveMode(options.mode, options.env);
  if (mode.isErr()) return err(mode.error);
  const owned = options.dispatcher === undefined;
  const real = (): Dispatcher => options.dispatcher ?? new Agent();

  switch (mode.value) {
    case 'replay': {
      const cassette = await readCassetteFile(path);
      if (cassette.isErr()) return err(cassette.error);
      const replay = new ReplayDispatcher(cassette.value, {
        name: path,
        ...(options.clock === undefined ? {} : { clock: options.clock }),
        ...(options.speed === undefined ? {} : { speed: options.speed }),
        ...(options.faults === undefined ? {} : { faults: options.faults }),
        ...(options.ignoreBodyFields === undefined ? {} : { ignoreBodyFields: options.ignoreBodyFields }),
      });
      const release = once(() => replay.destroy());
      return ok({
        mode: 'replay',
        path,
        dispatcher: replay,
        replay,
        finish: once(async () => {
          const problem = replayProblems(path, replay, options.allowUnused ?? false);
          await release();
          return problem === undefined ? ok(undefined) : err(problem);
        }),
        discard: release,
      });
    }
    case 'record': {
      const recorder = new RecordingDispatcher({ dispatcher: real(), name: path, ...(options.clock === undefined ? {} : { clock: options.clock }) });
      // close() would wait for requests still in flight; a failed run must not hang on them.
      const release = once(async () => {
        if (owned) await (recorder.inFlight > 0 ? recorder.destroy() : recorder.close());
      });
      return ok({
        mode: 'record',
        path,
        dispatcher: recorder,
        recorder,
        finish: once(async () => {
          const saved = await recorder.save(path);
          await release();
          return saved;
        }),
        discard: release,
      });
    }
    case 'off': {
      const dispatcher = real();
      const finish = once(async () => {
        if (owned) await dispatcher.close();
        return ok(undefined);
      });
      return ok({
        mode: 'off',
        path,
        dispatcher,
        finish,
        discard: once(async () => {
          if (owned) await dispatcher.destroy();
        }),
      });
    }
  }
}

/**
 * Runs `fn` with a cassette session and finishes it. Resolves with the value of `fn`, or
 * with a VcrError when the cassette is unreadable, not saved or not fully played (check
 * it: `expectOk`). When `fn` throws, or a user callback threw inside the session's engine
 * (`session.engine`), nothing is saved and that exception is rethrown (`rethrow: false`
 * returns it as a `callback` error instead).
 */
export async function withCassette<T>(
  path: string,
  options: CassetteOptions,
  fn: (session: CassetteSession) => T | Promise<T>,
): Promise<Result<T, VcrError>> {
  const opened = await openCassette(path, options);
  if (opened.isErr()) return err(opened.error);
  const session = opened.value;
  const rethrow = options.rethrow ?? true;
  let value: T;
  try {
    value = await fn(session);
  } catch (cause) {
    await session.discard();
    if (rethrow) throw cause;
    return err(callbackFailed(path, 'the function given to withCassette failed', cause));
  }
  const thrown = session.callbackErrors;
  if (thrown.length > 0) {
    await session.discard();
    if (rethrow) throw thrown[0];
    return err(callbackFailed(path, `a callback threw ${thrown.length === 1 ? '' : `(${thrown.length} times) `}during the session`, thrown[0]));
  }
  const finished = await session.finish();
  return finished.map(() => value);
}

/**
 * The value of an ok Result, or an exception carrying the error's message (and the error as
 * its `cause`): what a test does with withCassette's answer, so a cassette problem fails it.
 */
export function expectOk<T, E extends { readonly message: string }>(result: Result<T, E>): T {
  if (result.isOk()) return result.value;
  throw new Error(result.error.message, { cause: result.error });
}

function callbackFailed(path: string, what: string, cause: unknown): VcrError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return vcrError('callback', `${path}: ${what}: ${message}`, { file: path, cause });
}
