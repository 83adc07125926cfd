/** ANSI escape sequences and the visible width of styled text. Pure. */

export const ESC = '\x1b[';

export const ansi = {
  reset: `${ESC}0m`,
  bold: `${ESC}1m`,
  dim: `${ESC}2m`,
  italic: `${ESC}3m`,
  underline: `${ESC}4m`,
  strike: `${ESC}9m`,
  red: `${ESC}31m`,
  green: `${ESC}32m`,
  yellow: `${ESC}33m`,
  blue: `${ESC}34m`,
  magenta: `${ESC}35m`,
  cyan: `${ESC}36m`,
  gray: `${ESC}90m`,
  /** Erases the whole line the cursor is on. */
  clearLine: `${ESC}2K`,
  /** Erases from the cursor to the end of the screen. */
  clearDown: `${ESC}J`,
  hideCursor: `${ESC}?25l`,
  showCursor: `${ESC}?25h`,
} as const;

export function cursorUp(rows: number): string {
  return rows > 0 ? `${ESC}${rows}A` : '';
}

/** `text` wrapped in a style, or left alone when colour is off. */
export function paint(style: string, text: string, color: boolean): string {
  return color && text !== '' ? `${style}${text}${ansi.reset}` : text;
}

// CSI sequences (colours, cursor moves) and OSC sequences (titles, links).
const ANSI_PATTERN = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/**
 * Code points a terminal draws two cells wide: East Asian Width W and F (CJK, Hangul, kana,
 * fullwidth forms) and the emoji that default to emoji presentation. Sorted [first, last]
 * pairs, binary-searched. Emoji outside these ranges (❤, ☀, ✈) default to text
 * presentation and are one cell unless followed by U+FE0F, which terminals disagree on.
 */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0],
  [0x23f3, 0x23f3], [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f],
  [0x2693, 0x2693], [0x26a1, 0x26a1], [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5],
  [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea], [0x26f2, 0x26f3], [0x26f5, 0x26f5],
  [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b], [0x2728, 0x2728],
  [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797],
  [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55],
  // CJK radicals to Yi, but not U+303F (the half-width ideographic space).
  [0x2e80, 0x303e], [0x3041, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff],
  [0xfe10, 0xfe19], [0xfe30, 0xfe52], [0xfe54, 0xfe66], [0xfe68, 0xfe6b], [0xff01, 0xff60],
  [0xffe0, 0xffe6], [0x16fe0, 0x16fe4], [0x17000, 0x18cd5], [0x1b000, 0x1b2fb],
  [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a],
  [0x1f1e6, 0x1f1ff], [0x1f200, 0x1f64f], [0x1f680, 0x1f6ff], [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff], [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
];

/** True for code points a terminal draws two cells wide (see WIDE). */
export function isWide(codePoint: number): boolean {
  let low = 0;
  let high = WIDE.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [first, last] = WIDE[middle] as readonly [number, number];
    if (codePoint < first) high = middle - 1;
    else if (codePoint > last) low = middle + 1;
    else return true;
  }
  return false;
}

function isZeroWidth(codePoint: number): boolean {
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint < 0xa0) ||
    (codePoint >= 0x300 && codePoint <= 0x36f) ||
    codePoint === 0x200b ||
    codePoint === 0x200d ||
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f)
  );
}

function isRegionalIndicator(codePoint: number): boolean {
  return codePoint >= 0x1f1e6 && codePoint <= 0x1f1ff;
}

/**
 * Each character of plain text with the cells it takes. Two regional indicators make one
 * flag, drawn two cells wide (and a terminal without flags draws two one-cell letters), so
 * the second of a pair takes none.
 */
function cells(text: string): Array<readonly [string, number]> {
  const out: Array<readonly [string, number]> = [];
  let openFlag = false;
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (isRegionalIndicator(codePoint)) {
      out.push([char, openFlag ? 0 : 2]);
      openFlag = !openFlag;
      continue;
    }
    openFlag = false;
    out.push([char, isZeroWidth(codePoint) ? 0 : isWide(codePoint) ? 2 : 1]);
  }
  return out;
}

/** Terminal cells `text` takes once its escape sequences are removed (an approximation for exotic scripts). */
export function visibleWidth(text: string): number {
  let width = 0;
  for (const [, w] of cells(stripAnsi(text))) width += w;
  return width;
}

/** Cuts plain text (no escapes) to at most `max` cells, ending in `…` when cut. */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  if (visibleWidth(text) <= max) return text;
  let out = '';
  let width = 0;
  for (const [char, w] of cells(text)) {
    if (width + w > max - 1) break;
    out += char;
    width += w;
  }
  return `${out}…`;
}

/** The last `max` cells of plain text, starting with `…` when cut. */
export function tail(text: string, max: number): string {
  if (max <= 0) return '';
  if (visibleWidth(text) <= max) return text;
  const chars = cells(text);
  let out = '';
  let width = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const [char, w] = chars[i] as readonly [string, number];
    if (width + w > max - 1) break;
    out = char + out;
    width += w;
  }
  return `…${out}`;
}

/**
 * Rows below its first row where the cursor sits after writing `width` cells from column 1
 * on a terminal `columns` wide (a full last row leaves the cursor on that row, pending wrap).
 */
export function rowsAfter(width: number, columns: number): number {
  if (width <= 0) return 0;
  return Math.floor((width - 1) / Math.max(1, columns));
}
