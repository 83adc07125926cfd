import type { ChatResponse, ContentBlock, FinishReason, OpaqueJson, ToolCall, Usage } from '../types.js';

/** The kinds of block that grow from text deltas. */
export type TextKind = 'text' | 'thinking' | 'refusal';

type TextSlot = { readonly kind: TextKind; readonly parts: string[]; signature: string | undefined };
type Slot =
  | TextSlot
  | { readonly kind: 'tool_call' }
  | { readonly kind: 'provider'; readonly provider: string; readonly data: OpaqueJson };

/** A finished tool call as the result holds it. */
export type FinishedCall = ToolCall & { readonly signature?: string };

/**
 * Collects a response's content blocks as deltas arrive. Deltas with the same kind and key
 * (the text of choice 0, one Responses output item, one Anthropic content block) grow one
 * block; blocks keep the order in which their first delta arrived. Text is kept as parts and
 * joined once at the end, since a long answer arrives in thousands of pieces.
 *
 * Tool calls reserve a place where the first of them appeared; `blocks` fills those places
 * with the finished calls in the order the caller gives (wire index order), so interleaved
 * calls come out sorted while text and calls keep their relative positions.
 */
export class ContentAssembler {
  readonly #slots: Slot[] = [];
  readonly #byKey = new Map<string, TextSlot>();

  // Nearly every delta continues the block the previous one grew: skip the keyed lookup then.
  #lastKind: TextKind | undefined;
  #lastKey = '';
  #last: TextSlot | undefined;

  /** Appends text (possibly empty: a signature-only part still makes its block exist). */
  append(kind: TextKind, key: string, text: string, signature?: string): void {
    let slot: TextSlot | undefined;
    if (kind === this.#lastKind && key === this.#lastKey) {
      slot = this.#last;
    } else {
      const mapKey = `${kind}:${key}`;
      slot = this.#byKey.get(mapKey);
      if (slot === undefined) {
        slot = { kind, parts: [], signature: undefined };
        this.#byKey.set(mapKey, slot);
        this.#slots.push(slot);
      }
      this.#lastKind = kind;
      this.#lastKey = key;
      this.#last = slot;
    }
    if (slot === undefined) return;
    if (text.length > 0) slot.parts.push(text);
    // The last signature wins: providers send one per block, at its end.
    if (signature !== undefined && signature.length > 0) slot.signature = signature;
  }

  /** Reserves the place of the next tool call in order (see `blocks`). */
  toolCall(): void {
    this.#slots.push({ kind: 'tool_call' });
  }

  /** An opaque block that must round-trip; it takes its place now. */
  provider(provider: string, data: OpaqueJson): void {
    this.#slots.push({ kind: 'provider', provider, data });
  }

  /**
   * The blocks. Tool call places are filled, in order, with `toolCalls` (already sorted;
   * one place was reserved per call of the result).
   */
  blocks(toolCalls: readonly FinishedCall[]): ContentBlock[] {
    const out: ContentBlock[] = [];
    let next = 0;
    for (const slot of this.#slots) {
      if (slot.kind === 'tool_call') {
        const call = toolCalls[next++];
        if (call !== undefined) out.push({ type: 'tool_call', ...call });
      } else if (slot.kind === 'provider') {
        out.push({ type: 'provider', provider: slot.provider, data: slot.data });
      } else {
        const text = slot.parts.join('');
        out.push(
          slot.kind !== 'refusal' && slot.signature !== undefined
            ? { type: slot.kind, text, signature: slot.signature }
            : { type: slot.kind, text },
        );
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

/**
 * Builds a ChatResponse from its blocks, filling in the convenience fields (`text`,
 * `toolCalls`) so they always agree with `content`. Non-streaming parsers use it directly.
 */
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
