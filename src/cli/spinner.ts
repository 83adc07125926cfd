/** A one-line spinner for stderr. The frame is a pure function of time; the host loop redraws it. */
import { ansi, paint } from './ansi.js';

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;
export const SPINNER_INTERVAL_MS = 80;

/** The frame shown `elapsedMs` after the spinner started. */
export function spinnerFrame(elapsedMs: number): string {
  const index = Math.floor(Math.max(0, elapsedMs) / SPINNER_INTERVAL_MS) % SPINNER_FRAMES.length;
  return SPINNER_FRAMES[index] as string;
}

export interface SpinnerOptions {
  readonly write: (text: string) => void;
  readonly now: () => number;
  readonly label: string;
  readonly color: boolean;
  /** A status that replaces the label while it has one (the rate governor's wait). */
  readonly status?: () => string | undefined;
}

/** Draws itself on the current line and erases itself when stopped. */
export class Spinner {
  readonly #options: SpinnerOptions;
  #startedAt = 0;
  #running = false;
  #lastFrame = '';
  /** The words after the frame. */
  label: string;

  constructor(options: SpinnerOptions) {
    this.#options = options;
    this.label = options.label;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#startedAt = this.#options.now();
    this.#lastFrame = '';
    this.tick();
  }

  /** Redraws when the frame changed. Returns ms until the next frame, or -1 when stopped. */
  tick(): number {
    if (!this.#running) return -1;
    const elapsed = this.#options.now() - this.#startedAt;
    const status = this.#options.status?.();
    const seconds = elapsed >= 1000 ? ` ${Math.floor(elapsed / 1000)}s` : '';
    const text = status ?? `${this.label}${seconds}`;
    const frame = `${spinnerFrame(elapsed)} ${text}`;
    if (frame !== this.#lastFrame) {
      this.#lastFrame = frame;
      this.#options.write(`\r${ansi.clearLine}${paint(ansi.cyan, spinnerFrame(elapsed), this.#options.color)} ${paint(ansi.dim, text, this.#options.color)}`);
    }
    return SPINNER_INTERVAL_MS - (elapsed % SPINNER_INTERVAL_MS);
  }

  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#options.write(`\r${ansi.clearLine}`);
  }
}
