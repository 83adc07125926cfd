import { err } from 'neverthrow';
import type { RequestHandle } from '../../../src/http/types.js';
import { createOpenAI } from '../../../src/providers/factory.js';
import type { Provider } from '../../../src/providers/provider.js';
import { BEHAVIOR_HEADER, BEHAVIORS, ID_HEADER, type Behavior } from './chaos-server.js';
import { contractBreaks, Observed } from './contract.js';
import { Rng } from './rng.js';

export type Mode = 'host-loop' | 'run' | 'auto-pump' | 'cleanup-mid-run';

/** What the host does to one request besides starting it. */
type Plan = 'none' | 'cancel-from-loop' | 'cancel-in-event' | 'throw-in-event';

interface Tracked {
  readonly id: string;
  readonly behavior: Behavior;
  readonly plan: Plan;
  readonly seen: Observed;
  handle: RequestHandle | undefined;
  /** cancel() said true: the completion must be `cancelled`, and no event may follow. */
  cancelled: boolean;
  eventsAtCancel: number;
  /** The type of the event whose callback threw, if one did. */
  threwOn: string | undefined;
}

export interface WaveResult {
  readonly requests: number;
  readonly mismatches: readonly string[];
  readonly outcomes: ReadonlyMap<string, number>;
}

/** Engine settings that keep a wave short: tiny backoff, server waits honoured up to 60 s (a 120 s one ends the request). */
export function chaosProvider(baseUrl: string): Provider {
  return createOpenAI({
    apiKey: 'sk-chaos',
    baseURL: `${baseUrl}/v1`,
    sseLimits: { maxLineLength: 64 * 1024, maxEventLength: 128 * 1024 },
    engine: {
      maxInFlight: 96,
      maxRetries: 2,
      retryPolicy: { baseDelayMs: 1, maxDelayMs: 4, maxRetryAfterMs: 60_000, jitter: 0.25 },
      timeouts: { connectMs: 30_000, headersMs: 30_000, idleMs: 30_000, totalMs: 0 },
    },
  });
}

const PLANS: readonly Plan[] = ['none', 'none', 'none', 'none', 'none', 'none', 'cancel-from-loop', 'cancel-in-event', 'throw-in-event'];

function start(provider: Provider, rng: Rng, id: string, counters: { inPerform: boolean; inInfoRead: boolean }): Tracked {
  const behavior = rng.pick(BEHAVIORS);
  const plan = behavior.streaming ? rng.pick(PLANS) : rng.pick(PLANS.filter((p) => !p.endsWith('event')));
  const tracked: Tracked = { id, behavior, plan, seen: new Observed(), handle: undefined, cancelled: false, eventsAtCancel: 0, threwOn: undefined };
  const request = {
    // The governor is on. '429-long-wait' answers Retry-After: 120, past maxRetryAfterMs: its
    // bucket then fails every request fast for two minutes, which is right for the account
    // that said so, so that behaviour has a model (a bucket) of its own.
    model: behavior.name === '429-long-wait' ? 'gpt-4o-mini-long-wait' : 'gpt-4o-mini',
    api: 'chat',
    messages: [{ role: 'user' as const, content: 'chaos' }],
    extraHeaders: { [BEHAVIOR_HEADER]: behavior.name, [ID_HEADER]: id },
    ...(behavior.timeouts === undefined ? {} : { timeouts: behavior.timeouts }),
  };
  const onComplete = (result: Observed['completions'][number]): void => {
    if (!counters.inInfoRead) tracked.seen.misplaced++;
    tracked.seen.completions.push(result);
  };
  const started = behavior.streaming
    ? provider.startStream(
        request,
        (event) => {
          if (!counters.inPerform) tracked.seen.misplaced++;
          tracked.seen.events.push(event);
          if (plan === 'cancel-in-event' && !tracked.cancelled && tracked.handle !== undefined) cancel(provider, tracked);
          if (plan === 'throw-in-event' && tracked.threwOn === undefined) {
            tracked.threwOn = event.type;
            throw new Error('the host callback failed');
          }
        },
        onComplete,
      )
    : provider.startRequest(request, onComplete);
  if (started.isOk()) tracked.handle = started.value;
  else tracked.seen.completions.push(err(started.error));
  return tracked;
}

function cancel(provider: Provider, tracked: Tracked): void {
  if (tracked.handle === undefined || tracked.cancelled) return;
  tracked.eventsAtCancel = tracked.seen.events.length;
  tracked.cancelled = provider.cancel(tracked.handle);
}

