import type { Dispatcher } from 'undici';
import type { Provider } from '../../../src/providers/provider.js';
import type { ChatRequest, ToolCall } from '../../../src/providers/types.js';
import type { Rng } from './rng.js';

/**
 * A JSON value as a generator builds it. A `Raw` leaf is written out verbatim, for what
 * JSON.stringify cannot produce or would choke on: 1e400, 7,000 nested arrays.
 */
export type Json = null | boolean | number | string | Raw | readonly Json[] | { readonly [key: string]: Json };

export class Raw {
  constructor(readonly text: string) {}
}

/** One SSE event before framing: its `event:` name and its data, a JSON value or a literal line such as `[DONE]`. */
export interface LogicalEvent {
  readonly event?: string;
  readonly data: Json | Literal;
}

export class Literal {
  constructor(readonly text: string) {}
}

/** What a valid (unmutated) case must produce. */
export interface Expected {
  readonly text: string;
  readonly toolCalls: readonly Pick<ToolCall, 'name' | 'arguments'>[];
}

export type Generated =
  | { readonly streaming: true; readonly events: LogicalEvent[]; readonly expected: Expected }
  | { readonly streaming: false; readonly body: Json; readonly expected: Expected };

/**
 * What the fuzz needs of one provider API. Anthropic and Gemini plug in by adding one of
 * these to TARGETS (targets.ts); nothing else in the suite names a provider.
 */
export interface FuzzTarget {
  /** Stable: it is part of a replayable case name. */
  readonly name: string;
  /** A provider whose engine sends every request to `dispatcher` and retries nothing. */
  provider(dispatcher: Dispatcher): Provider;
  /** The request for one case; `caseHeaders` must be sent as they are (the dispatcher routes on them). */
  request(streaming: boolean, caseHeaders: Readonly<Record<string, string>>): ChatRequest;
  /** A valid stream or body, as the real API sends it. */
  generate(rng: Rng, streaming: boolean): Generated;
  /** Whether the stream's bytes hold the event that ends it normally: a success without it is a contract break. */
  hasTerminal(body: string): boolean;
}
