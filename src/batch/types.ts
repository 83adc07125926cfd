// The batch layer's shared vocabulary: one input line, one result record, the manifest beside
// the output. The live lane (requests through an engine) and the Batch API lane (the
// providers' own batch endpoints) write the same records, so a job can move between lanes and
// `merge` / `--resume` read either. Everything here is plain JSON: a record written, read back
// and written again is byte-identical.
import type { ErrorCategory } from '../errors/category.js';
import type { ChatRequest, ChatResponse, Usage } from '../providers/types.js';

/** Which engine produced a record. */
export type BatchLane = 'live' | 'batch-api';

/** One request of a job, after parsing and validation of its input line. */
export interface BatchItem {
  /** The caller's id (`id`, or `custom_id` in an OpenAI Batch-style line); unique in the input. */
  readonly id: string;
  /** 1-based line number in the input file, for messages a person can act on. */
  readonly line: number;
  readonly provider: string;
  /** The model the request runs on (the line's `model`, else the request's, else the provider default). */
  readonly model: string;
  readonly request: ChatRequest;
  /** `requestKey(provider, request, model)`: what `--resume` compares. */
  readonly key: string;
}

/**
 * Why a record failed. The categories are the engine's, plus `invalid_input` for a line that
 * never became a request (malformed JSON, a missing id, an unknown provider, a request that
 * fails validation).
 */
export interface BatchError {
  readonly category: ErrorCategory | 'invalid_input';
  readonly message: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  readonly httpStatus: number | null;
}

/** One line of the output file. */
export interface BatchRecord {
  readonly id: string;
  /** The request key; null for a line that never parsed far enough to have one. */
  readonly key: string | null;
  readonly ok: boolean;
  readonly response?: ChatResponse;
  readonly error?: BatchError;
  readonly provider: string | null;
  readonly model: string | null;
  readonly usage: Usage | null;
  /** US dollars, from the price table; null when the model's price is unknown (never 0 for unknown). */
  readonly cost: number | null;
  readonly attempts: number;
  readonly requestId: string | null;
  /** ISO 8601 time the request was first sent; null for an input error. */
  readonly startedAt: string | null;
  /** Milliseconds from first send to completion on the engine clock; null for an input error. */
  readonly ms: number | null;
  readonly lane: BatchLane;
  /** 1-based input line; null when the record came from a merge of shards that lost it. */
  readonly line: number | null;
}

/** A provider Batch API job this run submitted, so a restart polls it instead of resubmitting. */
export interface SubmittedBatch {
  readonly provider: string;
  /** The provider's batch id (`batch_...`, `msgbatch_...`, `batches/...`). */
  readonly batchId: string;
  /** The ids of the items in this batch, in input order. */
  readonly ids: readonly string[];
  /** OpenAI's uploaded input file id, when there is one. */
  readonly inputFileId: string | null;
  readonly submittedAt: string;
  /** Last status seen: the provider's own word (`in_progress`, `ended`, `JOB_STATE_SUCCEEDED`). */
  readonly status: string;
  /** True once its results are written to the output. */
  readonly collected: boolean;
}

/** `OUT.jsonl.manifest.json`: rewritten atomically (write + rename) at each checkpoint. */
export interface BatchManifest {
  readonly version: 1;
  readonly input: { readonly path: string; readonly sha256: string; readonly lines: number };
  readonly output: string;
  readonly lane: BatchLane;
  /** The options that change results (provider, model, stream, shard, prices); not concurrency. */
  readonly options: Readonly<Record<string, string | number | boolean | null>>;
  readonly counts: { readonly ok: number; readonly failed: number; readonly invalid: number };
  readonly batches: readonly SubmittedBatch[];
  readonly startedAt: string;
  readonly updatedAt: string;
  /** True when every input id has a record. */
  readonly complete: boolean;
}

/** Prices a usage breakdown; null when the model is unknown. `batch` applies the Batch API discount. */
export type PriceFn = (provider: string, model: string, usage: Usage | null, options: { readonly batch: boolean }) => number | null;
