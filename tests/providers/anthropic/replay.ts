/** Replays an Anthropic cassette through the real engine (ReplayDispatcher -> HttpMulti -> provider) on a virtual clock. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Result } from 'neverthrow';
import type { ProviderError } from '../../../src/errors/category.js';
import { VirtualClock } from '../../../src/http/clock.js';
import type { RetryInfo } from '../../../src/http/types.js';
import type { Timeouts } from '../../../src/http/types.js';
import { createAnthropic } from '../../../src/providers/factory.js';
import type { ChatRequest, ChatResponse, StreamEvent } from '../../../src/providers/types.js';
import { parseCassette, type Cassette } from '../../../src/vcr/cassette.js';
import { ReplayDispatcher, type ReplaySpeed } from '../../../src/vcr/replay-dispatcher.js';
import { CASSETTE_API_KEY, CASSETTE_CASES } from './cassette-cases.js';
import { ANTHROPIC_FIXTURES } from './helpers.js';

/** Macrotasks with no sign of progress before the virtual clock moves on to its next deadline. */
const QUIET_ROUNDS = 50;

export interface Replayed {
  readonly events: StreamEvent[];
  readonly result: Result<ChatResponse, ProviderError>;
  readonly retries: RetryInfo[];
  /** Exchanges the replay never played. */
  readonly unused: number;
  /** Virtual ms from start to completion. */
  readonly elapsedMs: number;
}

export function loadCassette(name: string): Cassette {
  const parsed = parseCassette(readFileSync(resolve(ANTHROPIC_FIXTURES, `${name}.jsonl`), 'utf8'), name);
  if (parsed.isErr()) throw new Error(parsed.error.message);
  return parsed.value;
}

export interface ReplayOptions {
  readonly speed?: ReplaySpeed;
  readonly timeouts?: Partial<Timeouts>;
  readonly maxRetries?: number;
  readonly request?: ChatRequest;
  readonly mode?: 'stream' | 'request';
}

export async function replayCassette(cassette: Cassette, name: string, options: ReplayOptions = {}): Promise<Replayed> {
  const testCase = CASSETTE_CASES.find((c) => c.name === name);
  const request = options.request ?? testCase?.request;
  if (request === undefined) throw new Error(`no request for ${name}`);
  const clock = new VirtualClock();
  const dispatcher = new ReplayDispatcher(cassette, { clock, speed: options.speed ?? 'instant' });
  const retries: RetryInfo[] = [];
  const provider = createAnthropic({
    apiKey: CASSETTE_API_KEY,
    ...testCase?.options,
    engine: { dispatcher, clock, random: () => 0, onRetry: (info) => retries.push(info), ...(options.timeouts === undefined ? {} : { timeouts: { ...options.timeouts } }) },
  });
  const events: StreamEvent[] = [];
  let result: Result<ChatResponse, ProviderError> | undefined;
  const withRetries = options.maxRetries === undefined ? request : { ...request, maxRetries: options.maxRetries };
  const mode = options.mode ?? testCase?.mode ?? 'stream';
  const started =
    mode === 'stream'
      ? provider.startStream(withRetries, (event) => events.push(event), (r) => (result = r))
      : provider.startRequest(withRetries, (r) => (result = r));
  if (started.isErr()) throw new Error(started.error.message);
  // Replayed steps run one per macrotask, and an error body's chunks are buffered by the
  // engine without a visible sign: only a long quiet spell means everyone waits on the clock.
  let quiet = 0;
  let seen = -1;
  for (let turn = 0; result === undefined; turn++) {
    if (turn > 1_000_000) throw new Error('replay did not finish');
    provider.perform();
    provider.infoRead();
    if (result !== undefined) break;
    await new Promise((done) => setImmediate(done));
    const busy = provider.timeout() === 0 || events.length !== seen;
    seen = events.length;
    quiet = busy ? 0 : quiet + 1;
    const next = clock.nextDeadline();
    if (quiet >= QUIET_ROUNDS && next !== undefined) {
      clock.advance(Math.max(0, next - clock.now()));
      quiet = 0;
    }
  }
  const elapsedMs = clock.now();
  await provider.cleanup();
  return { events, result, retries, unused: dispatcher.unusedExchanges().length, elapsedMs };
}
