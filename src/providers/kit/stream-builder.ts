import { err, ok, type Result } from 'neverthrow';
import type { PartialOutput, ProviderError } from '../../errors/category.js';
import type { Emit } from '../adapter.js';
import type { ChatResponse, FinishReason, OpaqueJson, StreamEvent, Usage } from '../types.js';
import { buildResponse, ContentAssembler, type TextKind } from './content.js';
import { ToolCallAssembler, type CallPlace } from './tool-calls.js';
import { mergeUsage } from './usage.js';

export type { CallPlace };

/** How one text or thinking delta is reported and kept. */
export interface DeltaOptions {
  /** The event's `index` (Chat: the choice). Default 0. */
  readonly index?: number;
  /** The block's opaque provider signature; the last one given wins. */
  readonly signature?: string;
  /** False for deltas that stream but are not part of the result (Chat choices other than 0). */
  readonly inResult?: boolean;
}

/** What a tool call fragment says about its call; every field optional, later values fill in. */
export interface ToolCallInfo {
  readonly id?: string | undefined;
  readonly name?: string | undefined;
  readonly signature?: string | undefined;
}

/**
 * The one place a provider's stream becomes StreamEvents and a ChatResponse. It alone
 * enforces the event contract: `start` first (sent before the first delta or terminal event
 * if the provider did not call `start()`), then deltas, then exactly one terminal event
 * (`finish` -> `done`, `fail` -> `error`), then nothing: every call after the terminal event
 * is ignored, so a parser never needs its own "stream is over" flag.
 *
 * Blocks: text, thinking and refusal deltas grow the block of their `key` (a provider's block
 * key: Anthropic's content index, a Responses output item, `'0'` for Chat's one message);
 * blocks keep the order of their first delta. Tool calls are addressed by a CallPlace or just
 * their wire index (a number): the events carry that index, and the result lists calls
 * sorted by it (`order`), whatever order their fragments arrived in.
 *
 * Emission goes through the `emit` of the current SSE event, set by `attach` (the kit's
 * stream parser does that; a provider using `createKitStreamParser` never calls it).
 */
export class StreamBuilder {
  readonly #content = new ContentAssembler();
  readonly #tools = new ToolCallAssembler();
  readonly #wholeArguments = new Map<string, string>();
  #emit: Emit = () => {};
  #model: string;
  #id: string | undefined;
  #started = false;
  #usage: Usage | null = null;
  #outcome: Result<ChatResponse, ProviderError> | undefined;

  /** `model` is the requested one: `start` reports it when the stream never names one. */
  constructor(options: { readonly model: string }) {
    this.#model = options.model;
  }

  /** Sets where events go; call before each batch of calls (once per SSE event). */
  attach(emit: Emit): void {
    this.#emit = emit;
  }

  get started(): boolean {
    return this.#started;
  }

  /** True once `finish` or `fail` ran. */
  get terminated(): boolean {
    return this.#outcome !== undefined;
  }

  /** The model `start` reported or will report. */
  get model(): string {
    return this.#model;
  }

  /** True when the result has at least one tool call (Chat reads `stop` as `tool_use` then). */
  get hasToolCalls(): boolean {
    return this.#tools.count > 0;
  }

  get usage(): Usage | null {
    return this.#usage;
  }

