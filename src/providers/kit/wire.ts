/** Wire-body helpers every serializer shares: request shape checks, optional fields, extraBody, assistant turns. */
import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { ChatRequest, ContentBlock, Message } from '../types.js';

/** A wire body under construction; insertion order is the order the JSON is written in. */
export type WireBody = Record<string, unknown>;

export function invalidArg(message: string, param: string): ProviderError {
  return providerError('invalid_arg', { message, param });
}

/**
 * Checks that cost nothing and catch the mistakes a provider would only report after a
 * round trip (or report confusingly). Anything subtler is left to the provider. Beyond
 * these, the serializers trust the types; the adapter guards callers without TypeScript.
 */
export function checkRequestShape(request: ChatRequest): Result<ChatRequest, ProviderError> {
  if (!Array.isArray(request.messages)) {
    return err(invalidArg('The request needs a `messages` array.', 'messages'));
  }
  if (request.messages.length === 0 && request.system === undefined) {
    return err(invalidArg('The request has no messages and no system prompt; there is nothing to answer.', 'messages'));
  }
  const bad = request.messages.findIndex((message: unknown) => typeof message !== 'object' || message === null);
  if (bad !== -1) return err(invalidArg(`messages[${bad}] is not a message object.`, 'messages'));
  const max = request.maxOutputTokens;
  if (max !== undefined && (!Number.isInteger(max) || max <= 0)) {
    return err(invalidArg(`maxOutputTokens must be a positive integer, got ${String(max)}.`, 'maxOutputTokens'));
  }
  return ok(request);
}

/**
 * `extraBody` goes last so it can set what llmux does not model, and override what it does.
 * A key set to `undefined` there removes the field from the wire body (JSON drops it).
 */
export function withExtraBody(body: WireBody, request: ChatRequest): WireBody {
  return request.extraBody === undefined ? body : { ...body, ...request.extraBody };
}

/** Copies a request field to a wire field only when set, so unset fields are absent, not null. */
export function setIfDefined(body: WireBody, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}

/** For the error about a message whose role is none of ours (callers without TypeScript). */
export function roleOf(message: object): unknown {
  return (message as { role?: unknown }).role;
}

type AssistantMessage = Extract<Message, { role: 'assistant' }>;

/**
 * An assistant turn as blocks: its `blocks` when set (the previous response's content,
 * round-tripped), else its `content` text then its `toolCalls`. Serializers read assistant
 * turns through this so both spellings send the same thing.
 */
export function assistantBlocks(message: AssistantMessage): readonly ContentBlock[] {
  if (Array.isArray(message.blocks)) return message.blocks;
  const blocks: ContentBlock[] = [];
  if (typeof message.content === 'string' && message.content.length > 0) blocks.push({ type: 'text', text: message.content });
  for (const call of message.toolCalls ?? []) blocks.push({ type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments });
  return blocks;
}

/** Inline base64 data as a `data:` URL, for APIs that take images and files that way. */
export function dataUrl(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}
