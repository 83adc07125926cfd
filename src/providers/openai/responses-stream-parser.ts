import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { Emit, SseEvent, StreamParser } from '../adapter.js';
import type { ChatResponse, FinishReason, Usage } from '../types.js';
import type { OpenAIStreamParserOptions } from './chat-stream-parser.js';
import { buildResponse, ContentAssembler } from './content.js';
import { mapOpenAIStreamError, type ErrorContext } from './errors.js';
import { completedFinishReason, incompleteFinishReason } from './finish-reason.js';
import { isPresent, numberField, objectField, parseJsonObject, stringField, type JsonObject } from './json.js';
import { ToolCallAssembler } from './tool-calls.js';
import { responsesUsage } from './usage.js';

/**
 * Responses API SSE (`event: <type>` + `data: {"type": ...}`) -> StreamEvents. It dispatches
 * on the JSON's `type`, as the OpenAI SDK does; the SSE event name is redundant.
 *
 * Choices on the wire:
 * - Text and refusals stream as `text_delta` index 0, reasoning summaries and raw reasoning
 *   text as `thinking_delta` index 0: a Response has one answer, whatever its output items.
 *   The result keeps one block per output item and part, in order of first delta.
 * - Function calls get llmux indices 0, 1, 2, ... in order of `output_item.added`.
 *   `tool_call_done` carries the arguments of `output_item.done` (else of
 *   `function_call_arguments.done`, else the joined deltas).
 * - Arguments deltas for an item that was never added are a `protocol` error: their call
 *   has no id or name to report. A finished item that was never added is still reported.
 * - `response.completed` ends with `stop`, or `tool_use` when the model called functions;
 *   `response.incomplete` maps its reason; `response.failed` and `error` end with `error`
 *   (whichever comes first: the API sends `error` and then `response.failed`).
 * - Hosted tools (web search, code interpreter, MCP, ...) and other unknown events are
 *   skipped. No `[DONE]` is sent by this API; one is ignored. Events after the terminal
 *   event (a second response in the same body) are ignored.
 * - The result is what the deltas said. The final `response.output` is not read back: the
 *   stream and the result must agree with what the user saw.
 */
export function createResponsesStreamParser(options: OpenAIStreamParserOptions): StreamParser {
  return new ResponsesStreamParser(options);
}

class ResponsesStreamParser implements StreamParser {
  readonly #context: ErrorContext;
  readonly #content = new ContentAssembler();
  readonly #tools = new ToolCallAssembler();
  /** item id -> call key, for events that name the item but not its output index. */
  readonly #itemKeys = new Map<string, string>();
  /** Whole arguments from `function_call_arguments.done`, by call key. */
  readonly #finalArguments = new Map<string, string>();
  #model: string;
  #id: string | undefined;
  #started = false;
  #finished = false;
  #events = 0;
  #error: ProviderError | undefined;
  #response: ChatResponse | undefined;

  constructor(options: OpenAIStreamParserOptions) {
    this.#model = options.model;
    this.#context = options.errorContext ?? {};
  }

  get finished(): boolean {
    return this.#finished;
  }

