/** `--record FILE` / `--replay FILE`: a VCR session whose dispatcher the engine uses. */
import { statSync } from 'node:fs';
import { err, ok, type Result } from 'neverthrow';
import type { Dispatcher } from 'undici';
import type { Clock } from '../http/clock.js';
import { ScaledClock } from '../http/scaled-clock.js';
import { openCassette } from '../vcr/with-cassette.js';
import type { ChatOptions } from './args.js';

export interface CassetteUse {
  readonly mode: 'record' | 'replay';
  readonly dispatcher: Dispatcher;
  /** Replay: the clock engine and cassette share, so retries and timeouts run at the replay's pace. */
  readonly clock?: Clock;
  /** Replay: the exchanges in the cassette, so retries go no further than it recorded. */
  readonly exchanges?: number;
  /** Saves (record) or releases (replay); a message when that failed. */
  finish(): Promise<string | undefined>;
}

/** Opens the cassette the options name, if any. Errors are one line for a person. */
export async function openCassetteFor(
  options: Pick<ChatOptions, 'record' | 'replay' | 'speed' | 'faults' | 'force'>,
): Promise<Result<CassetteUse | undefined, string>> {
  const path = options.replay ?? options.record;
  if (path === undefined) return ok(undefined);
  const mode = options.replay !== undefined ? 'replay' : 'record';
  if (mode === 'record' && options.force !== true && statSync(path, { throwIfNoEntry: false })?.isFile() === true) {
    return err(`cassette: ${path} already exists; pass --force to overwrite it, or record to another file`);
  }
  // Faults only ever come with --replay (args.ts refuses them otherwise); recording ignores them.
  const faults = options.faults === undefined ? {} : { faults: options.faults };
  // One clock for the cassette and the engine: at --speed instant a recorded retry-after
  // costs no real time, and at --speed 2 the backoff halves along with the pacing.
  const clock = mode === 'replay' ? new ScaledClock(replayPace(options.speed)) : undefined;
  const opened = await openCassette(path, {
    mode,
    speed: clock === undefined ? options.speed : 'recorded',
    allowUnused: true,
    env: {},
    ...(clock === undefined ? {} : { clock }),
    ...faults,
  });
  if (opened.isErr()) {
    // The library's message names LLMUX_VCR; on the command line the way to record is a flag.
    if (opened.error.kind === 'not_found') return err(`cassette: ${path} does not exist; record it first with --record ${path}`);
    return err(`cassette: ${opened.error.message}`);
  }
  const session = opened.value;
  return ok({
    mode,
    dispatcher: session.dispatcher,
    ...(clock === undefined ? {} : { clock }),
    ...(session.replay === undefined ? {} : { exchanges: session.replay.unusedExchanges().length }),
    async finish() {
      if (session.recorder !== undefined && session.recorder.exchanges().length === 0) {
        // Nothing went out (the request was refused before sending): no empty cassette.
        await session.discard();
        return undefined;
      }
      const finished = await session.finish();
      return finished.isErr() ? `cassette: ${finished.error.message}` : undefined;
    },
  });
}

function replayPace(speed: ChatOptions['speed']): number | 'instant' {
  if (speed === 'instant') return 'instant';
  return typeof speed === 'number' ? speed : 1;
}
