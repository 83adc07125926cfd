import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { Emit, SseEvent, StreamParser } from '../adapter.js';
import type { ChatResponse, Usage } from '../types.js';
import { buildResponse, ContentAssembler } from './content.js';
import { mapOpenAIStreamError, type ErrorContext } from './errors.js';
import { chatFinishReason } from './finish-reason.js';
import {
  arrayField,
  isObject,
  isPresent,
  nonEmpty,
  numberField,
  objectField,
  parseJsonObject,
  stringField,
  type JsonObject,
} from './json.js';
import { ToolCallAssembler } from './tool-calls.js';
import { chatUsage } from './usage.js';

export interface OpenAIStreamParserOptions {
  /** The model that was asked for: reported by `start` when the stream never names one. */
  readonly model: string;
  /** How errors name the server, and which secrets they must not contain. */
  readonly errorContext?: ErrorContext;
}

/**
 * Chat Completions SSE (`data: {chat.completion.chunk}` ... `data: [DONE]`) -> StreamEvents.
 *
 * Choices on the wire:
 * - `start` goes out with the first chunk that names a model (Azure opens with a chunk whose
 *   model is empty), and at the latest before the first delta or terminal event, using the
 *   requested model if the stream never named one.
 * - `reasoning_content` (DeepSeek, xAI, vLLM) and `reasoning` (OpenRouter, newer vLLM) are
 *   thinking; when a delta has both they carry the same text, so only the first counts.
 * - A `refusal` is streamed as `text_delta` so an interface shows it like any answer, and is
 *   kept in the result as a `refusal` block (not in `text`). The finish reason stays what
 *   the server said (usually `stop`): only `content_filter` there means `content_filter`.
 * - `text_delta`/`thinking_delta` carry the choice index. Tool calls of all choices share
 *   one dense index space (see ToolCallAssembler). The result is choice 0's blocks (other
 *   choices only stream, as the SDK's answer is `choices[0].message`), and its finish reason
 *   is choice 0's (else the first seen); `stop` with tool calls reads as `tool_use`.
 * - The stream is finished only by `data: [DONE]`. A body that ends without it was cut,
 *   even if a finish reason arrived: `result()` is then a `protocol` error.
 * - An `{"error": {...}}` chunk inside the 200 stream ends it with an `error` event.
 * - Anything after the terminal event is ignored.
 */
export function createChatStreamParser(options: OpenAIStreamParserOptions): StreamParser {
  return new ChatStreamParser(options);
}

