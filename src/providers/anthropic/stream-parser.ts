import { ok, type Result } from 'neverthrow';
import type { ProviderError } from '../../errors/category.js';
import type { Emit, SseEvent, StreamParser } from '../adapter.js';
import { asJsonValue, createKitStreamParser, isObject, snippet, tryParseJson, type JsonObject, type StreamBuilder } from '../kit/index.js';
import { providerError } from '../../errors/category.js';
import type { ChatResponse, ContentBlock, OpaqueJson } from '../types.js';
import { inputText, isClientToolUse, PROVIDER, tracksInput } from './blocks.js';
import { mapAnthropicStreamError } from './errors.js';
import { mapStopReason } from './finish.js';
import { num, obj, str } from './json.js';
import { withStopDetails } from './response.js';
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
  readonly json: string[];
  readonly citations: unknown[];
  readonly extra: string[];
  signature: string | undefined;
  /** Its position among client tool calls: the `index` of its `tool_call_*` events. */
  readonly toolIndex: number | undefined;
  /**
   * A block with no neutral form: the provider block already placed in the content at its
   * start (content keeps content_block_start order, as the SDK's does), completed at its stop.
   */
  readonly placed: Record<string, unknown> | undefined;
  /** Whether its text has opened a neutral text block (the builder opens one on the first text). */
  textOpened: boolean;
  closed: boolean;
}

/**
 * Messages API SSE -> StreamEvents, on the kit's StreamBuilder. Choices on the wire:
 * - Dispatch is on the payload's `type`, so a proxy that drops `event:` lines still works;
 *   the SSE event name is the fallback for a payload without one.
 * - `start` goes out with the first content block (or the end of the message), not with
 *   `message_start`: an in-band `error` before any content (Anthropic's overloaded_error)
 *   then reached nobody, and it is returned as the transfer's failure (a retryable
 *   `server` error) so the engine can retry it as it would the HTTP 529 it stands for.
 *   Later, it ends the stream with an `error` event; what streamed before it stays streamed.
 * - A repeated `message_start` with the same id is ignored; one with another id while the
 *   message is open is a `protocol` error (two messages spliced into one body).
 * - Client `tool_use` blocks stream as `tool_call_*` indexed by their order among tool
 *   calls; `""` arguments (a tool without parameters) become `"{}"`, and an input that came
 *   whole in `content_block_start` (or a pre-filled `message_start`) is used as it is.
 *   Server and MCP tool blocks are kept as `provider` blocks, never as tool calls.
 * - Usage counters overwrite: `message_delta` counts are cumulative.
 * - `ping` is ignored; as bytes it still counts as activity for the engine's idle timeout.
 * - Only `message_stop` finishes the stream; a body that ends before it was cut.
 */
export function createAnthropicStreamParser(options: AnthropicStreamParserOptions): StreamParser {
  const state = new MessageState(options.secrets ?? []);
  const inner = createKitStreamParser(
    { model: options.model, streamName: 'The Anthropic stream', endMarker: 'message_stop' },
    { onEvent: (event, stream) => state.onEvent(event, stream) },
  );
  // Citations and stop details have no place in the builder; they are added to its result.
  return {
    get finished() {
      return inner.finished;
    },
    onSse: (event: SseEvent, emit: Emit) => inner.onSse(event, emit),
    // A stream cut mid-way keeps what arrived on its error, as every kit parser's does.
    partial: () => inner.partial?.(),
    result: () => inner.result().map((response) => state.decorate(response)),
  };
}

class MessageState {
  readonly #secrets: readonly string[];
  readonly #blocks = new Map<number, OpenBlock>();
  /** The citations of each neutral text block, in the order the builder created them. */
  readonly #textCitations: (OpaqueJson[] | undefined)[] = [];
  #id: string | undefined;
  #open = false;
  #tools = 0;
  #usage: UsageCounters = {};
  #stopReason: string | undefined;
  #stopDetails: JsonObject | undefined;

  constructor(secrets: readonly string[]) {
    this.#secrets = secrets;
  }

