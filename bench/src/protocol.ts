// What the driver and a client child exchange.
import type { Api, Kind } from './wire.js';

export const CLIENTS = ['floor', 'llmux-run', 'llmux-host', 'llmux-host-timeout', 'llmux-auto', 'llmux-complete', 'llmux-stream', 'openai', 'ai-sdk', 'anthropic-sdk', 'genai'] as const;
export type ClientName = (typeof CLIENTS)[number];

export interface HarnessConfig {
  readonly client: ClientName;
  readonly port: number;
  readonly api: Api;
  readonly kind: Kind;
  readonly deltas: number;
  readonly paceMs: number;
  readonly coalesce: number;
  readonly streams: number;
  readonly concurrency: number;
  /** Streams run (and verified) before the measurement, so lazy loading is not measured. */
  readonly warmupStreams: number;
}

/** Events a request delivers: its deltas, or one for a whole (non-streaming) answer. */
export function eventsPerStream(config: Pick<HarnessConfig, 'kind' | 'deltas'>): number {
  return config.kind === 'whole' ? 1 : config.deltas;
}

export interface HarnessResult {
  readonly client: ClientName;
  readonly ok: boolean;
  /** Why the run is not ok: a crash, or the first verification failures. */
  readonly failure?: string;
  readonly streams: number;
  readonly verified: number;
  readonly mismatched: number;
  readonly errored: number;
  /** Deltas the server sent (streams x deltas) and the client reported seeing. */
  readonly expectedEvents: number;
  readonly seenEvents: number;
  readonly wallMs: number;
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
  readonly baselineRssBytes: number;
  readonly peakRssBytes: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Event-loop delay p99 during the run (perf_hooks.monitorEventLoopDelay, 10 ms resolution). */
  readonly loopDelayP99Ms: number;
  readonly fdLimit: string;
}

