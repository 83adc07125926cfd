import type { Dimension } from './rate-headers.js';
import type { LeaseSource } from './lease.js';

/**
 * What a provider tells the engine about a request so the governor can bucket and cost it:
 * the bucket is (provider, origin, keyId, model); `keyId` is a hash of the credential, never
 * the credential itself.
 */
export interface RateTicket {
  readonly provider: string;
  readonly model: string;
  readonly keyId: string;
  /** Estimated input tokens (the serialized body's length / 4; no tokenizer). */
  readonly inputTokens: number;
  /** The output cap reserved: `maxOutputTokens`, or the provider's per-model default. */
  readonly outputTokens: number;
  /** Set when the request has prompt-cache breakpoints: a hash of its cacheable prefix (see CacheGate). */
  readonly cacheKey?: string;
}

/** Configured limits for one model: upper bounds on top of what the headers say. */
export interface RateLimitConfig {
  readonly rpm?: number;
  /** All tokens per minute (OpenAI counts input and output together). */
  readonly tpm?: number;
  readonly inputTpm?: number;
  readonly outputTpm?: number;
}

export interface GovernorOptions {
  /** False turns the governor off: every request is sent as soon as a slot is free (default true). */
  readonly enabled?: boolean;
  /** Per model name. */
  readonly rateLimits?: Readonly<Record<string, RateLimitConfig>>;
  /** Requests a bucket that has seen no limit headers yet may have on the wire (default 4, doubling per answer). */
  readonly slowStart?: number;
  /** Where capacity comes from across processes; the in-process source by default. */
  readonly leaseSource?: LeaseSource;
  /**
   * Prompt-cache gating: requests sharing a cacheable prefix wait until the first of them has
   * its response headers, so the prefix is written once (default false).
   */
  readonly cacheGate?: boolean;
  /** Each decision to hold requests back. */
  readonly onThrottle?: (info: ThrottleInfo) => void;
}

export interface WindowSnapshot {
  readonly limit: number | null;
  readonly remaining: number | null;
  /** Ms until the window is full again; null when unknown. */
  readonly resetInMs: number | null;
}

export interface BucketSnapshot {
  readonly provider: string;
  readonly origin: string;
  readonly model: string;
  readonly keyId: string;
  readonly windows: Readonly<Record<Dimension, WindowSnapshot>>;
  readonly queued: number;
  readonly inFlight: number;
  /** The slow-start or AIMD cap on requests on the wire; null when none applies. */
  readonly concurrency: number | null;
  /** Ms the bucket stays paused after a 429; 0 when it is not. */
  readonly pausedForMs: number;
}

export type ThrottleReason = 'paused' | 'window' | 'slow_start' | 'concurrency' | 'lease';

export interface ThrottleInfo {
  readonly provider: string;
  readonly model: string;
  readonly origin: string;
  readonly reason: ThrottleReason;
  readonly dimension?: Dimension;
  /** Ms until the bucket may send again; undefined when it waits for an answer instead. */
  readonly resumeInMs: number | undefined;
  readonly queued: number;
}

/** "waiting for rate limit (resets in 12 s)", for spinners and progress lines. */
export function throttleMessage(info: Pick<ThrottleInfo, 'resumeInMs'>): string {
  if (info.resumeInMs === undefined) return 'waiting for rate limit';
  return `waiting for rate limit (resets in ${Math.max(1, Math.ceil(info.resumeInMs / 1000))} s)`;
}
