import { assistantBlocks } from '../kit/wire.js';
import type { Message, ToolCall } from '../types.js';

/**
 * What OpenAI's APIs can take back of an assistant turn: its text and its tool calls.
 * Round-tripped `blocks` are read for text and tool_call blocks; thinking, refusals,
 * signatures and `provider` blocks have no place in an OpenAI request and are dropped
 * (Responses reasoning items would need their encrypted content, which llmux does not keep).
 * Without `blocks`, `content` is sent as given (an empty string stays one).
 */
export function assistantTurn(message: Extract<Message, { role: 'assistant' }>): { text: string | undefined; calls: ToolCall[] } {
  if (!Array.isArray(message.blocks)) return { text: message.content, calls: [...(message.toolCalls ?? [])] };
  const texts: string[] = [];
  const calls: ToolCall[] = [];
  for (const block of assistantBlocks(message)) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_call') calls.push({ id: block.id, name: block.name, arguments: block.arguments });
  }
  return { text: texts.length === 0 ? undefined : texts.join(''), calls };
}
