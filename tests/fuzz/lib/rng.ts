import { mulberry32 } from '../../../src/vcr/faults.js';

/** A seeded source of choices; the same seed gives the same case, which is what makes a failure replayable. */
export class Rng {
  readonly #next: () => number;

  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }

  float(): number {
    return this.#next();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.#next() * n);
  }

  /** An integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.#next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** A 32-bit seed for a sub-generator, so one case's parts do not shift when another part changes. */
  seed(): number {
    return Math.floor(this.#next() * 0x1_0000_0000) >>> 0;
  }
}

const WORDS = ['hello', 'world', 'sockets', 'ü', '€', '🌍', '"quoted"', 'back\\slash', 'new\nline', 'tab\t', '日本語', ' ', '{', '}', 'data: x', '\r', '[DONE]'];

/** Text that exercises escaping and multi-byte characters (JSON.stringify escapes the control characters). */
export function randomText(rng: Rng, maxWords = 6): string {
  const count = rng.range(1, maxWords);
  let text = '';
  for (let i = 0; i < count; i++) text += rng.pick(WORDS);
  return text;
}

/** Splits `text` into 1..max pieces at random places (by UTF-16 unit; a piece may be empty only when text is). */
export function splitText(rng: Rng, text: string, max = 4): string[] {
  if (text.length <= 1) return [text];
  const pieces: string[] = [];
  let rest = text;
  for (let i = rng.range(1, max) - 1; i > 0 && rest.length > 1; i--) {
    const cut = rng.range(1, rest.length - 1);
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}
