import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { CacheControl, ContentPart, DocumentPart, Message, ToolCall } from '../types.js';
import { isObject } from './json.js';

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

const DATA_URL = /^data:([^;,]+)?((?:;[^;,]*)*?)(;base64)?,(.*)$/s;

/** An image URL -> Anthropic's source: `data:` URLs are inlined as base64, http(s) URLs fetched by the API. */
function source(url: string, where: string, textAllowed: boolean): Result<Wire, ProviderError> {
  const data = DATA_URL.exec(url);
  if (data !== null) {
    const mediaType = data[1] ?? 'text/plain';
    const payload = data[4] ?? '';
    if (data[3] !== undefined) {
      if (textAllowed && mediaType === 'text/plain') {
        return ok({ type: 'text', media_type: 'text/plain', data: Buffer.from(payload, 'base64').toString('utf8') });
      }
      return ok({ type: 'base64', media_type: mediaType, data: payload });
    }
    if (textAllowed && mediaType === 'text/plain') return ok({ type: 'text', media_type: 'text/plain', data: decodeURIComponent(payload) });
    return err(invalidArg(`${where}: a data: URL of type ${mediaType} must be base64-encoded.`, 'messages'));
  }
  if (/^https?:\/\//i.test(url)) return ok({ type: 'url', url });
  return err(invalidArg(`${where}: the URL must be https://... or a data: URL.`, 'messages'));
}

function documentBlock(part: DocumentPart, where: string): Result<Wire, ProviderError> {
  let src: Result<Wire, ProviderError>;
  if (part.text !== undefined && part.url === undefined) src = ok({ type: 'text', media_type: 'text/plain', data: part.text });
  else if (part.url !== undefined && part.text === undefined) src = source(part.url, where, true);
  else return err(invalidArg(`${where}: a document needs exactly one of \`url\` and \`text\`.`, 'messages'));
  if (src.isErr()) return err(src.error);
  const block: Wire = { type: 'document', source: src.value };
  if (part.title !== undefined) block.title = part.title;
  if (part.context !== undefined) block.context = part.context;
  if (part.citations !== undefined) block.citations = { enabled: part.citations };
  return ok(withCache(block, part.cache));
}

/** One user content part -> one Anthropic block. An image's `detail` has no Anthropic counterpart and is not sent. */
export function partBlock(part: ContentPart, where: string): Result<Wire, ProviderError> {
  switch (part.type) {
    case 'text':
      return ok(withCache({ type: 'text', text: part.text }, part.cache));
    case 'image': {
      const src = source(part.url, where, false);
      return src.isErr() ? err(src.error) : ok(withCache({ type: 'image', source: src.value }, part.cache));
    }
    case 'document':
      return documentBlock(part, where);
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
