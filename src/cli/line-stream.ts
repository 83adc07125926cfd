import type { LineRenderer } from './markdown.js';

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
