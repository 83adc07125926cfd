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

/** True for code points a terminal draws two cells wide (CJK, fullwidth forms, most emoji). */
export function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf && codePoint !== 0x303f) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1f64f) ||
    (codePoint >= 0x1f900 && codePoint <= 0x1f9ff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
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

function charWidth(char: string): number {
  const codePoint = char.codePointAt(0) ?? 0;
  if (isZeroWidth(codePoint)) return 0;
  return isWide(codePoint) ? 2 : 1;
}

/** Terminal cells `text` takes once its escape sequences are removed (an approximation for exotic scripts). */
export function visibleWidth(text: string): number {
  let width = 0;
  for (const char of stripAnsi(text)) width += charWidth(char);
  return width;
}

/** Cuts plain text (no escapes) to at most `max` cells, ending in `…` when cut. */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  if (visibleWidth(text) <= max) return text;
  let out = '';
  let width = 0;
  for (const char of text) {
    const w = charWidth(char);
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
  const chars = [...text];
  let out = '';
  let width = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const char = chars[i] as string;
    const w = charWidth(char);
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