  onSse(event: SseEvent, emit: Emit): ProviderError | undefined {
    if (this.#finished) return undefined;
    if (this.#error !== undefined) return this.#error;
    this.#events += 1;
    const data = event.data.trim();
    if (data.length === 0 || data === '[DONE]') return undefined;
    const parsed = parseJsonObject(data, 'A Responses stream event');
    if (parsed.isErr()) return this.#protocol(parsed.error);
    const error = this.#dispatch(parsed.value, emit);
    return error === undefined ? undefined : this.#protocol(error);
  }

  result(): Result<ChatResponse, ProviderError> {
    if (this.#response !== undefined) return ok(this.#response);
    if (this.#error !== undefined) return err(this.#error);
    return err(
      providerError('protocol', {
        message: `The Responses stream ended before response.completed (after ${this.#events} SSE events); the response is incomplete.`,
      }),
    );
  }

  #protocol(error: ProviderError): ProviderError {
    this.#error = error;
    return error;
  }

  #dispatch(payload: JsonObject, emit: Emit): ProviderError | undefined {
    switch (stringField(payload, 'type')) {
      case 'response.created':
      case 'response.in_progress':
        this.#identify(objectField(payload, 'response'));
        this.#ensureStarted(emit);
        return undefined;
      case 'response.output_item.added':
        this.#itemAdded(payload, emit);
        return undefined;
      case 'response.output_text.delta':
        this.#text('text', payload, `${this.#itemOf(payload)}:${numberField(payload, 'content_index') ?? 0}`, emit);
        return undefined;
      case 'response.refusal.delta':
        this.#text('refusal', payload, `${this.#itemOf(payload)}:${numberField(payload, 'content_index') ?? 0}`, emit);
        return undefined;
      case 'response.reasoning_summary_text.delta':
        this.#text('thinking', payload, `${this.#itemOf(payload)}:s${numberField(payload, 'summary_index') ?? 0}`, emit);
        return undefined;
      case 'response.reasoning_text.delta':
        this.#text('thinking', payload, `${this.#itemOf(payload)}:r${numberField(payload, 'content_index') ?? 0}`, emit);
        return undefined;
      case 'response.function_call_arguments.delta':
        return this.#argumentsDelta(payload, emit);
      case 'response.function_call_arguments.done': {
        const key = this.#callKey(payload);
        const args = stringField(payload, 'arguments');
        if (key !== undefined && args !== undefined) this.#finalArguments.set(key, args);
        return undefined;
      }
      case 'response.output_item.done':
        this.#itemDone(payload, emit);
        return undefined;
      case 'response.completed':
        this.#complete(objectField(payload, 'response'), 'completed', emit);
        return undefined;
      case 'response.incomplete':
        this.#complete(objectField(payload, 'response'), 'incomplete', emit);
        return undefined;
      case 'response.failed': {
        const response = objectField(payload, 'response');
        this.#identify(response);
        const cause = (response === undefined ? undefined : objectField(response, 'error')) ?? {
          message: 'the response failed without saying why',
        };
        this.#fail(mapOpenAIStreamError(cause, this.#context), emit);
        return undefined;
      }
      case 'error':
        this.#fail(mapOpenAIStreamError(payload, this.#context), emit);
        return undefined;
      case undefined:
        // A Chat-style `{"error": {...}}` from an OpenAI-compatible server.
        if (isPresent(payload.error)) this.#fail(mapOpenAIStreamError(payload, this.#context), emit);
        return undefined;
      default:
        return undefined;
    }
  }

  #identify(response: JsonObject | undefined): void {
    if (response === undefined) return;
    const id = stringField(response, 'id');
    if (this.#id === undefined && id !== undefined && id.length > 0) this.#id = id;
    const model = stringField(response, 'model');
    // The model stays fixed once `start` has told the user.
    if (!this.#started && model !== undefined && model.length > 0) this.#model = model;
  }

  #ensureStarted(emit: Emit): void {
    if (this.#started) return;
    this.#started = true;
    emit(this.#id === undefined ? { type: 'start', model: this.#model } : { type: 'start', model: this.#model, id: this.#id });
  }

  /** Output items are named by `output_index`, and by item id in some events. */
  #itemOf(payload: JsonObject): string {
    const outputIndex = numberField(payload, 'output_index');
    if (outputIndex !== undefined) return `o${outputIndex}`;
    return `i${stringField(payload, 'item_id') ?? ''}`;
  }

  /** The tool call key for an event about a function call item, if we know that item. */
  #callKey(payload: JsonObject): string | undefined {
    const key = this.#itemOf(payload);
    if (this.#tools.has(key)) return key;
    const itemId = stringField(payload, 'item_id');
    return itemId === undefined ? undefined : this.#itemKeys.get(itemId);
  }

  #text(kind: 'text' | 'thinking' | 'refusal', payload: JsonObject, key: string, emit: Emit): void {
    const delta = stringField(payload, 'delta');
    if (delta === undefined || delta.length === 0) return;
    this.#ensureStarted(emit);
    this.#content.append(kind, key, delta);
    emit(kind === 'thinking' ? { type: 'thinking_delta', index: 0, text: delta } : { type: 'text_delta', index: 0, text: delta });
  }

  #itemAdded(payload: JsonObject, emit: Emit): void {
    const item = objectField(payload, 'item');
    if (item === undefined || stringField(item, 'type') !== 'function_call') return;
    this.#ensureStarted(emit);
    const key = this.#openCall(payload, item);
    this.#tools.identify(key, stringField(item, 'call_id'), stringField(item, 'name'), emit);
    const args = stringField(item, 'arguments');
    if (args !== undefined) this.#tools.append(key, args, emit);
  }

  #openCall(payload: JsonObject, item: JsonObject): string {
    const key = this.#itemOf(payload);
    if (!this.#tools.has(key)) this.#content.toolCall(this.#tools.open(key));
    const itemId = stringField(item, 'id');
    if (itemId !== undefined) this.#itemKeys.set(itemId, key);
    return key;
  }

  #argumentsDelta(payload: JsonObject, emit: Emit): ProviderError | undefined {
    const key = this.#callKey(payload);
    if (key === undefined) {
      return providerError('protocol', {
        message: `The Responses stream sent function call arguments for output item ${this.#itemOf(payload).slice(1) || '(unnamed)'}, which it never announced.`,
      });
    }
    const delta = stringField(payload, 'delta');
    if (delta !== undefined) this.#tools.append(key, delta, emit);
    return undefined;
  }

  #itemDone(payload: JsonObject, emit: Emit): void {
    const item = objectField(payload, 'item');
    if (item === undefined || stringField(item, 'type') !== 'function_call') return;
    this.#ensureStarted(emit);
    const key = this.#openCall(payload, item);
    this.#tools.identify(key, stringField(item, 'call_id'), stringField(item, 'name'), emit);
    this.#tools.finish(key, emit, stringField(item, 'arguments') ?? this.#finalArguments.get(key));
  }

  #complete(response: JsonObject | undefined, status: 'completed' | 'incomplete', emit: Emit): void {
    this.#identify(response);
    this.#ensureStarted(emit);
    this.#tools.finishAll(emit, (key) => this.#finalArguments.get(key));
    const usageObject = response === undefined ? undefined : objectField(response, 'usage');
    const usage: Usage | null = usageObject === undefined ? null : responsesUsage(usageObject);
    const { finishReason, raw } = this.#finishOf(response, status);
    emit({ type: 'done', finishReason, usage });
    this.#finished = true;
    this.#response = buildResponse({
      id: this.#id,
      model: this.#model,
      content: this.#content.blocks(this.#tools.finished()),
      finishReason,
      usage,
      rawFinishReason: raw,
    });
  }

  #finishOf(response: JsonObject | undefined, status: 'completed' | 'incomplete'): { finishReason: FinishReason; raw: string } {
    if (status === 'completed') return { finishReason: completedFinishReason(this.#tools.count > 0), raw: status };
    const details = response === undefined ? undefined : objectField(response, 'incomplete_details');
    const reason = details === undefined ? undefined : stringField(details, 'reason');
    return { finishReason: incompleteFinishReason(reason), raw: reason ?? status };
  }

  #fail(error: ProviderError, emit: Emit): void {
    this.#ensureStarted(emit);
    emit({ type: 'error', category: error.category, message: error.message });
    this.#error = error;
    this.#finished = true;
  }
}
