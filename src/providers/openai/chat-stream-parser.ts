import type { ProviderError } from '../../errors/category.js';
import type { SseEvent, StreamParser } from '../adapter.js';
import { arrayField, isObject, isPresent, nonEmpty, numberField, objectField, parseJsonObject, stringField, type JsonObject } from '../kit/json.js';
import type { StreamBuilder } from '../kit/stream-builder.js';
import { createKitStreamParser, type StreamHandler } from '../kit/stream-parser.js';
import { mapOpenAIStreamError, type ErrorContext } from './errors.js';
import { chatFinishReason } from './finish-reason.js';
import { chatUsage } from './usage.js';

export interface OpenAIStreamParserOptions {
  /** The model that was asked for: reported by `start` when the stream never names one. */
  readonly model: string;
  /** How errors name the server, and which secrets they must not contain. */
  readonly errorContext?: ErrorContext;
}

/**
 * Chat Completions SSE (`data: {chat.completion.chunk}` ... `data: [DONE]`) -> StreamEvents,
 * through the kit's StreamBuilder (which owns start/terminal ordering and assembly).
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
 * - `text_delta`/`thinking_delta` carry the choice index. Tool call events carry the call's
 *   wire `index` (a server that starts at 1 or skips numbers is reported as it numbered
 *   them; a call without `index` takes its array slot), and the result lists calls sorted by
 *   it, as the OpenAI SDK does, whatever order their first fragments arrived in. The result
 *   is choice 0's blocks (other choices only stream, as the SDK's answer is
 *   `choices[0].message`), and its finish reason is choice 0's (else the first seen); `stop`
 *   with tool calls reads as `tool_use`.
 * - The stream is finished only by `data: [DONE]`. A body that ends without it was cut,
 *   even if a finish reason arrived: `result()` is then a `protocol` error.
 * - An `{"error": {...}}` chunk inside the 200 stream ends it with an `error` event. The
 *   payload decides, not the SSE event name: a chunk (it has `choices`) under `event: error`
 *   is a chunk, as the SDK reads it; a chunk-less payload there (`{"message": ...}`) is an error.
 * - Anything after the terminal event is ignored.
 */
export function createChatStreamParser(options: OpenAIStreamParserOptions): StreamParser {
  return createKitStreamParser(
    { model: options.model, streamName: 'The Chat Completions stream', endMarker: 'data: [DONE]' },
    new ChatHandler(options.errorContext ?? {}),
  );
}

const CHOICE_0 = { index: 0, inResult: true } as const;

class ChatHandler implements StreamHandler {
  readonly #context: ErrorContext;
  /** Raw finish reason per choice index. */
  readonly #finishReasons = new Map<number, string>();

  constructor(context: ErrorContext) {
    this.#context = context;
  }

  onEvent(event: SseEvent, stream: StreamBuilder): ProviderError | undefined {
    const data = event.data.trim();
    if (data === '[DONE]') {
      this.#complete(stream);
      return undefined;
    }
    // Keep-alives: an empty `data:` carries nothing.
    if (data.length === 0) return undefined;
    const parsed = parseJsonObject(data, 'A Chat Completions stream chunk');
    if (parsed.isErr()) return parsed.error;
    const chunk = parsed.value;
    if (isPresent(chunk.error) || (event.event === 'error' && !isChunk(chunk))) {
      stream.fail(mapOpenAIStreamError(chunk, this.#context));
      return undefined;
    }
    // The first chunk that names a model starts the stream; the model stays fixed after that.
    if (!stream.started) {
      const model = nonEmpty(stringField(chunk, 'model'));
      stream.identify({ id: stringField(chunk, 'id'), model });
      if (model !== undefined) stream.start();
    } else {
      stream.identify({ id: stringField(chunk, 'id') });
    }
    const usage = objectField(chunk, 'usage');
    if (usage !== undefined) stream.setUsage(chatUsage(usage));
    const choices = arrayField(chunk, 'choices') ?? [];
    for (let position = 0; position < choices.length; position++) {
      const choice = choices[position];
      if (isObject(choice)) this.#choice(choice, position, stream);
    }
    return undefined;
  }

  #choice(choice: JsonObject, position: number, stream: StreamBuilder): void {
    const index = numberField(choice, 'index') ?? position;
    const delta = objectField(choice, 'delta');
    if (delta !== undefined) this.#delta(delta, index, stream);
    const finish = stringField(choice, 'finish_reason');
    if (finish !== undefined && !this.#finishReasons.has(index)) this.#finishReasons.set(index, finish);
  }

  #delta(delta: JsonObject, choice: number, stream: StreamBuilder): void {
    // The response is choice 0, as the SDK's `choices[0].message`; other choices stream only.
    const options = choice === 0 ? CHOICE_0 : { index: choice, inResult: false };
    const reasoning = nonEmpty(stringField(delta, 'reasoning_content')) ?? nonEmpty(stringField(delta, 'reasoning'));
    if (reasoning !== undefined) stream.thinking('0', reasoning, options);
    const text = nonEmpty(stringField(delta, 'content'));
    if (text !== undefined) stream.text('0', text, options);
    const refusal = nonEmpty(stringField(delta, 'refusal'));
    if (refusal !== undefined) stream.refusal('0', refusal, options);
    let position = 0;
    for (const call of arrayField(delta, 'tool_calls') ?? []) {
      if (!isObject(call)) continue;
      // Servers that omit `index` send one call per array slot (junk entries take none).
      const place = { index: numberField(call, 'index') ?? position, scope: String(choice), inResult: choice === 0 };
      position += 1;
      const fn = objectField(call, 'function');
      stream.toolCall(place, { id: stringField(call, 'id'), name: fn === undefined ? undefined : stringField(fn, 'name') });
      const fragment = fn === undefined ? undefined : stringField(fn, 'arguments');
      if (fragment !== undefined) stream.toolArguments(place, fragment);
    }
  }

  #complete(stream: StreamBuilder): void {
    const raw = this.#finishReasons.get(0) ?? this.#finishReasons.values().next().value;
    stream.finish(chatFinishReason(raw, stream.hasToolCalls), raw);
  }
}

/**
 * A payload shaped like a completion chunk. Under an SSE `event: error` name, such a payload
 * is still a chunk (the payload decides); anything else there (`{"message": ...}`) is an error.
 */
function isChunk(payload: JsonObject): boolean {
  return Array.isArray(payload.choices) || stringField(payload, 'object') === 'chat.completion.chunk';
}
