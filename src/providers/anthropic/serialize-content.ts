import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { CacheControl, ContentPart, Message, ToolCall } from '../types.js';
import { isObject } from '../kit/index.js';

/** A wire object under construction; insertion order is the order the JSON is written in. */
export type Wire = Record<string, unknown>;

export function invalidArg(message: string, param: string): ProviderError {
  return providerError('invalid_arg', { message, param });
}

export function cacheControl(cache: CacheControl): Wire {
  return cache.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: cache.ttl };
}

function withCache(block: Wire, cache: CacheControl | undefined): Wire {
  if (cache !== undefined) block.cache_control = cacheControl(cache);
  return block;
}

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/s;

/** A URL -> Anthropic's source: `data:` URLs are inlined, http(s) URLs fetched by the API. */
function urlSource(url: string, where: string): Result<Wire, ProviderError> {
  const data = DATA_URL.exec(url);
  if (data !== null) {
    const mediaType = data[1] === undefined || data[1] === '' ? 'text/plain' : data[1];
    const payload = data[4] ?? '';
    if (data[3] !== undefined) return inlineSource(payload, mediaType);
    if (mediaType === 'text/plain') return ok({ type: 'text', media_type: 'text/plain', data: decodeURIComponent(payload) });
    return err(invalidArg(`${where}: a data: URL of type ${mediaType} must be base64-encoded.`, 'messages'));
  }
  if (/^https?:\/\//i.test(url)) return ok({ type: 'url', url });
  return err(invalidArg(`${where}: the URL must be http(s):// or a data: URL.`, 'messages'));
}

/** Inline bytes: base64 for images and PDFs; a plain-text document goes as text, which the API wants. */
function inlineSource(base64: string, mediaType: string): Result<Wire, ProviderError> {
  if (mediaType === 'text/plain') return ok({ type: 'text', media_type: 'text/plain', data: Buffer.from(base64, 'base64').toString('utf8') });
  return ok({ type: 'base64', media_type: mediaType, data: base64 });
}

/** One user content part -> one Anthropic block. An image's `detail` has no Anthropic counterpart and is not sent. */
export function partBlock(part: ContentPart, where: string): Result<Wire, ProviderError> {
  switch (part.type) {
    case 'text':
      return ok(withCache({ type: 'text', text: part.text }, part.cache));
    case 'image':
    case 'document': {
      const src = 'url' in part ? urlSource(part.url, where) : inlineSource(part.data, part.mediaType);
      if (src.isErr()) return err(src.error);
      if (part.type === 'image' && src.value.type === 'text') {
        return err(invalidArg(`${where}: an image needs an image media type, not text/plain.`, 'messages'));
      }
      const block: Wire = { type: part.type, source: src.value };
      if (part.type === 'document' && part.name !== undefined) block.title = part.name;
      return ok(withCache(block, part.cache));
    }
    default:
      return err(invalidArg(`${where}: unknown content part type ${JSON.stringify((part as { type?: unknown }).type)}.`, 'messages'));
  }
}

/** Tool-call arguments back to the object Anthropic wants as `input`; the no-argument `""` is `{}`. */
export function toolInput(call: ToolCall, where: string): Result<Wire, ProviderError> {
  if (call.arguments.trim().length === 0) return ok({});
  try {
    const value: unknown = JSON.parse(call.arguments);
    if (isObject(value)) return ok({ ...value });
  } catch {
    // Reported below with the same message as a non-object.
  }
  return err(invalidArg(`${where}: the arguments of tool call ${call.id} are not a JSON object.`, 'messages'));
}

export function toolUseBlock(call: ToolCall, where: string): Result<Wire, ProviderError> {
  const input = toolInput(call, where);
  return input.isErr() ? err(input.error) : ok({ type: 'tool_use', id: call.id, name: call.name, input: input.value });
}

/** The blocks of one neutral message, with the Anthropic role they belong to. */
export interface Turn {
  readonly role: 'user' | 'assistant';
  readonly blocks: Wire[];
  /** A plain-text user message keeps the short string form when it stands alone. */
  readonly text?: string;
}

export function userTurn(message: Extract<Message, { role: 'user' }>, where: string): Result<Turn, ProviderError> {
  if (typeof message.content === 'string') {
    return ok({ role: 'user', blocks: [{ type: 'text', text: message.content }], text: message.content });
  }
  if (!Array.isArray(message.content)) return err(invalidArg(`${where}: content must be a string or an array of parts.`, 'messages'));
  const blocks: Wire[] = [];
  for (const [i, part] of message.content.entries()) {
    const block = partBlock(part, `${where}.content[${i}]`);
    if (block.isErr()) return err(block.error);
    blocks.push(block.value);
  }
  return ok({ role: 'user', blocks });
}

export function toolResultTurn(message: Extract<Message, { role: 'tool' }>): Turn {
  const block: Wire = { type: 'tool_result', tool_use_id: message.toolCallId, content: message.content };
  if (message.isError === true) block.is_error = true;
  return { role: 'user', blocks: [withCache(block, message.cache)] };
}
