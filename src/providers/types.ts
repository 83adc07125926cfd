import type { ErrorCategory } from '../errors/category.js';
import type { Timeouts } from '../http/types.js';

export type { Timeouts };

/** Why the model stopped. `error` when the stream failed; `unknown` for reasons we do not know. */
export type FinishReason = 'stop' | 'length' | 'tool_use' | 'content_filter' | 'error' | 'unknown';

/**
 * Token counts. A field is `null` when the provider did not report it: we never invent zeros.
 * `thinking` is the reasoning share of `output`; `cached` the cached share of `input`.
 */
export interface Usage {
  readonly input: number | null;
  readonly output: number | null;
  readonly thinking: number | null;
  readonly cached: number | null;
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
  | { readonly type: 'done'; readonly finishReason: FinishReason; readonly usage: Usage | null }
  | { readonly type: 'error'; readonly category: ErrorCategory; readonly message: string };

export type StreamEventType = StreamEvent['type'];

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** The arguments exactly as the model produced them (a JSON text). */
  readonly arguments: string;
}

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

export type Message =
  | { readonly role: 'system' | 'developer'; readonly content: string }
  | { readonly role: 'user'; readonly content: string | readonly ContentPart[] }
  | { readonly role: 'assistant'; readonly content?: string; readonly toolCalls?: readonly ToolCall[] }
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
}


export type ContentBlock =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'thinking'; readonly text: string }
  | { readonly type: 'refusal'; readonly text: string }
  | ({ readonly type: 'tool_call' } & ToolCall);

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
}

export const NO_USAGE: Usage = { input: null, output: null, thinking: null, cached: null, total: null };
