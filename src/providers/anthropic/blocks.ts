import { ok, type Result } from 'neverthrow';
import type { ProviderError } from '../../errors/category.js';
import { asJsonValue, isObject, stringifyJson, type JsonObject } from '../kit/index.js';
import type { ContentBlock, OpaqueJson } from '../types.js';
import { str } from './json.js';

/** The name provider blocks carry: only this provider sends them back. */
export const PROVIDER = 'anthropic';

/** Client tool calls are `tool_use`; server and MCP tool blocks run on Anthropic's side. */
export function isClientToolUse(raw: JsonObject): boolean {
  return raw.type === 'tool_use';
}

/** Blocks whose input arrives as `input_json_delta` fragments. */
export function tracksInput(raw: JsonObject): boolean {
  return raw.type === 'tool_use' || raw.type === 'server_tool_use' || raw.type === 'mcp_tool_use';
}

/**
 * The input carried by a block start or a finished block, as JSON text; undefined when empty
 * or absent; a `protocol` error when it is too deep to re-encode.
 */
export function inputText(raw: JsonObject): Result<string | undefined, ProviderError> {
  const input = raw.input;
  if (!isObject(input) || Object.keys(input).length === 0) return ok(undefined);
  return stringifyJson(input, `The input of tool_use block ${JSON.stringify(str(raw, 'id') ?? '')}`);
}

/**
 * One finished Anthropic content block (its wire shape, as the non-streaming body has it)
 * -> its neutral block. Text, thinking (with its signature) and client tool calls have
 * neutral forms; everything else (redacted thinking, server and MCP tool blocks and their
 * results, compaction, ...) is kept verbatim as a `provider` block, to be sent back.
 */
export function neutralBlock(raw: JsonObject): Result<ContentBlock, ProviderError> {
  if (raw.type === 'tool_use') {
    return inputText(raw).map((args) => ({ type: 'tool_call', id: str(raw, 'id') ?? '', name: str(raw, 'name') ?? '', arguments: args ?? '{}' }));
  }
  return ok(otherBlock(raw));
}

function otherBlock(raw: JsonObject): ContentBlock {
  switch (raw.type) {
    case 'text': {
      const citations = Array.isArray(raw.citations) && raw.citations.length > 0 ? (asJsonValue(raw.citations) as OpaqueJson[]) : undefined;
      const text = str(raw, 'text') ?? '';
      return citations === undefined ? { type: 'text', text } : { type: 'text', text, citations };
    }
    case 'thinking': {
      const signature = str(raw, 'signature');
      const text = str(raw, 'thinking') ?? '';
      return signature === undefined || signature.length === 0 ? { type: 'thinking', text } : { type: 'thinking', text, signature };
    }
    default:
      return { type: 'provider', provider: PROVIDER, data: asJsonValue(raw) };
  }
}
