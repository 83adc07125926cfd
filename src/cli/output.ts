/**
 * Where an answer goes as it streams. Text is pushed in, drawn on flush() (after each pump),
 * and can be held while the cancel prompt is up: nothing that arrives meanwhile is lost, it
 * is drawn on release().
 */
import { ansi, cursorUp, rowsAfter, visibleWidth } from './ansi.js';
import type { LineStream } from './markdown.js';

export interface Output {
  push(text: string): void;
  /** Draws what was pushed (unless held). */
  flush(): void;
  /** Shows `prompt` on stderr and holds further drawing. */
  hold(prompt: string): void;
  /** Removes the prompt and draws everything held back. */
  release(): void;
  /** Draws the rest and leaves the cursor at the start of a line. */
  end(): void;
  /** Text pushed so far, raw. */
  readonly text: string;
}

export interface Sinks {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/**
 * For a terminal: finished lines are rendered and written for good; the unfinished line is
 * shown as a preview and redrawn as it grows (rendering may change once it ends). The
 * prompt goes on the row below it, so answering it can erase exactly the rows it used.
 */
export class LiveOutput implements Output {
  readonly #sinks: Sinks;
  readonly #lines: LineStream;
  readonly #columns: () => number;
  #text = '';
  #unflushed = '';
  /** The preview of the unfinished line now on screen. */
  #shown = '';
  /** Rows from the preview's first row down to the prompt's row, while held. */
  #promptRows: number | undefined;

  constructor(sinks: Sinks, lines: LineStream, columns: () => number) {
    this.#sinks = sinks;
    this.#lines = lines;
    this.#columns = columns;
  }

  get text(): string {
    return this.#text;
  }

  push(text: string): void {
    this.#text += text;
    this.#unflushed += text;
  }

  flush(): void {
    if (this.#promptRows !== undefined || this.#unflushed === '') return;
    const finished = this.#lines.push(this.#unflushed);
    this.#unflushed = '';
    this.#draw(finished + this.#lines.pending());
  }

  /** Replaces the preview with `next` (finished lines + new preview), writing only the difference when it extends it. */
  #draw(next: string): void {
    const newline = next.lastIndexOf('\n');
    const preview = next.slice(newline + 1);
    if (next.startsWith(this.#shown)) {
      const added = next.slice(this.#shown.length);
      if (added !== '') this.#sinks.out(added);
    } else {
      this.#erasePreview();
      this.#sinks.out(next);
    }
    this.#shown = preview;
  }

  #erasePreview(): void {
    if (this.#shown === '') return;
    this.#sinks.out(`\r${cursorUp(rowsAfter(visibleWidth(this.#shown), this.#columns()))}${ansi.clearDown}`);
    this.#shown = '';
  }

  hold(prompt: string): void {
    if (this.#promptRows !== undefined) return;
    this.flush();
    if (this.#shown === '') {
      this.#promptRows = 0;
      this.#sinks.err(prompt);
    } else {
      this.#promptRows = rowsAfter(visibleWidth(this.#shown), this.#columns()) + 1;
      this.#sinks.err(`\n${prompt}`);
    }
  }

  release(): void {
    const rows = this.#promptRows;
    if (rows === undefined) return;
    this.#promptRows = undefined;
    // Back to the preview's first row, erase it and the prompt, then draw it all again.
    this.#sinks.err(`\r${cursorUp(rows)}${ansi.clearDown}`);
    const preview = this.#shown;
    this.#shown = '';
    const finished = this.#lines.push(this.#unflushed);
    this.#unflushed = '';
    const next = finished + this.#lines.pending();
    if (next === '' && preview !== '') this.#sinks.out(preview);
    else if (next !== '') this.#sinks.out(next);
    this.#shown = next === '' ? preview : next.slice(next.lastIndexOf('\n') + 1);
  }

  end(): void {
    this.release();
    this.flush();
    const last = this.#lines.end();
    if (this.#shown !== '' || last !== '') {
      this.#draw(last);
      this.#sinks.out('\n');
    }
    this.#shown = '';
  }
}

/**
 * For a pipe or file: rendered line by line, each written once its newline arrived. A
 * prompt (when stderr is a terminal) sits on stderr's own line.
 */
export class LineOutput implements Output {
  readonly #sinks: Sinks;
  readonly #lines: LineStream;
  readonly #promptOnTerminal: boolean;
  #text = '';
  #unflushed = '';
  #held = false;

  constructor(sinks: Sinks, lines: LineStream, promptOnTerminal: boolean) {
    this.#sinks = sinks;
    this.#lines = lines;
    this.#promptOnTerminal = promptOnTerminal;
  }

  get text(): string {
    return this.#text;
  }

  push(text: string): void {
    this.#text += text;
    this.#unflushed += text;
  }

  flush(): void {
    if (this.#held || this.#unflushed === '') return;
    const finished = this.#lines.push(this.#unflushed);
    this.#unflushed = '';
    if (finished !== '') this.#sinks.out(finished);
  }

  hold(prompt: string): void {
    if (this.#held) return;
    this.flush();
    this.#held = true;
    if (this.#promptOnTerminal) this.#sinks.err(prompt);
  }

  release(): void {
    if (!this.#held) return;
    this.#held = false;
    if (this.#promptOnTerminal) this.#sinks.err(`\r${ansi.clearLine}`);
    this.flush();
  }

  end(): void {
    this.release();
    this.flush();
    const last = this.#lines.end();
    if (last !== '') this.#sinks.out(`${last}\n`);
  }
}
