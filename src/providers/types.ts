import type { ErrorCategory } from '../errors/category.js';
import type { Timeouts } from '../http/types.js';

export type { Timeouts };

/** Why the model stopped. `error` when the stream failed; `unknown` for reasons we do not know. */
export type FinishReason = 'stop' | 'length' | 'tool_use' | 'content_filter' | 'error' | 'unknown';

/**
 * Token counts. A field is `null` when the provider did not report it: we never invent zeros.
 * `thinking` is the reasoning share of `output`; `cached` the input tokens read from the
 * provider's prompt cache; `cacheWrite` the input tokens written to it (Anthropic's
 * `cache_creation_input_tokens`; OpenAI and Gemini do not report it, so it is null there).
 */
export interface Usage {
  readonly input: number | null;
  readonly output: number | null;
  readonly thinking: number | null;
  readonly cached: number | null;
  readonly cacheWrite: number | null;
  readonly total: number | null;
}

export type StreamEvent =
  | { readonly type: 'start'; readonly model: string; readonly id?: string }
  | { readonly type: 'text_delta'; readonly index: number; readonly text: string }
  | { readonly type: 'thinking_delta'; readonly index: number; readonly text: string }
  | { readonly type: 'tool_call_start'; readonly index: number; readonly id: string; readonly name: string }
  | { readonly type: 'tool_call_delta'; readonly index: number; readonly arguments: string }
  | {
      readonly type: 'tool_call_done';
      readonly index: number;
      readonly id: string;
      readonly name: string;
      readonly arguments: string;
    }
  | {
      readonly type: 'done';
      readonly finishReason: FinishReason;
      readonly usage: Usage | null;
      /** The provider's own stop reason, unmapped (`tool_calls`, `end_turn`, `MAX_TOKENS`); absent when it sent none. */
      readonly rawFinishReason?: string;
    }
  | { readonly type: 'error'; readonly category: ErrorCategory; readonly message: string };

export type StreamEventType = StreamEvent['type'];

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** The arguments exactly as the model produced them (a JSON text). */
  readonly arguments: string;
}

/** Any JSON value: what opaque provider content is made of. */
export type OpaqueJson = null | boolean | number | string | readonly OpaqueJson[] | { readonly [key: string]: OpaqueJson };

/**
 * A prompt-cache breakpoint: the prompt up to and including this part is cached. `ttl` is
 * `5m` (the default) or `1h`. Providers that cache on their own (OpenAI) ignore it.
 */
export interface CacheControl {
  readonly ttl?: '5m' | '1h';
}

/**
 * A part of a user message. An image is a URL (http(s) or a `data:` URL) or inline base64
 * `data` with its `mediaType`; a document is inline base64 (PDF, or text/plain) or a URL. A
 * provider that cannot send a part kind says so with an `invalid_arg` error from the start
 * call. `cache` asks for a prompt-cache breakpoint after the part (Anthropic).
 */
export type ContentPart =
  | { readonly type: 'text'; readonly text: string; readonly cache?: CacheControl }
  | { readonly type: 'image'; readonly url: string; readonly detail?: 'auto' | 'low' | 'high'; readonly cache?: CacheControl }
  | { readonly type: 'image'; readonly data: string; readonly mediaType: string; readonly detail?: 'auto' | 'low' | 'high'; readonly cache?: CacheControl }
  | { readonly type: 'document'; readonly data: string; readonly mediaType: string; readonly name?: string; readonly cache?: CacheControl }
  | { readonly type: 'document'; readonly url: string; readonly name?: string; readonly cache?: CacheControl };

/** Where a request asks for prompt-cache breakpoints besides those on content parts. */
export interface PromptCache {
  /** After the system prompt. */
  readonly system?: CacheControl;
  /** After the last tool definition. */
  readonly tools?: CacheControl;
  /** After the last message: the whole conversation so far is cached for the next turn. */
  readonly messages?: CacheControl;
}

/**
 * A conversation turn. An assistant turn may carry `blocks`: the previous response's
 * `content` verbatim (`{ role: 'assistant', blocks: response.content }`), so a provider can
 * send back what must round-trip (thinking with its signature, tool calls with theirs, opaque
 * `provider` blocks). When `blocks` is set it is the whole turn and `content`/`toolCalls`
 * are ignored. Each provider sends what its API accepts and skips the rest (OpenAI: text,
 * refusal and tool_call blocks; thinking, signatures and other providers' blocks are dropped).
 */
export type Message =
  | { readonly role: 'system' | 'developer'; readonly content: string }
  | { readonly role: 'user'; readonly content: string | readonly ContentPart[] }
  | {
      readonly role: 'assistant';
      readonly content?: string;
      readonly toolCalls?: readonly ToolCall[];
      readonly blocks?: readonly ContentBlock[];
    }
  | {
      readonly role: 'tool';
      readonly toolCallId: string;
      readonly content: string;
      /** The tool failed; `content` says how (Anthropic's `is_error`). */
      readonly isError?: boolean;
      readonly cache?: CacheControl;
    };

