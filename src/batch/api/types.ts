// The Batch API lane's vocabulary: an item prepared for the wire, a group that becomes one
// provider batch, and what each provider's protocol module does with them.
import type { Result } from 'neverthrow';
import type { ProviderError } from '../../errors/category.js';
import type { PreparedRequest } from '../../providers/adapter.js';
import type { BatchItem, SubmittedBatch } from '../types.js';
import type { WireContext } from './wire.js';

/** An input item serialized by its provider's adapter, exactly as the live lane would send it. */
export interface PreparedItem {
  readonly item: BatchItem;
  readonly prepared: PreparedRequest;
  /** The wire body, parsed: what goes into the batch for this request. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** The provider's per-batch limits. */
export interface BatchLimits {
  readonly maxRequests: number;
  /** Bytes of the serialized batch (the upload file or the create body). */
  readonly maxBytes: number;
}

/** Where the provider's API lives and how to authenticate, taken from a prepared request. */
export interface Endpoint {
  /** The API root: `https://api.openai.com/v1`, `https://api.anthropic.com/v1/messages`, `.../v1beta`. */
  readonly base: string;
  /** The query every URL under it carries (`?api-version=...`), or empty. */
  readonly query: string;
  /** The auth and version headers of the prepared request, without its content type. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface ProtocolContext extends WireContext {
  readonly endpoint: Endpoint;
}

/** How one request of a batch ended, before the adapter parses it. */
export type ItemOutcome =
  /** A 2xx answer: the body the non-streaming endpoint would have returned. */
  | { readonly kind: 'body'; readonly body: string; readonly requestId: string | null }
  | { readonly kind: 'error'; readonly error: ProviderError; readonly requestId: string | null };

/** A poll's view of a batch: the provider's own word, and whether it will change again. */
export interface BatchStatus {
  readonly status: string;
  /** No further change: results (if any) can be collected. */
  readonly ended: boolean;
  /** What collect needs from the poll (file ids, the results URL, inlined responses). */
  readonly detail: Readonly<Record<string, unknown>>;
}

/** One provider's Batch API. Each call is one or two raw exchanges; none throws. */
export interface BatchProtocol {
  readonly provider: string;
  readonly limits: BatchLimits;
  /** Requests of one batch must share this (OpenAI: endpoint and model; Gemini: model). */
  groupKey(item: PreparedItem): string;
  /** The bytes this item adds to its batch, for splitting within `maxBytes`. */
  size(customId: string, item: PreparedItem): number;
  /** The API root and headers from one prepared request; an error when its URL is not the provider's shape. */
  endpoint(prepared: PreparedRequest): Result<Endpoint, ProviderError>;
  create(context: ProtocolContext, items: readonly PreparedItem[], customIds: readonly string[]): Promise<Result<{ batchId: string; inputFileId: string | null; status: string }, ProviderError>>;
  poll(context: ProtocolContext, batch: SubmittedBatch): Promise<Result<BatchStatus, ProviderError>>;
  /** Every result the ended batch holds, by custom id; requests it lacks are filled in by the caller. */
  collect(context: ProtocolContext, batch: SubmittedBatch, status: BatchStatus): Promise<Result<ReadonlyMap<string, ItemOutcome>, ProviderError>>;
  cancel(context: ProtocolContext, batch: SubmittedBatch): Promise<Result<string, ProviderError>>;
  /** Why a request that has no result in an ended batch has none (expired, cancelled, the batch failed). */
  missing(status: BatchStatus): ProviderError;
}

/** The custom id of the n-th request of a batch: provider-safe (Anthropic allows [a-zA-Z0-9_-]{1,64}) and mapped back through `SubmittedBatch.ids`. */
export function customId(index: number): string {
  return `r${index}`;
}
