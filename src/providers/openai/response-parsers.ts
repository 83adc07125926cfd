import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { ChatResponse, ContentBlock, FinishReason } from '../types.js';
import { buildResponse } from '../kit/content.js';
import { mapOpenAIStreamError, type ErrorContext } from './errors.js';
import { chatFinishReason, completedFinishReason, incompleteFinishReason } from './finish-reason.js';
import { arrayField, isObject, isPresent, nonEmpty, objectField, parseJsonObject, stringField, type JsonObject } from '../kit/json.js';
import { chatUsage, responsesUsage } from './usage.js';

export interface OpenAIResponseParserOptions {
  /** The model that was asked for, reported when the body names none. */
  readonly model: string;
  readonly errorContext?: ErrorContext;
}

/**
 * A whole `chat.completion` body -> ChatResponse, with the same conventions as the stream
 * parser (the first choice's blocks and finish reason; refusals
 * as `refusal` blocks; null usage fields where the server reported none).
 */
export function parseChatResponse(body: string, options: OpenAIResponseParserOptions): Result<ChatResponse, ProviderError> {
  return parseJsonObject(body, 'The Chat Completions response').andThen((payload) => {
    if (isPresent(payload.error)) return err(mapOpenAIStreamError(payload, options.errorContext));
    const choices = arrayField(payload, 'choices');
    if (choices === undefined) return err(protocol('The Chat Completions response has no `choices` array.'));
    // The answer is the first choice, as the SDK's `choices[0].message`; `n > 1` alternatives
    // are not merged into one text.
    const first = choices.find(isObject);
    const message = first === undefined ? undefined : objectField(first, 'message');
    const content: ContentBlock[] = message === undefined ? [] : chatMessageBlocks(message);
    const raw = first === undefined ? undefined : stringField(first, 'finish_reason');
    const usage = objectField(payload, 'usage');
    return ok(
      buildResponse({
        id: nonEmpty(stringField(payload, 'id')),
        model: nonEmpty(stringField(payload, 'model')) ?? options.model,
        content,
        finishReason: chatFinishReason(raw, content.some((block) => block.type === 'tool_call')),
        usage: usage === undefined ? null : chatUsage(usage),
        rawFinishReason: raw,
      }),
    );
  });
}

function chatMessageBlocks(message: JsonObject): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  const reasoning = nonEmpty(stringField(message, 'reasoning_content')) ?? nonEmpty(stringField(message, 'reasoning'));
  if (reasoning !== undefined) blocks.push({ type: 'thinking', text: reasoning });
  const text = nonEmpty(stringField(message, 'content'));
  if (text !== undefined) blocks.push({ type: 'text', text });
  const refusal = nonEmpty(stringField(message, 'refusal'));
  if (refusal !== undefined) blocks.push({ type: 'refusal', text: refusal });
  for (const call of arrayField(message, 'tool_calls') ?? []) {
    if (!isObject(call)) continue;
    const fn = objectField(call, 'function') ?? {};
    blocks.push({
      type: 'tool_call',
      id: stringField(call, 'id') ?? '',
      name: stringField(fn, 'name') ?? '',
      arguments: argumentsText(fn.arguments),
    });
  }
  return blocks;
}

/** Arguments are a JSON text on the wire; a few compatible servers send the object itself. */
function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

/** A whole Responses API `response` object -> ChatResponse. A `failed` response is an error. */
export function parseResponsesResponse(
  body: string,
  options: OpenAIResponseParserOptions,
): Result<ChatResponse, ProviderError> {
  return parseJsonObject(body, 'The Responses API response').andThen((payload) => {
    const status = stringField(payload, 'status');
    if (status === 'failed' || (isPresent(payload.error) && status === undefined)) {
      const cause = objectField(payload, 'error') ?? { message: 'the response failed without saying why' };
      return err(mapOpenAIStreamError(cause, options.errorContext));
    }
    const output = arrayField(payload, 'output');
    if (output === undefined) return err(protocol('The Responses API response has no `output` array.'));
    const content = output.filter(isObject).flatMap(outputItemBlocks);
    const calledTools = content.some((block) => block.type === 'tool_call');
    const { finishReason, raw } = responsesFinish(payload, status, calledTools);
    const usage = objectField(payload, 'usage');
    return ok(
      buildResponse({
        id: nonEmpty(stringField(payload, 'id')),
        model: nonEmpty(stringField(payload, 'model')) ?? options.model,
        content,
        finishReason,
        usage: usage === undefined ? null : responsesUsage(usage),
        rawFinishReason: raw,
      }),
    );
  });
}

function outputItemBlocks(item: JsonObject): ContentBlock[] {
  switch (stringField(item, 'type')) {
    case 'message':
      return (arrayField(item, 'content') ?? []).filter(isObject).flatMap((part): ContentBlock[] => {
        const type = stringField(part, 'type');
        if (type === 'output_text') return [{ type: 'text', text: stringField(part, 'text') ?? '' }];
        if (type === 'refusal') return [{ type: 'refusal', text: stringField(part, 'refusal') ?? '' }];
        return [];
      });
    case 'reasoning': {
      const parts = [...(arrayField(item, 'summary') ?? []), ...(arrayField(item, 'content') ?? [])];
      return parts.filter(isObject).flatMap((part): ContentBlock[] => {
        const text = nonEmpty(stringField(part, 'text'));
        return text === undefined ? [] : [{ type: 'thinking', text }];
      });
    }
    case 'function_call':
      return [
        {
          type: 'tool_call',
          id: stringField(item, 'call_id') ?? '',
          name: stringField(item, 'name') ?? '',
          arguments: argumentsText(item.arguments),
        },
      ];
    default:
      // Hosted tool calls (web search, code interpreter, ...) ran on OpenAI's side.
      return [];
  }
}

function responsesFinish(
  payload: JsonObject,
  status: string | undefined,
  calledTools: boolean,
): { finishReason: FinishReason; raw: string | undefined } {
  if (status === 'incomplete') {
    const details = objectField(payload, 'incomplete_details');
    const reason = details === undefined ? undefined : stringField(details, 'reason');
    return { finishReason: incompleteFinishReason(reason), raw: reason ?? status };
  }
  // A body without status is taken as complete; `in_progress`/`queued` (background mode) is not.
  if (status === undefined || status === 'completed') return { finishReason: completedFinishReason(calledTools), raw: status };
  return { finishReason: 'unknown', raw: status };
}

function protocol(message: string): ProviderError {
  return providerError('protocol', { message });
}