  /**
   * Records the response id (the first non-empty one wins) and the model (non-empty, and only
   * until `start` went out: the user has been told the model by then). Emits nothing.
   */
  identify(fields: { readonly id?: string | undefined; readonly model?: string | undefined }): void {
    if (this.#outcome !== undefined) return;
    if (this.#id === undefined && fields.id !== undefined && fields.id.length > 0) this.#id = fields.id;
    if (!this.#started && fields.model !== undefined && fields.model.length > 0) this.#model = fields.model;
  }

  /** Emits `start` with the model and id known so far, once; later calls do nothing. */
  start(): void {
    if (this.#started || this.#outcome !== undefined) return;
    this.#started = true;
    this.#emit(this.#id === undefined ? { type: 'start', model: this.#model } : { type: 'start', model: this.#model, id: this.#id });
  }

  /** A text delta of block `key`. Empty text emits nothing but still records a signature. */
  text(key: string, text: string, options?: DeltaOptions): void {
    this.#delta('text', key, text, options);
  }

  /** A thinking (reasoning) delta of block `key`, streamed as `thinking_delta`. */
  thinking(key: string, text: string, options?: DeltaOptions): void {
    this.#delta('thinking', key, text, options);
  }

  /** A refusal: streamed as `text_delta` (an interface shows it like any answer), kept as a `refusal` block. */
  refusal(key: string, text: string, options?: DeltaOptions): void {
    this.#delta('refusal', key, text, options);
  }

  /** An opaque block that must round-trip (Anthropic `redacted_thinking`, ...); no event. */
  providerBlock(provider: string, data: OpaqueJson): void {
    if (this.#outcome !== undefined) return;
    this.#content.provider(provider, data);
  }

  /**
   * Opens or updates a tool call. `tool_call_start` goes out once id and name are both known;
   * argument fragments that came first are sent right after it.
   */
  toolCall(place: number | CallPlace, info: ToolCallInfo = {}): void {
    if (this.#outcome !== undefined) return;
    const at = placeOf(place);
    this.start();
    this.#open(at);
    this.#tools.identify(at, info.id, info.name, info.signature, this.#emit);
  }

  /** One argument fragment, passed on verbatim as `tool_call_delta`. */
  toolArguments(place: number | CallPlace, fragment: string): void {
    if (this.#outcome !== undefined) return;
    const at = placeOf(place);
    this.start();
    this.#open(at);
    this.#tools.append(at, fragment, this.#emit);
  }

  /**
   * The call's complete arguments as the server restated them, without ending it yet; used
   * by `toolDone` or `finish` when they end the call without arguments of their own.
   */
  toolWholeArguments(place: number | CallPlace, whole: string): void {
    if (this.#outcome !== undefined) return;
    this.#wholeArguments.set(keyOf(placeOf(place)), whole);
  }

  /**
   * Ends one call with `tool_call_done`. `whole` (else what `toolWholeArguments` recorded,
   * else the joined fragments) is its arguments; see ToolCallAssembler.finish for how a
   * whole text that differs from the fragments is reported. Calls left open are ended by `finish`.
   */
  toolDone(place: number | CallPlace, whole?: string): void {
    if (this.#outcome !== undefined) return;
    const at = placeOf(place);
    this.start();
    this.#open(at);
    this.#tools.finish(at, this.#emit, whole ?? this.#wholeArguments.get(keyOf(at)));
  }

  /** Replaces the usage (`null`: not reported). */
  setUsage(usage: Usage | null): void {
    if (this.#outcome !== undefined) return;
    this.#usage = usage;
  }

  /**
   * Merges cumulative usage reports: each field the report has (not null/undefined) replaces
   * the earlier value, so the latest count wins and fields reported once are kept.
   */
  mergeUsage(report: Partial<Usage>): void {
    if (this.#outcome !== undefined) return;
    this.#usage = mergeUsage(this.#usage, report);
  }

  /**
   * The normal end: ends open tool calls (in result order), emits `done` and builds the
   * response. `rawFinishReason` is the provider's own stop reason, reported as given.
   */
  finish(finishReason: FinishReason, rawFinishReason?: string): void {
    if (this.#outcome !== undefined) return;
    this.start();
    this.#tools.finishAll(this.#emit, (at) => this.#wholeArguments.get(keyOf(at)));
    const done: StreamEvent =
      rawFinishReason === undefined
        ? { type: 'done', finishReason, usage: this.#usage }
        : { type: 'done', finishReason, usage: this.#usage, rawFinishReason };
    this.#outcome = ok(
      buildResponse({
        id: this.#id,
        model: this.#model,
        content: this.#content.blocks(this.#tools.finished()),
        finishReason,
        usage: this.#usage,
        rawFinishReason,
      }),
    );
    this.#emit(done);
  }

  /** An in-band error (an error event inside a 2xx stream): emits `error`; the result is the error. */
  fail(error: ProviderError): void {
    if (this.#outcome !== undefined) return;
    this.start();
    const partial = this.partial();
    this.#outcome = err(partial === undefined || error.partial !== undefined ? error : { ...error, partial });
    this.#emit({ type: 'error', category: error.category, message: error.message });
  }

  /** What arrived so far (text, thinking, finished tool calls, provider blocks); undefined when nothing did. */
  partial(): PartialOutput | undefined {
    const content = this.#content.blocks(this.#tools.finished());
    if (content.length === 0) return undefined;
    const { text } = buildResponse({ model: this.#model, content, finishReason: 'error', usage: this.#usage });
    return { text, content };
  }

  /** The response or in-band error once terminated; undefined before. */
  result(): Result<ChatResponse, ProviderError> | undefined {
    return this.#outcome;
  }

  #delta(kind: TextKind, key: string, text: string, options: DeltaOptions | undefined): void {
    if (this.#outcome !== undefined) return;
    if (text.length === 0 && options?.signature === undefined) return;
    if (options?.inResult !== false) this.#content.append(kind, key, text, options?.signature);
    if (text.length === 0) return;
    this.start();
    const index = options?.index ?? 0;
    this.#emit(kind === 'thinking' ? { type: 'thinking_delta', index, text } : { type: 'text_delta', index, text });
  }

  #open(at: CallPlace): void {
    // A call's place in the content is where the first of the result's calls appeared.
    if (this.#tools.open(at)) this.#content.toolCall();
  }
}

function placeOf(place: number | CallPlace): CallPlace {
  return typeof place === 'number' ? { index: place } : place;
}

function keyOf(place: CallPlace): string {
  return `${place.scope ?? ''}:${place.index}`;
}
