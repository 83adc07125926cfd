/** Inline Markdown (code, emphasis, strike, links): parsed into nodes, rendered with ANSI styles. */
import { ansi } from './ansi.js';

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

export function renderNodes(nodes: readonly InlineNode[], stack: string[]): string {
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
