/** `--record FILE` / `--replay FILE`: a VCR session whose dispatcher the engine uses. */
import { err, ok, type Result } from 'neverthrow';
import type { Dispatcher } from 'undici';
import { openCassette } from '../vcr/with-cassette.js';
import type { ChatOptions } from './args.js';

export interface CassetteUse {
  readonly mode: 'record' | 'replay';
  readonly dispatcher: Dispatcher;
  /** Replay: the exchanges in the cassette, so retries go no further than it recorded. */
  readonly exchanges?: number;
  /** Saves (record) or releases (replay); a message when that failed. */
  finish(): Promise<string | undefined>;
}

/** Opens the cassette the options name, if any. Errors are one line for a person. */
export async function openCassetteFor(options: Pick<ChatOptions, 'record' | 'replay' | 'speed' | 'faults'>): Promise<Result<CassetteUse | undefined, string>> {
  const path = options.replay ?? options.record;
  if (path === undefined) return ok(undefined);
  const mode = options.replay !== undefined ? 'replay' : 'record';
  // Faults only ever come with --replay (args.ts refuses them otherwise); recording ignores them.
  const faults = options.faults === undefined ? {} : { faults: options.faults };
  const opened = await openCassette(path, { mode, speed: options.speed, allowUnused: true, env: {}, ...faults });
  if (opened.isErr()) return err(`cassette: ${opened.error.message}`);
  const session = opened.value;
  return ok({
    mode,
    dispatcher: session.dispatcher,
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
