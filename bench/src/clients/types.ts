import type { Api, Kind } from '../wire.js';

/** What a client delivered for one stream; the harness compares it with the generator. */
export interface StreamOutput {
  readonly text: string;
  /** Tool calls by index: name and the concatenated argument deltas. */
  readonly tools: readonly { readonly name: string; readonly arguments: string }[];
  /** Text or argument deltas the client saw (for the events count). */
  readonly deltas: number;
  /** Set when the client reported a failure for this stream. */
  readonly error?: string;
}

export interface RunContext {
  /** http://127.0.0.1:PORT/b/<kind>/<deltas>/<pace>/<coalesce>/v1 (OpenAI clients) */
  readonly baseURL: string;
  /** The same without /v1: Anthropic clients append v1/messages, Gemini clients v1beta/models/... */
  readonly serverURL: string;
  readonly api: Api;
  readonly kind: Kind;
  readonly streams: number;
  /** Streams on the wire at once (the client keeps this many going). */
  readonly concurrency: number;
  /** The client calls this when it starts stream i (before its request goes out). */
  started(stream: number): void;
  /** ...and this exactly once when stream i finished, successfully or not. */
  finished(stream: number, output: StreamOutput): void;
}

export interface BenchClient {
  run(ctx: RunContext): Promise<void>;
}

/** The headers that tell the server which stream to generate. */
export function streamHeaders(stream: number): Record<string, string> {
  return { 'x-bench-stream': String(stream) };
}

export const PROMPT = 'Write a long, detailed answer about streaming engines.';

/** A JSON schema for the tool scenario's two tools (for clients that want definitions). */
export const TOOL_PARAMETERS = {
  type: 'object',
  properties: {
    location: { type: 'string' },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    query: { type: 'string' },
    limit: { type: 'integer' },
  },
  required: ['location', 'unit', 'query', 'limit'],
  additionalProperties: false,
} as const;

export const TOOL_NAMES = ['get_weather', 'search_documents'] as const;

/** Runs fn for streams 0..n-1 with at most `concurrency` at once (for promise-based clients). */
export async function pool(streams: number, concurrency: number, fn: (stream: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < streams) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, streams) }, worker));
}

export function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (cause: ${cause.message})` : error.message;
  }
  return String(error);
}