  onEvent(event: SseEvent, stream: StreamBuilder): ProviderError | undefined {
    const data = event.data.trim();
    if (data.length === 0 || data === '[DONE]') return undefined;
    const payload = tryParseJson(data);
    if (!isObject(payload)) return broken(`An Anthropic stream event is not a JSON object: ${JSON.stringify(snippet(data))}`);
    const type = str(payload, 'type') ?? event.event;
    if (!this.#open && type !== undefined && MESSAGE_EVENTS.has(type)) {
      return broken(`The Anthropic stream sent ${type} before message_start; it is not a whole Messages stream.`);
    }
    switch (type) {
      case 'message_start':
        return this.#messageStart(payload, stream);
      case 'content_block_start':
        return this.#blockStart(payload, stream);
      case 'content_block_delta':
        return this.#blockDelta(payload, stream);
      case 'content_block_stop':
        return this.#blockStop(payload, stream);
      case 'message_delta':
        this.#stop(obj(payload, 'delta'));
        this.#mergeUsage(obj(payload, 'usage'), stream);
        return undefined;
      case 'message_stop':
        for (const index of [...this.#blocks.keys()].sort((a, b) => a - b)) {
          const error = this.#close(index, stream);
          if (error !== undefined) return error;
        }
        stream.finish(mapStopReason(this.#stopReason), this.#stopReason);
        return undefined;
      case 'error':
        return this.#inBandError(payload, stream);
      default:
        // `ping`, and event types added after this version: the docs ask clients to skip them.
        return undefined;
    }
  }

  /** The builder's response with what it has no place for: citations on text blocks, stop details. */
  decorate(response: ChatResponse): ChatResponse {
    let text = 0;
    const content = response.content.map((block): ContentBlock => {
      if (block.type !== 'text') return block;
      const citations = this.#textCitations[text++];
      return citations === undefined ? block : { ...block, citations };
    });
    return withStopDetails({ ...response, content }, this.#stopDetails);
  }

  #messageStart(payload: JsonObject, stream: StreamBuilder): ProviderError | undefined {
    const message = obj(payload, 'message');
    const id = str(message, 'id');
    if (this.#open) {
      if (id === this.#id) return undefined;
      return broken(
        `A second message_start (id ${JSON.stringify(id ?? null)}) arrived inside message ${JSON.stringify(this.#id ?? null)}; the stream splices two messages.`,
      );
    }
    this.#open = true;
    this.#id = id;
    stream.identify({ id, model: str(message, 'model') });
    this.#mergeUsage(obj(message, 'usage'), stream);
    this.#stop(message);
    // Programmatic tool calling sends whole blocks here, and often message_stop right after.
    const content = message?.content;
    if (!Array.isArray(content)) return undefined;
    for (const [index, block] of content.entries()) {
      if (!isObject(block)) continue;
      this.#openBlock(index, block, stream);
      const error = this.#close(index, stream);
      if (error !== undefined) return error;
    }
    return undefined;
  }

  #stop(from: JsonObject | undefined): void {
    const reason = str(from, 'stop_reason');
    if (reason !== undefined) this.#stopReason = reason;
    const details = obj(from, 'stop_details');
    if (details !== undefined) this.#stopDetails = details;
  }

  #mergeUsage(usage: JsonObject | undefined, stream: StreamBuilder): void {
    if (usage === undefined) return;
    this.#usage = mergeUsage(this.#usage, usage);
    stream.setUsage(toUsage(this.#usage));
  }

  #blockStart(payload: JsonObject, stream: StreamBuilder): ProviderError | undefined {
    const index = num(payload, 'index');
    const block = obj(payload, 'content_block');
    if (index === undefined || block === undefined) return broken('content_block_start without an index or a content_block.');
    if (!Number.isInteger(index) || index < 0) return broken(`content_block_start for index ${index}; block indices count from 0.`);
    if (this.#blocks.has(index)) return broken(`content_block_start for index ${index}, which was already started.`);
    this.#openBlock(index, block, stream);
    return undefined;
  }

  #openBlock(index: number, start: JsonObject, stream: StreamBuilder): void {
    stream.start();
    const block: OpenBlock = {
      start,
      json: [],
      citations: Array.isArray(start.citations) ? [...(start.citations as unknown[])] : [],
      extra: [],
      signature: str(start, 'signature'),
      toolIndex: isClientToolUse(start) ? this.#tools++ : undefined,
      placed: NEUTRAL_BLOCKS.has(String(start.type)) ? undefined : { ...start },
      textOpened: false,
      closed: false,
    };
    this.#blocks.set(index, block);
    if (block.placed !== undefined) stream.providerBlock(PROVIDER, asJsonValue(block.placed));
    if (start.type === 'text') this.#text(index, block, str(start, 'text') ?? '', stream);
    // The empty signature makes the block take its place now, even before any thinking text.
    if (start.type === 'thinking') stream.thinking(String(index), str(start, 'thinking') ?? '', { signature: '' });
    if (block.toolIndex !== undefined) stream.toolCall(block.toolIndex, { id: str(start, 'id') ?? '', name: str(start, 'name') ?? '' });
  }

  #text(index: number, block: OpenBlock, text: string, stream: StreamBuilder): void {
    if (text.length === 0) return;
    if (!block.textOpened) {
      block.textOpened = true;
      this.#textCitations.push(undefined);
    }
    stream.text(String(index), text);
  }

  #blockDelta(payload: JsonObject, stream: StreamBuilder): ProviderError | undefined {
    const index = num(payload, 'index');
    const block = index === undefined ? undefined : this.#blocks.get(index);
    const delta = obj(payload, 'delta');
    if (index === undefined || block === undefined || delta === undefined || block.closed) {
      return broken(`content_block_delta for index ${String(index)}, which is not an open block.`);
    }
    const kind = str(delta, 'type');
    const expected = kind === undefined ? undefined : DELTA_BLOCKS.get(kind);
    if (expected !== undefined && !expected(block.start)) {
      return broken(`A ${kind} for block ${index}, a ${String(block.start.type)} block: the delta does not belong to its block.`);
    }
    switch (kind) {
      case 'text_delta':
        this.#text(index, block, str(delta, 'text') ?? '', stream);
        break;
      case 'thinking_delta':
        stream.thinking(String(index), str(delta, 'thinking') ?? '');
        break;
      case 'signature_delta':
        // One opaque token per block: the last one wins (the SDK's MessageStream replaces it too).
        block.signature = str(delta, 'signature') ?? block.signature;
        break;
      case 'input_json_delta': {
        const fragment = str(delta, 'partial_json') ?? '';
        block.json.push(fragment);
        if (block.toolIndex !== undefined) stream.toolArguments(block.toolIndex, fragment);
        break;
      }
      case 'citations_delta':
        if (delta.citation !== undefined) block.citations.push(delta.citation);
        break;
      case 'compaction_delta':
        block.extra.push(str(delta, 'content') ?? '');
        break;
      default:
        break;
    }
    return undefined;
  }

  #blockStop(payload: JsonObject, stream: StreamBuilder): ProviderError | undefined {
    const index = num(payload, 'index');
    if (index === undefined || !this.#blocks.has(index)) return broken(`content_block_stop for index ${String(index)}, which was never started.`);
    return this.#close(index, stream);
  }

  /** Ends a block: a tool call's `tool_call_done`, a thinking block's signature, everything else kept verbatim. */
  #close(index: number, stream: StreamBuilder): ProviderError | undefined {
    const block = this.#blocks.get(index) as OpenBlock;
    if (block.closed) return undefined;
    block.closed = true;
    const { start } = block;
    switch (start.type) {
      case 'text':
        if (block.textOpened && block.citations.length > 0) {
          this.#textCitations[this.#textCitations.length - 1] = asJsonValue(block.citations) as OpaqueJson[];
        }
        return undefined;
      case 'thinking':
        stream.thinking(String(index), '', block.signature === undefined || block.signature.length === 0 ? {} : { signature: block.signature });
        return undefined;
      case 'tool_use':
        return argumentsOf(block).match(
          (args) => void stream.toolDone(block.toolIndex as number, args),
          (error) => error,
        );
      default:
        return finalProviderBlock(block).match(
          (raw) => void Object.assign(block.placed ?? {}, raw),
          (error) => error,
        );
    }
  }