export interface ToolDefinition {
  readonly name: string;
  readonly description?: string;
  /** A JSON Schema object for the arguments. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly strict?: boolean;
  readonly cache?: CacheControl;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { readonly name: string };

/**
 * Structured output. `json_schema`: the answer is JSON that follows `schema` (`name` labels it
 * for the providers that want one; `strict` asks OpenAI for exact adherence). `json`: a JSON
 * object (JSON mode), where the provider offers it (Anthropic has none: it needs a schema).
 * Parse the final text with `parseStructuredOutput`.
 */
export type ResponseFormat =
  | { readonly type: 'json' }
  | {
      readonly type: 'json_schema';
      readonly name: string;
      readonly schema: Readonly<Record<string, unknown>>;
      readonly description?: string;
      readonly strict?: boolean;
    };

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

/** The provider-neutral request. Providers serialize it to their own wire format. */
export interface ChatRequest {
  /** Falls back to the provider's default model. */
  readonly model?: string;
  readonly system?: string;
  readonly messages: readonly Message[];
  readonly tools?: readonly ToolDefinition[];
  readonly toolChoice?: ToolChoice;
  readonly parallelToolCalls?: boolean;
  readonly maxOutputTokens?: number;
  readonly temperature?: number;
  readonly topP?: number;
  readonly frequencyPenalty?: number;
  readonly presencePenalty?: number;
  readonly stop?: readonly string[];
  readonly seed?: number;
  readonly reasoningEffort?: ReasoningEffort;
  /**
   * An explicit thinking budget in tokens (Anthropic: at least 1024; 0 turns thinking off),
   * or `adaptive` to let the model decide (models that support it). Wins over `reasoningEffort`.
   */
  readonly thinkingBudget?: number | 'adaptive';
  readonly cache?: PromptCache;
  /** Ask for JSON (following a schema): serialized per API, so no `extraBody` is needed. */
  readonly responseFormat?: ResponseFormat;
  /** Provider-specific API flavour, e.g. OpenAI's `chat` or `responses`. */
  readonly api?: string;
  /**
   * Fields merged into the wire body last, for parameters this version does not model.
   * They override what llmux set, so use with care.
   */
  readonly extraBody?: Readonly<Record<string, unknown>>;
  readonly extraHeaders?: Readonly<Record<string, string>>;
  /** Per-request overrides of the engine's limits. */
  readonly timeouts?: Partial<Timeouts>;
  readonly maxRetries?: number;
  /**
   * Aborting it cancels the request (one `cancelled` completion, no callback after it); an
   * already-aborted signal makes the start call return a `cancelled` error at once.
   */
  readonly signal?: AbortSignal;
}


/**
 * One block of a response, in the order the model produced them. `signature` is an opaque
 * provider token (Anthropic thinking signatures, Gemini `thoughtSignature`) that must be sent
 * back unchanged with the block in the next request; absent when the provider sent none.
 * A `provider` block is content that must round-trip but has no neutral shape (Anthropic
 * `redacted_thinking`, `server_tool_use`, `web_search_tool_result`, ...): `provider` names who
 * made it and `data` is its wire JSON, which only that provider sends back.
 */
export type ContentBlock =
  | {
      readonly type: 'text';
      readonly text: string;
      readonly signature?: string;
      /** Where the text came from (Anthropic citations, kept verbatim to be sent back). */
      readonly citations?: readonly OpaqueJson[];
    }
  | { readonly type: 'thinking'; readonly text: string; readonly signature?: string }
  | { readonly type: 'refusal'; readonly text: string }
  | ({ readonly type: 'tool_call'; readonly signature?: string } & ToolCall)
  | { readonly type: 'provider'; readonly provider: string; readonly data: OpaqueJson };

/**
 * Response headers a host needs (rate-limit state, retry hints, request ids): a filtered
 * record, lower-case names, multi-valued headers joined with `, `. See RESPONSE_HEADER_PATTERN
 * in providers/response-meta.ts for the names kept.
 */
export type ResponseHeaderRecord = Readonly<Record<string, string>>;

/** What a finished request produced, streamed or not. */
export interface ChatResponse {
  readonly id?: string;
  readonly model: string;
  readonly content: readonly ContentBlock[];
  /** All text blocks joined, for convenience. */
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: FinishReason;
  readonly usage: Usage | null;
  /** The provider's own stop reason, unmapped, when it gave one. */
  readonly rawFinishReason?: string;
  /** The provider's explanation of its stop, verbatim (Anthropic's `stop_details` on a refusal). */
  readonly stopDetails?: OpaqueJson;
  /** The provider's id of this HTTP request (`x-request-id`, `request-id`), for support tickets. */
  readonly requestId?: string;
  /** The 2xx response's rate-limit and request-id headers; absent when the parser ran without HTTP. */
  readonly headers?: ResponseHeaderRecord;
  /** Set by a fallback chain (createFallback): which of its targets served this request. */
  readonly servedBy?: { readonly index: number; readonly provider: string; readonly model: string };
}

export const NO_USAGE: Usage = { input: null, output: null, thinking: null, cached: null, cacheWrite: null, total: null };
