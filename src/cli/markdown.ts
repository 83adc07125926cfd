/**
 * A streaming, line-based Markdown renderer for terminals. Pure: text in, ANSI text out.
 *
 * Block state (fenced code) carries from line to line; everything else is decided per line,
 * so a line can be rendered the moment its newline arrives, and an unfinished line can be
 * previewed (`peek`) without disturbing the state. Covers what chat models write: ATX
 * headings, **bold**, *italic*, `code`, ~~strike~~, [links](url), fenced code blocks,
 * bullet / numbered / task lists, block quotes and rules.
 */
import { ansi } from './ansi.js';
import { parseInline, plainText, renderNodes } from './markdown-inline.js';

/** Renders complete lines; `peek` shows an unfinished one as it would look if it ended now. */
export interface LineRenderer {
  line(text: string): string;
  peek(text: string): string;
}

/** Text as it came. */
export const PLAIN_RENDERER: LineRenderer = {
  line: (text) => text,
  peek: (text) => text,
};

export interface MarkdownOptions {
  /** False: no escape sequences at all (markers still become bullets and rules). Default true. */
  readonly color?: boolean;
  /** Width of a horizontal rule. Default 40. */
  readonly ruleWidth?: number;
}

interface Fence {
  readonly char: '`' | '~';
  readonly length: number;
  /** Spaces before the opener: up to that many are indentation, not code (as CommonMark strips them). */
  readonly indent: number;
  /** The most spaces a closer may have: the enclosing list item's content indent + 3. */
  readonly maxIndent: number;
}

/**
 * What carries from one line to the next: the open fence, and the content indents of the
 * open list items, innermost last (a fence may sit at an item's content indent + 0-3 spaces).
 */
interface BlockState {
  readonly fence: Fence | undefined;
  readonly lists: readonly number[];
}

const FENCE_OPEN = /^( *)(`{3,}|~{3,})\s*([^`]*)$/;
const LIST_ITEM = /^( *)([-*+]|\d{1,9}[.)])( +|$)/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}>[ ]?(.*)$/;
const BULLET = /^([ \t]*)([-*+])[ \t]+(.*)$/;
const ORDERED = /^([ \t]*)(\d{1,9}[.)])[ \t]+(.*)$/;
const TASK = /^\[([ xX])\][ \t]+(.*)$/;

export class MarkdownRenderer implements LineRenderer {
  readonly #color: boolean;
  readonly #ruleWidth: number;
  #state: BlockState = { fence: undefined, lists: [] };

  constructor(options: MarkdownOptions = {}) {
    this.#color = options.color ?? true;
    this.#ruleWidth = Math.max(3, options.ruleWidth ?? 40);
  }

  /** True inside a fenced code block. */
  get inCode(): boolean {
    return this.#state.fence !== undefined;
  }

  line(text: string): string {
    const { out, state } = this.#render(text);
    this.#state = state;
    return out;
  }

  peek(text: string): string {
    return this.#render(text).out;
  }

  #render(text: string): { out: string; state: BlockState } {
    const { fence, lists } = this.#state;
    if (fence !== undefined) {
      if (isClosingFence(text, fence)) return { out: this.#style([ansi.dim], text), state: { fence: undefined, lists } };
      // The indentation stays on screen, unstyled, so the block keeps its place under its item.
      const indent = Math.min(fence.indent, leadingSpaces(text));
      return { out: text.slice(0, indent) + this.#style([ansi.cyan], text.slice(indent)), state: this.#state };
    }
    const open = listsAt(lists, text);
    const base = open[open.length - 1] ?? 0;
    const opener = FENCE_OPEN.exec(text);
    if (opener !== null && (opener[1] as string).length <= base + 3) {
      const marker = opener[2] as string;
      const char = marker[0] === '~' ? '~' : '`';
      const opened: Fence = { char, length: marker.length, indent: (opener[1] as string).length, maxIndent: base + 3 };
      return { out: this.#style([ansi.dim], text), state: { fence: opened, lists: open } };
    }
    const item = LIST_ITEM.exec(text);
    const next = item === null || RULE.test(text) ? open : [...open, contentIndent(item)];
    return { out: this.#block(text), state: { fence: undefined, lists: next } };
  }

  #block(text: string): string {
    const heading = HEADING.exec(text);
    if (heading !== null) {
      const level = (heading[1] as string).length;
      const styles = level === 1 ? [ansi.bold, ansi.underline, ansi.magenta] : level === 2 ? [ansi.bold, ansi.magenta] : [ansi.bold];
      return this.#inline(heading[2] ?? '', styles);
    }
    if (RULE.test(text)) return this.#style([ansi.dim], '─'.repeat(this.#ruleWidth));
    const quote = QUOTE.exec(text);
    if (quote !== null) return this.#style([ansi.gray], '│ ') + this.#inline(quote[1] ?? '', [ansi.italic]);
    const bullet = BULLET.exec(text);
    if (bullet !== null) return this.#listItem(bullet[1] ?? '', '•', bullet[3] ?? '');
    const ordered = ORDERED.exec(text);
    if (ordered !== null) return this.#listItem(ordered[1] ?? '', ordered[2] ?? '', ordered[3] ?? '');
    return this.#inline(text, []);
  }

  #listItem(indent: string, marker: string, rest: string): string {
    const task = TASK.exec(rest);
    if (task !== null) {
      const done = task[1] !== ' ';
      return `${indent}${this.#style([ansi.cyan], done ? '☑' : '☐')} ${this.#inline(task[2] ?? '', done ? [ansi.dim] : [])}`;
    }
    return `${indent}${this.#style([ansi.cyan], marker)} ${this.#inline(rest, [])}`;
  }

  #style(styles: readonly string[], text: string): string {
    if (!this.#color || styles.length === 0 || text === '') return text;
    return `${styles.join('')}${text}${ansi.reset}`;
  }

  #inline(text: string, base: readonly string[]): string {
    const nodes = parseInline(text);
    if (!this.#color) return plainText(nodes);
    const body = renderNodes(nodes, [...base]);
    if (base.length === 0) return body;
    return body === '' ? '' : `${base.join('')}${body}${ansi.reset}`;
  }
}

function isClosingFence(text: string, fence: Fence): boolean {
  const trimmed = text.trim();
  if (trimmed.length < fence.length || leadingSpaces(text) > fence.maxIndent) return false;
  for (const char of trimmed) if (char !== fence.char) return false;
  return true;
}

function leadingSpaces(text: string): number {
  return text.length - text.trimStart().length;
}

/** Where an item's content starts: after the marker and 1-4 spaces (more is code inside the item, so just 1). */
function contentIndent(item: RegExpExecArray): number {
  const before = (item[1] as string).length + (item[2] as string).length;
  const spaces = (item[3] as string).length;
  return before + (spaces >= 1 && spaces <= 4 ? spaces : 1);
}

/**
 * The list items still open at this line. Blank lines keep them (a list goes on after one);
 * a line indented less than an item's content, a new item among them, ends that item.
 */
function listsAt(lists: readonly number[], text: string): readonly number[] {
  if (text.trim() === '' || lists.length === 0) return lists;
  const indent = leadingSpaces(text);
  const kept = lists.filter((content) => content <= indent);
  return kept.length === lists.length ? lists : kept;
}

export { parseInline, plainText, type InlineNode } from './markdown-inline.js';
export { LineStream } from './line-stream.js';
