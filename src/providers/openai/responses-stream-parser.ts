import { providerError, type ProviderError } from '../../errors/category.js';
import type { SseEvent, StreamParser } from '../adapter.js';
import { isPresent, numberField, objectField, parseJsonObject, stringField, type JsonObject } from '../kit/json.js';
import type { CallPlace, StreamBuilder } from '../kit/stream-builder.js';
import { createKitStreamParser, type StreamHandler } from '../kit/stream-parser.js';
import type { OpenAIStreamParserOptions } from './chat-stream-parser.js';
import { mapOpenAIStreamError, type ErrorContext } from './errors.js';
import { completedFinishReason, incompleteFinishReason } from './finish-reason.js';
import { responsesUsage } from './usage.js';

/**
 * Responses API SSE (`event: <type>` + `data: {"type": ...}`) -> StreamEvents, through the
 * kit's StreamBuilder. It dispatches on the JSON's `type`, as the OpenAI SDK does; the SSE
 * event name is redundant.
 *
 * Choices on the wire:
 * - Text and refusals stream as `text_delta` index 0, reasoning summaries and raw reasoning
 *   text as `thinking_delta` index 0: a Response has one answer, whatever its output items.
 *   The result keeps one block per output item and part, in order of first delta.
 * - Function calls get event indices 0, 1, 2, ... in order of appearance (`output_index`
 *   counts every output item, messages and reasoning too, so it would leave holes), and the
 *   result lists them by `output_index`. `tool_call_done` carries the arguments of
 *   `output_item.done` (else of `function_call_arguments.done`, else the joined deltas). When
 *   those extend the deltas (or no delta came) the missing tail is sent first as a
 *   `tool_call_delta`, so the joined deltas equal `tool_call_done`; when they contradict the
 *   deltas, `tool_call_done` wins (the SDK's final item is that one too).
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
  return createKitStreamParser(
    { model: options.model, streamName: 'The Responses stream', endMarker: 'response.completed' },
    new ResponsesHandler(options.errorContext ?? {}),
  );
}

class ResponsesHandler implements StreamHandler {
  readonly #context: ErrorContext;
  /** Output item key (see #itemOf) -> the call's place. */
  readonly #calls = new Map<string, CallPlace>();
  /** item id -> output item key, for events that name the item but not its output index. */
  readonly #itemKeys = new Map<string, string>();

  constructor(context: ErrorContext) {
    this.#context = context;
  }

  onEvent(event: SseEvent, stream: StreamBuilder): ProviderError | undefined {
    const data = event.data.trim();
    if (data.length === 0 || data === '[DONE]') return undefined;
    const parsed = parseJsonObject(data, 'A Responses stream event');
    if (parsed.isErr()) return parsed.error;
    return this.#dispatch(parsed.value, stream);
  }

  #dispatch(payload: JsonObject, stream: StreamBuilder): ProviderError | undefined {
    switch (stringField(payload, 'type')) {
      case 'response.created':
      case 'response.in_progress':
        this.#identify(objectField(payload, 'response'), stream);
        stream.start();
        return undefined;
      case 'response.output_item.added':
        this.#itemAdded(payload, stream);
        return undefined;
      case 'response.output_text.delta':
        stream.text(`${this.#itemOf(payload)}:${numberField(payload, 'content_index') ?? 0}`, deltaOf(payload));
        return undefined;
      case 'response.refusal.delta':
        stream.refusal(`${this.#itemOf(payload)}:${numberField(payload, 'content_index') ?? 0}`, deltaOf(payload));
        return undefined;
      case 'response.reasoning_summary_text.delta':
        stream.thinking(`${this.#itemOf(payload)}:s${numberField(payload, 'summary_index') ?? 0}`, deltaOf(payload));
        return undefined;
      case 'response.reasoning_text.delta':
        stream.thinking(`${this.#itemOf(payload)}:r${numberField(payload, 'content_index') ?? 0}`, deltaOf(payload));
        return undefined;
      case 'response.function_call_arguments.delta':
        return this.#argumentsDelta(payload, stream);
      case 'response.function_call_arguments.done': {
        const place = this.#knownCall(payload);
        const args = stringField(payload, 'arguments');
        if (place !== undefined && args !== undefined) stream.toolWholeArguments(place, args);
        return undefined;
      }
      case 'response.output_item.done':
        this.#itemDone(payload, stream);
        return undefined;
      case 'response.completed':
      case 'response.incomplete':
        this.#complete(payload, stream);
        return undefined;
      case 'response.failed': {
        const response = objectField(payload, 'response');
        this.#identify(response, stream);
        const cause = (response === undefined ? undefined : objectField(response, 'error')) ?? {
          message: 'the response failed without saying why',
        };
        stream.fail(mapOpenAIStreamError(cause, this.#context));
        return undefined;
      }
      case 'error':
        stream.fail(mapOpenAIStreamError(payload, this.#context));
        return undefined;
      case undefined:
        // A Chat-style `{"error": {...}}` from an OpenAI-compatible server.
        if (isPresent(payload.error)) stream.fail(mapOpenAIStreamError(payload, this.#context));
        return undefined;
      default:
        return undefined;
    }
  }

  #identify(response: JsonObject | undefined, stream: StreamBuilder): void {
    if (response !== undefined) stream.identify({ id: stringField(response, 'id'), model: stringField(response, 'model') });
  }

  /** Output items are named by `output_index`, and by item id in some events. */
  #itemOf(payload: JsonObject): string {
    const outputIndex = numberField(payload, 'output_index');
    if (outputIndex !== undefined) return `o${outputIndex}`;
    return `i${stringField(payload, 'item_id') ?? ''}`;
  }

  /** The place of the function call an event is about, if that call is known. */
  #knownCall(payload: JsonObject): CallPlace | undefined {
    const known = this.#calls.get(this.#itemOf(payload));
    if (known !== undefined) return known;
    const itemId = stringField(payload, 'item_id');
    const key = itemId === undefined ? undefined : this.#itemKeys.get(itemId);
    return key === undefined ? undefined : this.#calls.get(key);
  }

  /** The call's place, opening it (next ordinal; ordered by output_index) when new. */
  #openCall(payload: JsonObject, item: JsonObject): CallPlace {
    const key = this.#itemOf(payload);
    let place = this.#calls.get(key);
    if (place === undefined) {
      const index = this.#calls.size;
      place = { index, order: numberField(payload, 'output_index') ?? index };
      this.#calls.set(key, place);
    }
    const itemId = stringField(item, 'id');
    if (itemId !== undefined) this.#itemKeys.set(itemId, key);
    return place;
  }

  #itemAdded(payload: JsonObject, stream: StreamBuilder): void {
    const item = objectField(payload, 'item');
    if (item === undefined || stringField(item, 'type') !== 'function_call') return;
    const place = this.#openCall(payload, item);
    stream.toolCall(place, { id: stringField(item, 'call_id'), name: stringField(item, 'name') });
    const args = stringField(item, 'arguments');
    if (args !== undefined) stream.toolArguments(place, args);
  }

  #argumentsDelta(payload: JsonObject, stream: StreamBuilder): ProviderError | undefined {
    const place = this.#knownCall(payload);
    if (place === undefined) {
      return providerError('protocol', {
        message: `The Responses stream sent function call arguments for output item ${this.#itemOf(payload).slice(1) || '(unnamed)'}, which it never announced.`,
      });
    }
    const delta = stringField(payload, 'delta');
    if (delta !== undefined) stream.toolArguments(place, delta);
    return undefined;
  }

  #itemDone(payload: JsonObject, stream: StreamBuilder): void {
    const item = objectField(payload, 'item');
    if (item === undefined || stringField(item, 'type') !== 'function_call') return;
    const place = this.#openCall(payload, item);
    stream.toolCall(place, { id: stringField(item, 'call_id'), name: stringField(item, 'name') });
    stream.toolDone(place, stringField(item, 'arguments'));
  }

  #complete(payload: JsonObject, stream: StreamBuilder): void {
    const response = objectField(payload, 'response');
    this.#identify(response, stream);
    const usage = response === undefined ? undefined : objectField(response, 'usage');
    stream.setUsage(usage === undefined ? null : responsesUsage(usage));
    if (stringField(payload, 'type') === 'response.completed') {
      stream.finish(completedFinishReason(stream.hasToolCalls), 'completed');
      return;
    }
    const details = response === undefined ? undefined : objectField(response, 'incomplete_details');
    const reason = details === undefined ? undefined : stringField(details, 'reason');
    stream.finish(incompleteFinishReason(reason), reason ?? 'incomplete');
  }
}

function deltaOf(payload: JsonObject): string {
  return stringField(payload, 'delta') ?? '';
}
