import type { ContentBlock } from '../types.js';
import { isObject, str, type JsonObject } from './json.js';

/**
 * One content block of an Anthropic message in its wire shape, as the non-streaming body
 * has it and as the stream parser rebuilds it. `arguments` is a client tool call's input
 * exactly as the model wrote it (streamed), or its `input` re-serialized (non-streaming).
 */
export interface WireBlock {
  readonly raw: JsonObject;
  readonly arguments?: string;
}

/** Client tool calls are `tool_use`; server and MCP tool blocks run on Anthropic's side. */
export function isClientToolUse(raw: JsonObject): boolean {
  return raw.type === 'tool_use';
}

/** Blocks whose input arrives as `input_json_delta` fragments. */
export function tracksInput(raw: JsonObject): boolean {
  return raw.type === 'tool_use' || raw.type === 'server_tool_use' || raw.type === 'mcp_tool_use';
}

/** The input carried by a block start (`{}` when it is to be streamed), as JSON text; undefined when empty. */
export function initialArguments(raw: JsonObject): string | undefined {
  const input = raw.input;
  if (!isObject(input) || Object.keys(input).length === 0) return undefined;
  return JSON.stringify(input);
}

/** Wire blocks -> neutral content blocks, in order. Blocks llmux has no neutral form for are kept by the caller. */
export function neutralBlocks(blocks: readonly WireBlock[]): ContentBlock[] {
  const out: ContentBlock[] = [];
  for (const block of blocks) {
    const { raw } = block;
    switch (raw.type) {
      case 'text':
        out.push({ type: 'text', text: str(raw, 'text') ?? '' });
        break;
      case 'thinking':
        out.push({ type: 'thinking', text: str(raw, 'thinking') ?? '' });
        break;
      case 'tool_use':
        out.push({
          type: 'tool_call',
          id: str(raw, 'id') ?? '',
          name: str(raw, 'name') ?? '',
          arguments: block.arguments ?? initialArguments(raw) ?? '{}',
        });
        break;
      default:
        break;
    }
  }
  return out;
}
