/** What one streamed answer looks like on screen: spinner, answer text or JSON lines, the cancel prompt. */
import type { Result } from 'neverthrow';
import type { ProviderError } from '../errors/category.js';
import type { ChatResponse, StreamEvent } from '../providers/types.js';
import { CANCEL_PROMPT } from './cancel-prompt.js';
import { colorFor, columnsOf, type CliIo } from './io.js';
import { LineStream, MarkdownRenderer, PLAIN_RENDERER } from './markdown.js';
import { LineOutput, LiveOutput, type Output, type Sinks } from './output.js';
import { Spinner } from './spinner.js';

export interface TurnView {
  /** The request is on its way. */
  begin(label: string): void;
  event(event: StreamEvent): void;
  /** The completion (written by the JSON view). */
  complete(result: Result<ChatResponse, ProviderError>): void;
  /** After each pump. */
  flush(): void;
  /** Ms until the spinner's next frame, -1 when none is due. */
  nextTimer(): number;
  onTimer(): void;
  showPrompt(): void;
  hidePrompt(): void;
  /** Draws the rest; the cursor ends at the start of a line. */
  finish(): void;
  /** The answer text so far. */
  readonly text: string;
}

export type ViewKind = 'json' | 'markdown' | 'plain';

export interface ViewSettings {
  readonly kind: ViewKind;
  /** Spinner on stderr while waiting for the first event. */
  readonly spinner: boolean;
  /** stdout is a terminal: redraw the unfinished line as it grows. */
  readonly live: boolean;
  /** The prompt shows on a terminal (stderr is one). */
  readonly promptOnTerminal: boolean;
  readonly color: boolean;
}

/** Picks the view from the options and what the streams are. */
export function viewSettings(io: CliIo, json: boolean, render: 'auto' | 'plain' | 'markdown'): ViewSettings {
  const live = io.stdout.isTTY === true;
  const kind: ViewKind = json ? 'json' : render === 'markdown' || (render === 'auto' && live) ? 'markdown' : 'plain';
  return {
    kind,
    spinner: io.stderr.isTTY === true && !json,
    live: live && !json,
    promptOnTerminal: io.stderr.isTTY === true,
    color: colorFor(io.stdout, io.env) || (render === 'markdown' && (io.env.NO_COLOR ?? '') === ''),
  };
}

export function sinksOf(io: CliIo): Sinks {
  return { out: (text) => void io.stdout.write(text), err: (text) => void io.stderr.write(text) };
}

export function createTurnView(io: CliIo, settings: ViewSettings, status?: () => string | undefined): TurnView {
  const sinks = sinksOf(io);
  const spinner = settings.spinner
    ? new Spinner({ write: sinks.err, now: () => io.now(), label: 'waiting for the model', color: colorFor(io.stderr, io.env), ...(status === undefined ? {} : { status }) })
    : undefined;
  if (settings.kind === 'json') return new JsonView(new LineOutput(sinks, new LineStream(PLAIN_RENDERER), settings.promptOnTerminal), spinner);
  const renderer = settings.kind === 'markdown' ? new MarkdownRenderer({ color: settings.color, ruleWidth: Math.min(60, columnsOf(io.stdout)) }) : PLAIN_RENDERER;
  const lines = new LineStream(renderer);
  const output = settings.live ? new LiveOutput(sinks, lines, () => columnsOf(io.stdout)) : new LineOutput(sinks, lines, settings.promptOnTerminal);
  return new TextView(output, spinner);
}

/** Shared: the spinner until the first event, and the prompt. */
abstract class BaseView implements TurnView {
  protected readonly output: Output;
  readonly #spinner: Spinner | undefined;
  #waiting = false;
  #prompting = false;

  constructor(output: Output, spinner: Spinner | undefined) {
    this.output = output;
    this.#spinner = spinner;
  }

  get text(): string {
    return this.output.text;
  }

  begin(label: string): void {
    this.#waiting = true;
    if (this.#spinner !== undefined) this.#spinner.label = label;
    this.#spinner?.start();
  }

  event(event: StreamEvent): void {
    if (this.#waiting) {
      this.#waiting = false;
      this.#spinner?.stop();
    }
    this.onEvent(event);
  }

  protected abstract onEvent(event: StreamEvent): void;

  complete(_result: Result<ChatResponse, ProviderError>): void {
    this.#waiting = false;
    this.#spinner?.stop();
  }

  flush(): void {
    this.output.flush();
  }

  nextTimer(): number {
    return this.#spinner?.running === true && !this.#prompting ? this.#spinner.tick() : -1;
  }

  onTimer(): void {
    if (!this.#prompting) this.#spinner?.tick();
  }

  showPrompt(): void {
    if (this.#prompting) return;
    this.#prompting = true;
    this.#spinner?.stop();
    this.output.hold(CANCEL_PROMPT);
  }

  hidePrompt(): void {
    if (!this.#prompting) return;
    this.#prompting = false;
    this.output.release();
    if (this.#waiting) this.#spinner?.start();
  }

  finish(): void {
    this.#waiting = false;
    this.#spinner?.stop();
    this.hidePrompt();
    this.output.end();
  }
}

class TextView extends BaseView {
  protected onEvent(event: StreamEvent): void {
    if (event.type === 'text_delta') this.output.push(event.text);
  }
}

/** Normalized events as JSONL, then the completion as a final `{"type":"completion",...}` line. */
class JsonView extends BaseView {
  #text = '';

  override get text(): string {
    return this.#text;
  }

  protected onEvent(event: StreamEvent): void {
    if (event.type === 'text_delta') this.#text += event.text;
    this.output.push(`${JSON.stringify(event)}\n`);
  }

  override complete(result: Result<ChatResponse, ProviderError>): void {
    super.complete(result);
    const line = result.isOk() ? { type: 'completion', ok: true, response: result.value } : { type: 'completion', ok: false, error: result.error };
    this.output.push(`${JSON.stringify(line)}\n`);
  }
}