function mismatches(tracked: Tracked, cleanedUp: boolean): string[] {
  const { seen, behavior } = tracked;
  const where = `${tracked.id} (${behavior.name}, ${tracked.plan})`;
  const threw = tracked.threwOn !== undefined;
  const out = contractBreaks(seen, { streaming: behavior.streaming, mayTerminate: true, cancelled: tracked.cancelled, callbackThrew: threw }).map((line) => `${where}: ${line}`);
  if (tracked.cancelled && seen.events.length > tracked.eventsAtCancel) out.push(`${where}: ${seen.events.length - tracked.eventsAtCancel} events after cancel()`);
  const result = seen.completions[0];
  if (result === undefined || tracked.cancelled) return out;
  const got = result.isOk() ? 'ok' : result.error.category;
  if (cleanedUp && got === 'cancelled') return out;
  // A throw on the terminal event changes nothing; one on any earlier event stops the request as `unknown`.
  if (threw && tracked.threwOn !== 'done' && tracked.threwOn !== 'error') {
    if (got !== 'unknown') out.push(`${where}: onEvent threw on ${tracked.threwOn}, but the completion is ${got}, not unknown`);
    return out;
  }
  if (!behavior.expect.includes(got)) out.push(`${where}: completed ${got}${result.isErr() ? ` (${result.error.message})` : ''}, expected ${behavior.expect.join(' or ')}`);
  return out;
}

const WATCHDOG_MS = 30_000;

/** Resolves true when `done()` holds, false if the watchdog fired first: a lost wake-up reported, not a hung test. */
async function until(done: () => boolean, step: () => Promise<void>): Promise<boolean> {
  const deadline = Date.now() + WATCHDOG_MS;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await step();
  }
  return true;
}

function ioTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * One wave of `count` requests with random behaviours and host actions, driven the way
 * `mode` says, then cleanup(). Every request is checked against the contract and its
 * behaviour's expected outcome.
 */
export async function chaosWave(baseUrl: string, mode: Mode, count: number, seed: number): Promise<WaveResult> {
  const provider = chaosProvider(baseUrl);
  const rng = new Rng(seed);
  const phase = { inPerform: false, inInfoRead: false };
  const tracked = Array.from({ length: count }, (_, i) => start(provider, rng, `${mode}-${seed}-${i}`, phase));
  const problems: string[] = [];
  const completed = (): number => tracked.filter((entry) => entry.seen.completions.length > 0).length;
  const cancelSome = (): void => {
    for (const entry of tracked) if (entry.plan === 'cancel-from-loop' && !entry.cancelled && rng.chance(0.2)) cancel(provider, entry);
  };
  const pump = (): number => {
    phase.inPerform = true;
    let running = 0;
    try {
      running = provider.perform();
    } catch (error) {
      problems.push(`perform() threw: ${String(error)}`);
    }
    phase.inPerform = false;
    phase.inInfoRead = true;
    try {
      provider.infoRead();
    } catch (error) {
      problems.push(`infoRead() threw: ${String(error)}`);
    }
    phase.inInfoRead = false;
    return running;
  };

  let finished = true;
  if (mode === 'host-loop' || mode === 'cleanup-mid-run') {
    // The README loop, as written, plus the host's own cancels between turns.
    const stopAt = mode === 'cleanup-mid-run' ? Math.floor(count / 3) : count;
    finished = await until(
      () => completed() >= stopAt && (mode === 'cleanup-mid-run' || provider.multi.pendingCompletions === 0),
      async () => {
        const running = pump();
        cancelSome();
        if (running === 0 && provider.multi.pendingCompletions === 0) return;
        await provider.wait(provider.timeout());
      },
    );
    if (mode === 'cleanup-mid-run') finished = true;
  } else if (mode === 'run') {
    phase.inPerform = true; // run() may deliver either kind of callback
    phase.inInfoRead = true;
    const monkey = setInterval(cancelSome, 1);
    try {
      await provider.run();
    } catch (error) {
      problems.push(`run() rejected: ${String(error)}`);
    }
    clearInterval(monkey);
    finished = completed() === count;
  } else {
    phase.inPerform = true; // autoPump calls perform() and infoRead() on its own
    phase.inInfoRead = true;
    const stop = provider.multi.autoPump();
    finished = await until(() => completed() === count, async () => {
      cancelSome();
      await ioTurn();
    });
    stop();
  }
  if (!finished) problems.push(`${mode}: ${count - completed()} requests never completed (the engine stopped pumping)`);

  phase.inInfoRead = true;
  try {
    await provider.cleanup();
    provider.infoRead();
  } catch (error) {
    problems.push(`cleanup() failed: ${String(error)}`);
  }
  const outcomes = new Map<string, number>();
  for (const entry of tracked) {
    for (const line of mismatches(entry, mode === 'cleanup-mid-run')) problems.push(line);
    const result = entry.seen.completions[0];
    const key = `${entry.behavior.name} -> ${result === undefined ? 'none' : result.isOk() ? 'ok' : result.error.category}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  return { requests: count, mismatches: problems, outcomes };
}