  #inBandError(payload: JsonObject, stream: StreamBuilder): ProviderError | undefined {
    const error = mapAnthropicStreamError(payload, this.#secrets);
    // Before any content nobody saw anything: the transfer fails with it, and the engine
    // may retry. Later, the stream ends with it.
    if (!stream.started) return error;
    stream.fail(error);
    return undefined;
  }
}

/** Blocks with a neutral form; every other type is kept verbatim as a `provider` block. */
const NEUTRAL_BLOCKS: ReadonlySet<string> = new Set(['text', 'thinking', 'tool_use']);

/** Events that belong inside a message: before its message_start the body is not a Messages stream. */
const MESSAGE_EVENTS = new Set(['content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);

/** The blocks each delta kind may grow; a delta for another kind of block is a broken stream. */
const DELTA_BLOCKS: ReadonlyMap<string, (start: JsonObject) => boolean> = new Map([
  ['text_delta', (start: JsonObject) => start.type === 'text'],
  ['thinking_delta', (start: JsonObject) => start.type === 'thinking'],
  ['input_json_delta', tracksInput],
]);

function broken(message: string): ProviderError {
  return providerError('protocol', { message });
}

function argumentsOf(block: OpenBlock): Result<string, ProviderError> {
  const streamed = block.json.join('');
  return streamed.length > 0 ? ok(streamed) : inputText(block.start).map((text) => text ?? '{}');
}

/** A block with no neutral form, as the non-streaming body would have it. */
function finalProviderBlock(block: OpenBlock): Result<Record<string, unknown>, ProviderError> {
  const raw: Record<string, unknown> = { ...block.start };
  if (raw.type === 'compaction' && block.extra.length > 0) raw.content = block.extra.join('');
  if (!tracksInput(block.start)) return ok(raw);
  return argumentsOf(block).map((args) => {
    const input = tryParseJson(args);
    if (isObject(input)) raw.input = input;
    return raw;
  });
}