class ChatStreamParser implements StreamParser {
  readonly #context: ErrorContext;
  readonly #content = new ContentAssembler();
  readonly #tools = new ToolCallAssembler();
  /** Raw finish reason per choice index. */
  readonly #finishReasons = new Map<number, string>();
  #model: string;
  #id: string | undefined;
  #started = false;
  #finished = false;
  #events = 0;
  #usage: Usage | null = null;
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
    if (data === '[DONE]') {
      this.#complete(emit);
      return undefined;
    }
    // Keep-alives: an empty `data:` carries nothing.
    if (data.length === 0) return undefined;
    const parsed = parseJsonObject(data, 'A Chat Completions stream chunk');
    if (parsed.isErr()) {
      this.#error = parsed.error;
      return parsed.error;
    }
    const chunk = parsed.value;
    if (isPresent(chunk.error) || event.event === 'error') {
      this.#fail(mapOpenAIStreamError(chunk, this.#context), emit);
      return undefined;
    }
    this.#identify(chunk, emit);
    const usage = objectField(chunk, 'usage');
    if (usage !== undefined) this.#usage = chatUsage(usage);
    const choices = arrayField(chunk, 'choices');
    if (choices !== undefined) {
      for (let position = 0; position < choices.length; position++) {
        const choice = choices[position];
        if (isObject(choice)) this.#choice(choice, position, emit);
      }
    }
    return undefined;
  }

  result(): Result<ChatResponse, ProviderError> {
    if (this.#response !== undefined) return ok(this.#response);
    if (this.#error !== undefined) return err(this.#error);
    return err(
      providerError('protocol', {
        message: `The Chat Completions stream ended before data: [DONE] (after ${this.#events} SSE events); the response is incomplete.`,
      }),
    );
  }

  #identify(chunk: JsonObject, emit: Emit): void {
    const id = stringField(chunk, 'id');
    if (this.#id === undefined && id !== undefined && id.length > 0) this.#id = id;
    const model = stringField(chunk, 'model');
    // The first chunk that names a model starts the stream; the model stays fixed after that.
    if (!this.#started && model !== undefined && model.length > 0) {
      this.#model = model;
      this.#ensureStarted(emit);
    }
  }

  #ensureStarted(emit: Emit): void {
    if (this.#started) return;
    this.#started = true;
    emit(this.#id === undefined ? { type: 'start', model: this.#model } : { type: 'start', model: this.#model, id: this.#id });
  }

  #choice(choice: JsonObject, position: number, emit: Emit): void {
    const index = numberField(choice, 'index') ?? position;
    const delta = objectField(choice, 'delta');
    if (delta !== undefined) this.#delta(delta, index, emit);
    const finish = stringField(choice, 'finish_reason');
    if (finish !== undefined && !this.#finishReasons.has(index)) this.#finishReasons.set(index, finish);
  }

  #delta(delta: JsonObject, index: number, emit: Emit): void {
    const reasoning = nonEmpty(stringField(delta, 'reasoning_content')) ?? nonEmpty(stringField(delta, 'reasoning'));
    if (reasoning !== undefined) {
      this.#ensureStarted(emit);
      if (index === 0) this.#content.append('thinking', '0', reasoning);
      emit({ type: 'thinking_delta', index, text: reasoning });
    }
    const text = nonEmpty(stringField(delta, 'content'));
    if (text !== undefined) {
      this.#ensureStarted(emit);
      if (index === 0) this.#content.append('text', '0', text);
      emit({ type: 'text_delta', index, text });
    }
    const refusal = nonEmpty(stringField(delta, 'refusal'));
    if (refusal !== undefined) {
      this.#ensureStarted(emit);
      if (index === 0) this.#content.append('refusal', '0', refusal);
      emit({ type: 'text_delta', index, text: refusal });
    }
    const toolCalls = arrayField(delta, 'tool_calls');
    if (toolCalls === undefined) return;
    for (let position = 0; position < toolCalls.length; position++) {
      const call = toolCalls[position];
      if (isObject(call)) this.#toolCall(call, index, position, emit);
    }
  }

  #toolCall(call: JsonObject, choice: number, position: number, emit: Emit): void {
    this.#ensureStarted(emit);
    // Servers that omit `index` send one call per array slot.
    const key = `${choice}:${numberField(call, 'index') ?? position}`;
    if (!this.#tools.has(key)) {
      const slot = this.#tools.open(key);
      // The response is choice 0, as the SDK's `choices[0].message`; other choices stream only.
      if (choice === 0) this.#content.toolCall(slot);
    }
    const fn = objectField(call, 'function');
    this.#tools.identify(key, stringField(call, 'id'), fn === undefined ? undefined : stringField(fn, 'name'), emit);
    const fragment = fn === undefined ? undefined : stringField(fn, 'arguments');
    if (fragment !== undefined) this.#tools.append(key, fragment, emit);
  }

  #complete(emit: Emit): void {
    this.#ensureStarted(emit);
    this.#tools.finishAll(emit);
    const raw = this.#finishReasons.get(0) ?? this.#finishReasons.values().next().value;
    const content = this.#content.blocks(this.#tools.finished());
    const finishReason = chatFinishReason(raw, content.some((block) => block.type === 'tool_call'));
    emit({ type: 'done', finishReason, usage: this.#usage });
    this.#finished = true;
    this.#response = buildResponse({
      id: this.#id,
      model: this.#model,
      content,
      finishReason,
      usage: this.#usage,
      rawFinishReason: raw,
    });
  }

  #fail(error: ProviderError, emit: Emit): void {
    this.#ensureStarted(emit);
    emit({ type: 'error', category: error.category, message: error.message });
    this.#error = error;
    this.#finished = true;
  }
}
