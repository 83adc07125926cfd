import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { ChatResponse, ContentBlock, ToolCall } from '../types.js';
import { isClientToolUse, neutralBlocks, type WireBlock } from './blocks.js';
import { mapStopReason } from './finish.js';
import { isObject, obj, parseObject, snippet, str, type JsonObject } from './json.js';
import { mergeUsage, toUsage, type AnthropicUsage } from './usage.js';

export interface ResponseParts {
  readonly id: string | undefined;
  readonly model: string;
  readonly blocks: readonly WireBlock[];
  readonly stopReason: string | undefined;
  readonly stopSequence: string | undefined;
  readonly stopDetails: JsonObject | undefined;
  readonly usage: AnthropicUsage | null;
}

/** The parts of a finished message -> ChatResponse; `text` and `toolCalls` are derived from the blocks so they agree. */
export function buildAnthropicResponse(parts: ResponseParts): ChatResponse {
  const content: ContentBlock[] = neutralBlocks(parts.blocks);
  const text = content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
  const toolCalls: ToolCall[] = content.flatMap((block) =>
    block.type === 'tool_call' ? [{ id: block.id, name: block.name, arguments: block.arguments }] : [],
  );
  const response: { -readonly [K in keyof ChatResponse]: ChatResponse[K] } = {
    model: parts.model,
    content,
    text,
    toolCalls,
    finishReason: mapStopReason(parts.stopReason),
    usage: parts.usage,
  };
  if (parts.id !== undefined) response.id = parts.id;
  if (parts.stopReason !== undefined) response.rawFinishReason = parts.stopReason;
  return response;
}

/** A complete non-streaming `Message` body -> ChatResponse. */
export function parseAnthropicResponse(body: string, requestedModel: string): Result<ChatResponse, ProviderError> {
  const message = parseObject(body);
  if (message === undefined) {
    return err(providerError('protocol', { message: `The Anthropic response is not a JSON object: ${JSON.stringify(snippet(body))}` }));
  }
  if (message.type === 'error') {
    return err(providerError('protocol', { message: `The Anthropic response is an error object in a 2xx body: ${JSON.stringify(snippet(body))}` }));
  }
  const content = message.content;
  if (!Array.isArray(content)) {
    return err(providerError('protocol', { message: `The Anthropic response has no content array: ${JSON.stringify(snippet(body))}` }));
  }
  const blocks: WireBlock[] = content.filter(isObject).map((raw) =>
    isClientToolUse(raw) ? { raw, arguments: JSON.stringify(isObject(raw.input) ? raw.input : {}) } : { raw },
  );
  const model = str(message, 'model');
  return ok(
    buildAnthropicResponse({
      id: str(message, 'id'),
      model: model === undefined || model.length === 0 ? requestedModel : model,
      blocks,
      stopReason: str(message, 'stop_reason'),
      stopSequence: str(message, 'stop_sequence'),
      stopDetails: obj(message, 'stop_details'),
      usage: toUsage(mergeUsage({}, obj(message, 'usage'))),
    }),
  );
}
