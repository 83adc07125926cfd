import { err, ok, Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import { asJsonValue, buildResponse, isObject, snippet, tryParseJsonObject, type JsonObject } from '../kit/index.js';
import type { ChatResponse } from '../types.js';
import { neutralBlock } from './blocks.js';
import { mapAnthropicStreamError } from './errors.js';
import { mapStopReason } from './finish.js';
import { obj, str } from './json.js';
import { mergeUsage, toUsage } from './usage.js';

function malformed(why: string, body: string): ProviderError {
  return providerError('protocol', { message: `The Anthropic response ${why}: ${JSON.stringify(snippet(body))}` });
}

/** A complete non-streaming `Message` body -> ChatResponse, with the same blocks a stream of it gives. */
export function parseAnthropicResponse(body: string, requestedModel: string, secrets: readonly string[] = []): Result<ChatResponse, ProviderError> {
  const message = tryParseJsonObject(body);
  if (message === undefined) return err(malformed('is not a JSON object', body));
  // A gateway relaying an upstream failure with a 200: its type says what it is, as in a stream.
  if (message.type === 'error') return err(mapAnthropicStreamError(message, secrets, 'The Anthropic response is an error object in a 2xx body'));
  const content = message.content;
  if (!Array.isArray(content)) return err(malformed('has no content array', body));
  const model = str(message, 'model');
  const stopReason = str(message, 'stop_reason');
  const blocks = Result.combine(content.filter(isObject).map((raw) => neutralBlock(raw)));
  if (blocks.isErr()) return err(blocks.error);
  const response = buildResponse({
    id: str(message, 'id'),
    model: model === undefined || model.length === 0 ? requestedModel : model,
    content: blocks.value,
    finishReason: mapStopReason(stopReason),
    usage: toUsage(mergeUsage({}, obj(message, 'usage'))),
    rawFinishReason: stopReason,
  });
  return ok(withStopDetails(response, obj(message, 'stop_details')));
}

/** Anthropic's explanation of a refusal, kept on the response. */
export function withStopDetails(response: ChatResponse, details: JsonObject | undefined): ChatResponse {
  return details === undefined ? response : { ...response, stopDetails: asJsonValue(details) };
}
