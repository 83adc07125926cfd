import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { Emit, SseEvent, StreamParser } from '../adapter.js';
import type { ChatResponse } from '../types.js';
import { initialArguments, isClientToolUse, tracksInput, type WireBlock } from './blocks.js';
import { mapAnthropicStreamError } from './errors.js';
import { isObject, num, obj, snippet, str, type JsonObject } from './json.js';
import { buildAnthropicResponse } from './response.js';
import { mergeUsage, toUsage, type UsageCounters } from './usage.js';

export interface AnthropicStreamParserOptions {
  /** The model asked for: reported when the stream never names one. */
  readonly model: string;
  /** Strings that must never appear in an error message (the key in use). */
  readonly secrets?: readonly string[];
}

/** One content block as it streams in. */
interface OpenBlock {
  readonly start: JsonObject;
  readonly text: string[];
  readonly thinking: string[];
  readonly json: string[];
  readonly citations: unknown[];
  signature: string | undefined;
  /** Its position among client tool calls, for `tool_call_*` events. */
  readonly toolIndex: number | undefined;
  closed: boolean;
}

/**
 * Messages API SSE -> StreamEvents. Choices on the wire:
 * - Dispatch is on the payload's `type`, so a proxy that drops `event:` lines still works;
 *   the SSE event name is the fallback for a payload without one.
 * - `start` goes out with the first content block (or the end of the message), not with
 *   `message_start`: an in-band `error` before any content (Anthropic's overloaded_error)
 *   then reaches nobody and is returned as the transfer's failure, which the engine may retry.
 * - A repeated `message_start` with the same id is ignored; one with another id while the
 *   message is open is a `protocol` error (two messages spliced into one body).
 * - Client `tool_use` blocks stream as `tool_call_*` indexed by their order among tool
 *   calls; `""` arguments (a tool without parameters) become `"{}"`, and an input that came
 *   whole in `content_block_start` (or a pre-filled `message_start`) is used as it is.
 *   Server and MCP tool blocks are kept in the response but never surface as tool calls.
 * - Usage counters overwrite: `message_delta` counts are cumulative.
 * - `ping` is ignored here; as bytes it still counts as activity for the idle timeout.
 * - Only `message_stop` finishes the stream; a body that ends before it was cut.
 */
export function createAnthropicStreamParser(options: AnthropicStreamParserOptions): StreamParser {
  return new AnthropicStreamParser(options);
}

class AnthropicStreamParser implements StreamParser {
  readonly #secrets: readonly string[];
  readonly #blocks = new Map<number, OpenBlock>();
  #model: string;
  #id: string | undefined;
  #messageOpen = false;
  #started = false;
  #finished = false;
  #events = 0;
  #tools = 0;
  #usage: UsageCounters = {};
  #stopReason: string | undefined;
  #stopSequence: string | undefined;
  #stopDetails: JsonObject | undefined;
  #error: ProviderError | undefined;
  #response: ChatResponse | undefined;

