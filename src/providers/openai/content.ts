import type { ChatResponse, ContentBlock, FinishReason, ToolCall, Usage } from '../types.js';

type TextKind = 'text' | 'thinking' | 'refusal';

type TextSlot = { readonly kind: TextKind; readonly parts: string[] };
type Slot = TextSlot | { readonly kind: 'tool_call'; readonly index: number };

/**
 * Collects a response's content blocks as deltas arrive. Deltas with the same key (say, the
 * text of choice 0, or of one Responses output item) grow one block; blocks keep the order
 * in which their first delta arrived. Text is kept as parts and joined once at the end,
 * since a long answer arrives in thousands of pieces.
 */
export class ContentAssembler {
  readonly #slots: Slot[] = [];
  readonly #byKey = new Map<string, TextSlot>();

  // Nearly every delta continues the block the previous one grew: skip the keyed lookup then.
  #lastKind: TextKind | undefined;
  #lastKey = '';
  #lastParts: string[] = [];

  append(kind: TextKind, key: string, text: string): void {
    if (kind === this.#lastKind && key === this.#lastKey) {
      this.#lastParts.push(text);
      return;
    }
    const mapKey = `${kind}:${key}`;
    let slot = this.#byKey.get(mapKey);
    if (slot === undefined) {
      slot = { kind, parts: [] };
      this.#byKey.set(mapKey, slot);
      this.#slots.push(slot);
    }
    slot.parts.push(text);
    this.#lastKind = kind;
    this.#lastKey = key;
    this.#lastParts = slot.parts;
  }

  /** Reserves the place of tool call `index`; its final arguments are filled in by `blocks`. */
  toolCall(index: number): void {
    this.#slots.push({ kind: 'tool_call', index });
  }

  /** The blocks, with each tool call slot replaced by the finished call of that index (if any). */
  blocks(toolCalls: ReadonlyMap<number, ToolCall>): ContentBlock[] {
    const out: ContentBlock[] = [];
    for (const slot of this.#slots) {
      if (slot.kind === 'tool_call') {
        const call = toolCalls.get(slot.index);
        if (call !== undefined) out.push({ type: 'tool_call', ...call });
      } else {
        out.push({ type: slot.kind, text: slot.parts.join('') });
      }
    }
    return out;
  }
}

export interface ResponseParts {
  readonly id?: string | undefined;
  readonly model: string;
  readonly content: readonly ContentBlock[];
  readonly finishReason: FinishReason;
  readonly usage: Usage | null;
  readonly rawFinishReason?: string | undefined;
}

/** Fills in the convenience fields (`text`, `toolCalls`) from the blocks, so they always agree. */
export function buildResponse(parts: ResponseParts): ChatResponse {
  const text = parts.content
    .filter((block): block is Extract<ContentBlock, { type: 'text' }> => block.type === 'text')
    .map((block) => block.text)
    .join('');
  const toolCalls: ToolCall[] = [];
  for (const block of parts.content) {
    if (block.type === 'tool_call') toolCalls.push({ id: block.id, name: block.name, arguments: block.arguments });
  }
  const response: { -readonly [K in keyof ChatResponse]: ChatResponse[K] } = {
    model: parts.model,
    content: parts.content,
    text,
    toolCalls,
    finishReason: parts.finishReason,
    usage: parts.usage,
  };
  if (parts.id !== undefined) response.id = parts.id;
  if (parts.rawFinishReason !== undefined) response.rawFinishReason = parts.rawFinishReason;
  return response;
}
