// The public surface of `llmux`: providers, the engine, errors and types. Cassettes, record
// and replay dispatchers, faults and test helpers are `llmux/vcr` (src/vcr.ts).
// Result, ok and err are neverthrow's, re-exported so a user need not depend on it.
export { Result, ok, err, type Ok, type Err } from 'neverthrow';
export type { ErrorCategory, ProviderError, TimeoutPhase } from './errors/category.js';
export { providerError } from './errors/category.js';
export { categoryForStatus, classifyNetworkCode, isRetryableStatus } from './errors/http-status.js';
export { hintFor } from './errors/hints.js';
export { parseRetryAfter } from './http/headers.js';

export { RealClock, VirtualClock, type Clock, type TimerId } from './http/clock.js';
export { HttpMulti, DEFAULT_TIMEOUTS, type HttpMultiOptions } from './http/multi.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './http/retry-policy.js';
export { DispatchFailure } from './http/dispatch-failure.js';
export type { RequestHandle, RetryInfo, TransferRequest, TransferSink, TransferOutcome, TransferOptions, HeaderRecord } from './http/types.js';

export { SseDecoder, DEFAULT_SSE_LIMITS, type SseLimits } from './sse/decoder.js';

export type * from './providers/types.js';
export { NO_USAGE } from './providers/types.js';
export type { ProviderAdapter, StreamParser, PreparedRequest, SseEvent, Emit, RequestMode } from './providers/adapter.js';
export { requestKey, toWorkerOutcome, type WorkerOutcome } from './providers/worker.js';
export { createFallback, type FallbackOptions, type FallbackTarget } from './providers/fallback.js';
export {
  EngineProvider,
  type ChatStream,
  type CompleteOptions,
  type CompletionHandler,
  type Provider,
  type ProviderOptions,
  type StreamEventHandler,
  type StreamOptions,
} from './providers/provider.js';
export { parseToolArguments } from './providers/tool-arguments.js';
export { parseStructuredOutput } from './providers/structured-output.js';
export { createOpenAIAdapter, type OpenAIAdapterOptions } from './providers/openai/adapter.js';
export { DEFAULT_OPENAI_MODEL, RECOMMENDED_MODELS, type OpenAIApi } from './providers/openai/models.js';
export {
  createProvider,
  createOpenAI,
  createAnthropic,
  createGemini,
  PROVIDER_NAMES,
  type ProviderName,
  type OpenAIProviderOptions,
  type AnthropicProviderOptions,
  type GeminiProviderOptions,
} from './providers/factory.js';
export { createAnthropicAdapter, type AnthropicAdapterOptions } from './providers/anthropic/adapter.js';
export { ANTHROPIC_MODELS, DEFAULT_ANTHROPIC_MODEL, type AnthropicModel } from './providers/anthropic/models.js';
export { createGeminiAdapter } from './providers/gemini/adapter.js';
export type { GeminiAdapterOptions, VertexOptions } from './providers/gemini/config.js';
export { DEFAULT_GEMINI_MODEL, GEMINI_MODELS } from './providers/gemini/models.js';
export { providerDefinition, providerNames, registerProvider, type ProviderOptionsFor } from './providers/registry.js';
export { defineProvider, type CommonAdapterOptions, type ProviderDefinition } from './providers/definition.js';
export { pickResponseHeaders, requestIdOf, RESPONSE_HEADER_PATTERN } from './providers/response-meta.js';

export { throttleMessage, type BucketSnapshot, type GovernorOptions, type RateLimitConfig, type RateTicket, type ThrottleInfo, type ThrottleReason, type WindowSnapshot } from './http/governor/types.js';
export { InProcessLeaseSource, type LeaseSource } from './http/governor/lease.js';
export type { Dimension } from './http/governor/rate-headers.js';
export type { BreakerOptions, CircuitSnapshot, CircuitState } from './http/breaker.js';

export { runBatch, startBatch, DEFAULT_CONCURRENCY, type RunBatchOptions, type BatchRun, type BatchSummary, type BatchOutcome } from './batch/runner.js';
export type { BatchItem, BatchRecord, BatchError, BatchManifest, BatchLane, SubmittedBatch, PriceFn } from './batch/types.js';
export type { BatchFailure, BatchFailureKind } from './batch/errors.js';
export type { ProgressSnapshot, Tally } from './batch/progress.js';
export type { Shard } from './batch/shard.js';
export { parseShard, shardOf } from './batch/shard.js';
export { mergeOutputs, type MergeResult } from './batch/merge.js';
export { runBatchApi, type BatchApiOptions, type BatchApiSummary, type PollSchedule } from './batch/api/run.js';
export type { BatchLimits } from './batch/api/types.js';
export { createPriceTable, defaultPriceTable, priceTableFromFile, priceUsage, formatCost, type PriceTable, type CostBreakdown, type PriceOptions } from './providers/pricing/index.js';
