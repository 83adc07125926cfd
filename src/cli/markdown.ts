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

// ---------------------------------------------------------------------------------------
// Inline

export type InlineNode =
  | string
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'bold' | 'italic' | 'strike'; readonly children: readonly InlineNode[] }
  | { readonly kind: 'link'; readonly children: readonly InlineNode[]; readonly url: string };

const PUNCTUATION = /[!-/:-@[-`{-~]/;
const WORD = /[\p{L}\p{N}]/u;

function isSpace(char: string | undefined): boolean {
  return char === undefined || /\s/.test(char);
}

function runLength(text: string, at: number, char: string): number {
  let end = at;
  while (text[end] === char) end++;
  return end - at;
}

/** Where a run of `count` delimiter chars closes, searching from `from`; -1 when it does not. */
function findClosing(text: string, from: number, char: string, count: number): number {
  for (let j = from; j < text.length; j++) {
    if (text[j] === '\\') {
      j++;
      continue;
    }
    if (text[j] === '`') {
      // Code spans bind tighter than emphasis.
      const ticks = runLength(text, j, '`');
      const close = text.indexOf('`'.repeat(ticks), j + ticks);
      if (close >= 0) j = close + ticks - 1;
      continue;
    }
    if (text[j] !== char) continue;
    const run = runLength(text, j, char);
    if (run >= count && !isSpace(text[j - 1])) {
      const at = j + run - count;
      if (char !== '_' || !WORD.test(text[at + count] ?? ' ')) return at;
    }
    j += run - 1;
  }
  return -1;
}

/** Splits one line into text and styled spans. Unclosed markers stay literal. */
export function parseInline(text: string): InlineNode[] {
  const nodes: InlineNode[] = [];
  let buffer = '';
  const flush = (): void => {
    if (buffer !== '') nodes.push(buffer);
    buffer = '';
  };
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (char === '\\' && i + 1 < text.length && PUNCTUATION.test(text[i + 1] as string)) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (char === '`') {
      const ticks = runLength(text, i, '`');
      const close = text.indexOf('`'.repeat(ticks), i + ticks);
      if (close >= 0 && runLength(text, close, '`') === ticks) {
        let code = text.slice(i + ticks, close);
        if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ')) code = code.slice(1, -1);
        flush();
        nodes.push({ kind: 'code', text: code });
        i = close + ticks;
        continue;
      }
      buffer += '`'.repeat(ticks);
      i += ticks;
      continue;
    }
    if (char === '*' || char === '_' || char === '~') {
      const span = emphasis(text, i, char);
      if (span !== undefined) {
        flush();
        nodes.push(span.node);
        i = span.end;
        continue;
      }
      const run = runLength(text, i, char);
      buffer += char.repeat(run);
      i += run;
      continue;
    }
    if (char === '[') {
      const link = linkAt(text, i);
      if (link !== undefined) {
        flush();
        nodes.push(link.node);
        i = link.end;
        continue;
      }
    }
    buffer += char;
    i++;
  }
  flush();
  return nodes;
}

function emphasis(text: string, at: number, char: string): { node: InlineNode; end: number } | undefined {
  const run = runLength(text, at, char);
  if (char === '_' && WORD.test(text[at - 1] ?? ' ')) return undefined;
  const tries: readonly (1 | 2)[] = char === '~' ? (run >= 2 ? [2] : []) : run >= 2 ? [2, 1] : [1];
  for (const count of tries) {
    const start = at + count;
    if (isSpace(text[start])) continue;
    const close = findClosing(text, start + 1, char, count);
    if (close < 0) continue;
    const kind = char === '~' ? 'strike' : count === 2 ? 'bold' : 'italic';
    return { node: { kind, children: parseInline(text.slice(start, close)) }, end: close + count };
  }
  return undefined;
}

function linkAt(text: string, at: number): { node: InlineNode; end: number } | undefined {
  const close = text.indexOf('](', at + 1);
  if (close < 0) return undefined;
  const end = text.indexOf(')', close + 2);
  if (end < 0) return undefined;
  const label = text.slice(at + 1, close);
  const url = text.slice(close + 2, end).trim();
  if (label === '' || url === '' || /\s/.test(url) || label.includes('[')) return undefined;
  return { node: { kind: 'link', children: parseInline(label), url }, end: end + 1 };
}

const STYLE_OF: Readonly<Record<'code' | 'bold' | 'italic' | 'strike' | 'link', readonly string[]>> = {
  code: [ansi.cyan],
  bold: [ansi.bold],
  italic: [ansi.italic],
  strike: [ansi.strike],
  link: [ansi.underline, ansi.blue],
};

function renderNodes(nodes: readonly InlineNode[], stack: string[]): string {
  let out = '';
  const open = (styles: readonly string[], inner: () => string): void => {
    stack.push(...styles);
    out += styles.join('') + inner();
    stack.length -= styles.length;
    out += ansi.reset + stack.join('');
  };
  for (const node of nodes) {
    if (typeof node === 'string') out += node;
    else if (node.kind === 'code') open(STYLE_OF.code, () => node.text);
    else if (node.kind === 'link') {
      open(STYLE_OF.link, () => renderNodes(node.children, stack));
      if (node.url !== plainText(node.children)) open([ansi.dim], () => ` (${node.url})`);
    } else open(STYLE_OF[node.kind], () => renderNodes(node.children, stack));
  }
  return out;
}

/** The text of the nodes without markup (links keep their URL in parentheses). */
export function plainText(nodes: readonly InlineNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (typeof node === 'string') out += node;
    else if (node.kind === 'code') out += node.text;
    else if (node.kind === 'link') {
      const label = plainText(node.children);
      out += label === node.url ? label : `${label} (${node.url})`;
    } else out += plainText(node.children);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Streaming

/**
 * Feeds text as it streams in and hands back finished lines, rendered. The unfinished
 * line stays pending; `pending()` previews it, `end()` renders it for good.
 */
export class LineStream {
  readonly #renderer: LineRenderer;
  #partial = '';

  constructor(renderer: LineRenderer) {
    this.#renderer = renderer;
  }

  /** The raw text of the unfinished line. */
  get partial(): string {
    return this.#partial;
  }

  /** Rendered complete lines, each ending in `\n`; '' when no line finished. */
  push(text: string): string {
    this.#partial += text;
    const last = this.#partial.lastIndexOf('\n');
    if (last < 0) return '';
    const lines = this.#partial.slice(0, last).split('\n');
    this.#partial = this.#partial.slice(last + 1);
    let out = '';
    for (const line of lines) out += `${this.#renderer.line(stripCr(line))}\n`;
    return out;
  }

  /** The unfinished line, rendered as if it ended now. */
  pending(): string {
    return this.#partial === '' ? '' : this.#renderer.peek(stripCr(this.#partial));
  }

  /** Renders the unfinished line for good (no newline added). */
  end(): string {
    const last = this.#partial;
    this.#partial = '';
    return last === '' ? '' : this.#renderer.line(stripCr(last));
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