  constructor(options: AnthropicStreamParserOptions) {
    this.#model = options.model;
    this.#secrets = options.secrets ?? [];
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
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return this.#broken(`An Anthropic stream event is not valid JSON: ${JSON.stringify(snippet(data))}`);
    }
    if (!isObject(payload)) return this.#broken(`An Anthropic stream event is not a JSON object: ${JSON.stringify(snippet(data))}`);
    const type = str(payload, 'type') ?? event.event;
    switch (type) {
      case 'message_start':
        return this.#messageStart(payload, emit);
      case 'content_block_start':
        return this.#blockStart(payload, emit);
      case 'content_block_delta':
        return this.#blockDelta(payload, emit);
      case 'content_block_stop':
        return this.#blockStop(payload, emit);
      case 'message_delta':
        return this.#messageDelta(payload);
      case 'message_stop':
        this.#complete(emit);
        return undefined;
      case 'error':
        return this.#inBandError(payload, emit);
      default:
        // `ping`, and event types added after this version: the docs ask clients to skip them.
        return undefined;
    }
  }

  result(): Result<ChatResponse, ProviderError> {
    if (this.#response !== undefined) return ok(this.#response);
    if (this.#error !== undefined) return err(this.#error);
    return err(
      providerError('protocol', {
        message: `The Anthropic stream ended before message_stop (after ${this.#events} SSE events); the response is incomplete.`,
      }),
    );
  }

  #broken(message: string): ProviderError {
    this.#error = providerError('protocol', { message });
    return this.#error;
  }

  #messageStart(payload: JsonObject, emit: Emit): ProviderError | undefined {
    const message = obj(payload, 'message');
    const id = str(message, 'id');
    if (this.#messageOpen) {
      if (id === this.#id) return undefined;
      return this.#broken(
        `A second message_start (id ${JSON.stringify(id ?? null)}) arrived inside message ${JSON.stringify(this.#id ?? null)}; the stream splices two messages.`,
      );
    }
    this.#messageOpen = true;
    this.#id = id;
    const model = str(message, 'model');
    if (model !== undefined && model.length > 0) this.#model = model;
    this.#usage = mergeUsage(this.#usage, obj(message, 'usage'));
    this.#stop(message);
    // Programmatic tool calling sends whole blocks here, and often message_stop right after.
    const content = message?.content;
    if (Array.isArray(content)) {
      content.forEach((block, index) => {
        if (!isObject(block)) return;
        this.#open(index, block, emit);
        this.#close(index, emit);
      });
    }
    return undefined;
  }

  #stop(from: JsonObject | undefined): void {
    const reason = str(from, 'stop_reason');
    if (reason !== undefined) this.#stopReason = reason;
    const sequence = str(from, 'stop_sequence');
    if (sequence !== undefined) this.#stopSequence = sequence;
    const details = obj(from, 'stop_details');
    if (details !== undefined) this.#stopDetails = details;
  }

  #ensureStarted(emit: Emit): void {
    if (this.#started) return;
    this.#started = true;
    emit(this.#id === undefined ? { type: 'start', model: this.#model } : { type: 'start', model: this.#model, id: this.#id });
  }

  #blockStart(payload: JsonObject, emit: Emit): ProviderError | undefined {
    const index = num(payload, 'index');
    const block = obj(payload, 'content_block');
    if (index === undefined || block === undefined) return this.#broken('content_block_start without an index or a content_block.');
    if (this.#blocks.has(index)) return this.#broken(`content_block_start for index ${index}, which was already started.`);
    this.#open(index, block, emit);
    return undefined;
  }

  #open(index: number, start: JsonObject, emit: Emit): void {
    this.#ensureStarted(emit);
    const client = isClientToolUse(start);
    const block: OpenBlock = {
      start,
      text: [],
      thinking: [],
      json: [],
      citations: Array.isArray(start.citations) ? [...(start.citations as unknown[])] : [],
      signature: str(start, 'signature'),
      toolIndex: client ? this.#tools++ : undefined,
      closed: false,
    };
    this.#blocks.set(index, block);
    const text = start.type === 'text' ? str(start, 'text') : undefined;
    if (text !== undefined && text.length > 0) this.#text(block, text, emit);
    const thinking = start.type === 'thinking' ? str(start, 'thinking') : undefined;
    if (thinking !== undefined && thinking.length > 0) this.#thought(block, thinking, emit);
    if (block.toolIndex !== undefined) {
      emit({ type: 'tool_call_start', index: block.toolIndex, id: str(start, 'id') ?? '', name: str(start, 'name') ?? '' });
    }
  }

  #text(block: OpenBlock, text: string, emit: Emit): void {
    block.text.push(text);
    emit({ type: 'text_delta', index: 0, text });
  }

  #thought(block: OpenBlock, text: string, emit: Emit): void {
    block.thinking.push(text);
    emit({ type: 'thinking_delta', index: 0, text });
  }

  #blockDelta(payload: JsonObject, emit: Emit): ProviderError | undefined {
    const index = num(payload, 'index');
    const block = index === undefined ? undefined : this.#blocks.get(index);
    const delta = obj(payload, 'delta');
    if (block === undefined || delta === undefined) {
      return this.#broken(`content_block_delta for index ${String(index)}, which was never started.`);
    }
    switch (str(delta, 'type')) {
      case 'text_delta': {
        const text = str(delta, 'text');
        if (text !== undefined && text.length > 0) this.#text(block, text, emit);
        break;
      }
      case 'thinking_delta': {
        const text = str(delta, 'thinking');
        if (text !== undefined && text.length > 0) this.#thought(block, text, emit);
        break;
      }
      case 'signature_delta':
        block.signature = (block.signature ?? '') + (str(delta, 'signature') ?? '');
        break;
      case 'input_json_delta': {
        const fragment = str(delta, 'partial_json');
        if (fragment === undefined || fragment.length === 0) break;
        block.json.push(fragment);
        if (block.toolIndex !== undefined) emit({ type: 'tool_call_delta', index: block.toolIndex, arguments: fragment });
        break;
      }
      case 'citations_delta':
        if (delta.citation !== undefined) block.citations.push(delta.citation);
        break;
      case 'compaction_delta':
        block.text.push(str(delta, 'content') ?? '');
        break;
      default:
        break;
    }
    return undefined;
  }

  #blockStop(payload: JsonObject, emit: Emit): ProviderError | undefined {
    const index = num(payload, 'index');
    if (index === undefined || !this.#blocks.has(index)) {
      return this.#broken(`content_block_stop for index ${String(index)}, which was never started.`);
    }
    this.#close(index, emit);
    return undefined;
  }

  #close(index: number, emit: Emit): void {
    const block = this.#blocks.get(index) as OpenBlock;
    if (block.closed) return;
    block.closed = true;
    if (block.toolIndex === undefined) return;
    emit({
      type: 'tool_call_done',
      index: block.toolIndex,
      id: str(block.start, 'id') ?? '',
      name: str(block.start, 'name') ?? '',
      arguments: argumentsOf(block),
    });
  }

  #messageDelta(payload: JsonObject): undefined {
    this.#stop(obj(payload, 'delta'));
    this.#usage = mergeUsage(this.#usage, obj(payload, 'usage'));
    return undefined;
  }

  #inBandError(payload: JsonObject, emit: Emit): ProviderError | undefined {
    const error = mapAnthropicStreamError(payload, this.#secrets);
    this.#error = error;
    // Before any content nobody saw anything: hand the error to the engine, which retries
    // it like the HTTP status it stands for. Later, the stream ends with it.
    if (!this.#started) return error;
    emit({ type: 'error', category: error.category, message: error.message });
    this.#finished = true;
    return undefined;
  }

  #complete(emit: Emit): void {
    this.#ensureStarted(emit);
    for (const index of [...this.#blocks.keys()].sort((a, b) => a - b)) this.#close(index, emit);
    const response = buildAnthropicResponse({
      id: this.#id,
      model: this.#model,
      blocks: [...this.#blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => finalBlock(block)),
      stopReason: this.#stopReason,
      stopSequence: this.#stopSequence,
      stopDetails: this.#stopDetails,
      usage: toUsage(this.#usage),
    });
    emit({ type: 'done', finishReason: response.finishReason, usage: response.usage });
    this.#finished = true;
    this.#response = response;
  }
}

function argumentsOf(block: OpenBlock): string {
  const streamed = block.json.join('');
  if (streamed.length > 0) return streamed;
  return initialArguments(block.start) ?? '{}';
}

/** The block as the API's non-streaming body would have it. */
function finalBlock(block: OpenBlock): WireBlock {
  const raw: Record<string, unknown> = { ...block.start };
  switch (raw.type) {
    case 'text':
      raw.text = block.text.join('');
      if (block.citations.length > 0) raw.citations = block.citations;
      break;
    case 'thinking':
      raw.thinking = block.thinking.join('');
      raw.signature = block.signature ?? '';
      break;
    case 'compaction':
      if (block.text.length > 0) raw.content = block.text.join('');
      break;
    default:
      break;
  }
  if (!tracksInput(block.start)) return { raw };
  const args = argumentsOf(block);
  try {
    const input: unknown = JSON.parse(args);
    if (isObject(input)) raw.input = input;
  } catch {
    // The arguments stay as the model wrote them; `parseToolArguments` reports them when used.
  }
  return isClientToolUse(block.start) ? { raw, arguments: args } : { raw };
}
