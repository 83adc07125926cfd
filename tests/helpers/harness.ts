import type { Result } from 'neverthrow';
import type { ProviderError } from '../../src/errors/category.js';
import type { HttpMultiOptions } from '../../src/http/multi.js';
import type { RequestHandle } from '../../src/http/types.js';
import { EngineProvider, type Provider } from '../../src/providers/provider.js';
import type { ChatRequest, ChatResponse, StreamEvent } from '../../src/providers/types.js';
import { fakeAdapter } from './fake-adapter.js';

export interface Recorded {
  readonly events: StreamEvent[];
  readonly completions: Result<ChatResponse, ProviderError>[];
  readonly handle: RequestHandle;
}

export const HELLO: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };

export function fakeProvider(baseUrl: string, engine: HttpMultiOptions = {}): EngineProvider {
  return new EngineProvider(fakeAdapter(baseUrl), { engine });
}

/** Starts a stream and records everything its callbacks receive. */
export function record(provider: Provider, request: ChatRequest = HELLO): Recorded {
  const events: StreamEvent[] = [];
  const completions: Result<ChatResponse, ProviderError>[] = [];
  const started = provider.startStream(
    request,
    (event) => events.push(event),
    (result) => completions.push(result),
  );
  if (started.isErr()) throw new Error(`start failed: ${started.error.message}`);
  return { events, completions, handle: started.value };
}

/** Pumps on real I/O until `done()` holds; the virtual clock (if any) is left alone. */
export async function pumpUntil(provider: Provider, done: () => boolean): Promise<void> {
  for (;;) {
    provider.perform();
    provider.infoRead();
    if (done()) return;
    await provider.wait(-1);
  }
}

/** Lets pending I/O callbacks run without advancing any clock. */
export function ioTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function eventTypes(events: readonly StreamEvent[]): string[] {
  return events.map((event) => event.type);
}
