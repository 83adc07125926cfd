import type { Buffer } from 'node:buffer';
import type { Provider } from '../../../src/providers/provider.js';
import { chunk, type Chunking } from './chunk.js';
import { Observed } from './contract.js';
import { CASE_HEADER, ScriptDispatcher } from './dispatcher.js';
import type { FuzzTarget } from './target.js';

export interface Transfer {
  readonly key: string;
  readonly streaming: boolean;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly bytes: Buffer;
  readonly chunking: Chunking;
  readonly end: 'ok' | 'reset';
}

export interface BatchResult {
  readonly observed: ReadonlyMap<string, Observed>;
  /** Exceptions that reached the host from an engine call, and start calls that failed. */
  readonly hostErrors: readonly string[];
  /** Set when the loop stopped making progress before every request completed. */
  readonly stalled: boolean;
}

/** Turns of the host loop without any event or completion before the run counts as stalled. */
const STALL_TURNS = 2_000;

/**
 * Runs every transfer concurrently on one provider through the README's host loop (pump,
 * deliver completions, wait for the engine's next deadline), then cleanup().
 */
export async function runBatch(target: FuzzTarget, transfers: readonly Transfer[]): Promise<BatchResult> {
  const dispatcher = new ScriptDispatcher();
  const provider = target.provider(dispatcher);
  const observed = new Map<string, Observed>();
  const hostErrors: string[] = [];
  let inPerform = false;
  let inInfoRead = false;
  let progress = 0;
  for (const transfer of transfers) {
    dispatcher.add(transfer.key, { status: transfer.status, headers: transfer.headers, chunks: chunk(transfer.bytes, transfer.chunking), end: transfer.end });
    const seen = new Observed();
    observed.set(transfer.key, seen);
    const request = target.request(transfer.streaming, { [CASE_HEADER]: transfer.key });
    const onComplete = (result: Observed['completions'][number]): void => {
      if (!inInfoRead) seen.misplaced++;
      progress++;
      seen.completions.push(result);
    };
    const started = transfer.streaming
      ? provider.startStream(
          request,
          (event) => {
            if (!inPerform) seen.misplaced++;
            progress++;
            seen.events.push(event);
          },
          onComplete,
        )
      : provider.startRequest(request, onComplete);
    if (started.isErr()) hostErrors.push(`${transfer.key}: start failed: ${started.error.message}`);
  }
  const stalled = await hostLoop(provider, hostErrors, () => progress + dispatcher.deliveries, {
    enterPerform: (on) => (inPerform = on),
    enterInfoRead: (on) => (inInfoRead = on),
  });
  await guarded(hostErrors, 'cleanup()', () => provider.cleanup());
  inInfoRead = true;
  guard(hostErrors, 'infoRead() after cleanup()', () => provider.infoRead());
  return { observed, hostErrors, stalled };
}

interface Phases {
  enterPerform(on: boolean): void;
  enterInfoRead(on: boolean): void;
}

async function hostLoop(provider: Provider, hostErrors: string[], progress: () => number, phases: Phases): Promise<boolean> {
  let idleTurns = 0;
  let last = progress();
  for (;;) {
    phases.enterPerform(true);
    const running = guard(hostErrors, 'perform()', () => provider.perform()) ?? 0;
    phases.enterPerform(false);
    phases.enterInfoRead(true);
    guard(hostErrors, 'infoRead()', () => provider.infoRead());
    phases.enterInfoRead(false);
    if (running === 0 && provider.multi.pendingCompletions === 0) return false;
    if (hostErrors.length > 20) return true;
    const now = progress();
    idleTurns = now === last ? idleTurns + 1 : 0;
    last = now;
    if (idleTurns > STALL_TURNS) return true;
    const wait = guard(hostErrors, 'timeout()', () => provider.timeout()) ?? 0;
    if (await waitOrStall(provider, hostErrors, wait)) return true;
  }
}

/**
 * Every script ends by itself, so a wait that nothing wakes is a lost wake-up: the watchdog
 * turns that hang into a reported stall instead of a test timeout. It never fires when the
 * engine works, so no result depends on its length.
 */
const WATCHDOG_MS = 20_000;

async function waitOrStall(provider: Provider, hostErrors: string[], ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<'stalled'>((resolve) => {
    timer = setTimeout(() => resolve('stalled'), WATCHDOG_MS);
  });
  try {
    return (await Promise.race([provider.wait(ms), watchdog])) === 'stalled';
  } catch (error) {
    hostErrors.push(`wait() rejected: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function guard<T>(hostErrors: string[], what: string, call: () => T): T | undefined {
  try {
    return call();
  } catch (error) {
    hostErrors.push(`${what} threw: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return undefined;
  }
}

async function guarded(hostErrors: string[], what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    hostErrors.push(`${what} rejected: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
}
