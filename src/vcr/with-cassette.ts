/**
 * One entry point for tests and the CLI: open a cassette in the resolved mode, hand the
 * dispatcher to the engine, and on finish save it (record) or check every exchange was
 * played (replay). No test framework needed; failures are Result values.
 */
import { readFile } from 'node:fs/promises';
import { err, ok, type Result } from 'neverthrow';
import { Agent, type Dispatcher } from 'undici';
import type { Clock } from '../http/clock.js';
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
}

export interface CassetteSession {
  readonly mode: VcrMode;
  readonly path: string;
  /** Inject this into the engine (with the same clock). */
  readonly dispatcher: Dispatcher;
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

/** Opens a cassette session in the mode the options and environment select. */
export async function openCassette(path: string, options: CassetteOptions = {}): Promise<Result<CassetteSession, VcrError>> {
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
 * Runs `fn` with a cassette session and finishes it: the result of `fn`, or the first error
 * (cassette unreadable, `fn` threw, cassette not saved, exchanges unplayed). When `fn` throws,
 * nothing is saved.
 */
export async function withCassette<T>(
  path: string,
  options: CassetteOptions,
  fn: (session: CassetteSession) => T | Promise<T>,
): Promise<Result<T, VcrError>> {
  const opened = await openCassette(path, options);
  if (opened.isErr()) return err(opened.error);
  const session = opened.value;
  let value: T;
  try {
    value = await fn(session);
  } catch (cause) {
    await session.discard();
    const message = cause instanceof Error ? cause.message : String(cause);
    return err(vcrError('callback', `${path}: the function given to withCassette failed: ${message}`, { file: path, cause }));
  }
  const finished = await session.finish();
  return finished.map(() => value);
}
