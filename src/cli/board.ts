/** The live board of `llmux demo`: one line per stream, redrawn in place. Pure rendering. */
import { ansi, paint, tail, truncate } from './ansi.js';
import { parseInline, plainText } from './markdown.js';
import { formatBytes } from './format.js';

export type StreamStatus = 'queued' | 'waiting' | 'streaming' | 'done' | 'failed' | 'cancelled';

export interface StreamRow {
  readonly id: number;
  readonly name: string;
  readonly status: StreamStatus;
  /** 0..1 */
  readonly progress: number;
  readonly text: string;
  /** Shown instead of the text when failed. */
  readonly note?: string;
}

export interface BoardTotals {
  readonly streams: number;
  readonly running: number;
  readonly done: number;
  readonly failed: number;
  readonly events: number;
  readonly bytes: number;
  readonly elapsedMs: number;
}

const ICONS: Readonly<Record<StreamStatus, { readonly icon: string; readonly style: string }>> = {
  queued: { icon: '·', style: ansi.gray },
  waiting: { icon: '…', style: ansi.yellow },
  streaming: { icon: '▸', style: ansi.cyan },
  done: { icon: '✓', style: ansi.green },
  failed: { icon: '✗', style: ansi.red },
  cancelled: { icon: '■', style: ansi.yellow },
};

export const BAR_WIDTH = 16;

export function progressBar(progress: number, width = BAR_WIDTH): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(progress) ? progress : 0));
  const full = Math.round(clamped * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

/** Text on one line: whitespace runs (newlines too) become single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function boardHeader(totals: BoardTotals, width: number, color: boolean): string {
  const seconds = (totals.elapsedMs / 1000).toFixed(1);
  const failed = totals.failed > 0 ? ` · ${totals.failed} failed` : '';
  const text = `llmux demo — ${totals.streams} streams · ${totals.running} running · ${totals.done} done${failed} · ${totals.events} events · ${formatBytes(totals.bytes)} · ${seconds} s`;
  return paint(ansi.bold, truncate(text, Math.max(1, width - 1)), color);
}

export function boardRow(row: StreamRow, width: number, color: boolean, nameWidth: number): string {
  const { icon, style } = ICONS[row.status];
  const id = `#${String(row.id).padStart(2, '0')}`;
  const percent = `${String(Math.round(Math.min(1, Math.max(0, row.progress)) * 100)).padStart(3)}%`;
  const name = truncate(row.name, nameWidth).padEnd(nameWidth);
  const head = `${id} ${icon} ${progressBar(row.progress)} ${percent} ${name} `;
  const room = Math.max(0, width - head.length - 1);
  const body = row.note !== undefined ? truncate(oneLine(row.note), room) : tail(plainText(parseInline(oneLine(row.text))), room);
  const bodyStyle = row.note !== undefined ? ansi.red : ansi.dim;
  return `${paint(ansi.gray, id, color)} ${paint(style, icon, color)} ${paint(style, progressBar(row.progress), color)} ${percent} ${name} ${paint(bodyStyle, body, color)}`;
}

/** The board's lines: a header, one row per stream (as many as fit in `height`), and a count of the rest. */
export function renderBoard(rows: readonly StreamRow[], totals: BoardTotals, width: number, height: number, color: boolean): string[] {
  const nameWidth = Math.min(16, Math.max(4, ...rows.map((row) => row.name.length)));
  const lines = [boardHeader(totals, width, color)];
  const fit = Math.max(1, height - 2);
  const shown = rows.length > fit ? rows.slice(0, fit - 1) : rows;
  for (const row of shown) lines.push(boardRow(row, width, color, nameWidth));
  if (shown.length < rows.length) lines.push(paint(ansi.dim, `… and ${rows.length - shown.length} more streams`, color));
  return lines;
}
