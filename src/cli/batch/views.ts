/** The batch progress views: the redrawn status line, the plain line, the summary table. Pure. */
import type { ProgressSnapshot, Tally } from '../../batch/progress.js';
import { ansi, paint, truncate } from '../ansi.js';
import { progressBar } from '../board.js';

/** `1:02:03`, `4:05`, `0:09`. */
export function clockTime(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** `$0.0123`, `$12.34`, `?` when nothing is priced; a `+` when some answers have no price. */
export function money(cost: number, unknown: number): string {
  if (cost === 0 && unknown > 0) return '$?';
  const text = cost < 1 ? `$${cost.toFixed(4)}` : `$${cost.toFixed(2)}`;
  return unknown > 0 ? `${text}+` : text;
}

/** `12.3k`, `4.5M`, `999`. */
export function count(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

function rate(perSecond: number): string {
  return perSecond >= 10 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}

/** The fields every view shows, in one order. */
function fields(p: ProgressSnapshot): string[] {
  const finished = p.ok + p.failed;
  return [
    `${finished}/${p.total}`,
    `ok ${p.ok}`,
    `failed ${p.failed}`,
    `in flight ${p.inFlight}`,
    `rate-limited ${p.queuedForRate}`,
    `${rate(p.perSecond)} req/s`,
    `tokens ${count(p.inputTokens)} in / ${count(p.outputTokens)} out`,
    `cost ${money(p.cost, p.costUnknown)}`,
    `eta ${p.etaMs === null ? '?' : clockTime(p.etaMs)}`,
  ];
}

/** The status line a terminal redraws in place (no newline; the caller clears the line first). */
export function statusLine(p: ProgressSnapshot, columns: number, color: boolean, note = ''): string {
  const done = p.total === 0 ? 1 : (p.ok + p.failed) / p.total;
  const [head = '', okField = '', failedField = '', ...rest] = fields(p);
  const parts = [
    `${progressBar(done, 12)} ${head}`,
    paint(ansi.green, okField, color),
    p.failed > 0 ? paint(ansi.red, failedField, color) : failedField,
    ...rest,
  ];
  const line = parts.join(' · ') + (note === '' ? '' : ` · ${paint(ansi.yellow, note, color)}`);
  return truncate(line, Math.max(20, columns - 1));
}

/** A line for logs (stderr not a terminal). */
export function plainLine(p: ProgressSnapshot, elapsedMs: number): string {
  return `batch [${clockTime(elapsedMs)}] ${fields(p).join(', ')}`;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** A small table; the first column left-aligned, the rest right-aligned. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => pad(cell, widths[i] ?? 0, i > 0)).join('  ').trimEnd());
}

export interface SummaryInput {
  readonly progress: ProgressSnapshot;
  readonly byModel: ReadonlyMap<string, Readonly<Tally>>;
  readonly byCategory: ReadonlyMap<string, number>;
  readonly outcome: string;
  readonly output: string;
  readonly written: number;
  readonly left: number;
}

/** The final summary: totals, per model, per error category. */
export function summaryLines(s: SummaryInput): string[] {
  const p = s.progress;
  const lines = [
    `batch ${s.outcome}: ${p.ok + p.failed}/${p.total} records in ${s.output} (${s.written} written now, ${p.skipped} from before, ${s.left} left) in ${clockTime(p.elapsedMs)}`,
    '',
  ];
  const models = [...s.byModel].sort(([a], [b]) => (a < b ? -1 : 1));
  lines.push(
    ...table([
      ['model', 'ok', 'failed', 'in tokens', 'out tokens', 'cost'],
      ...models.map(([name, t]) => [name, String(t.ok), String(t.failed), String(t.inputTokens), String(t.outputTokens), money(t.cost, t.costUnknown)]),
      ['total', String(p.ok), String(p.failed), String(p.inputTokens), String(p.outputTokens), money(p.cost, p.costUnknown)],
    ]),
  );
  if (s.byCategory.size > 0) {
    const categories = [...s.byCategory].sort(([, a], [, b]) => b - a);
    lines.push('', ...table([['error', 'count'], ...categories.map(([name, n]) => [name, String(n)])]));
  }
  if (p.costUnknown > 0) lines.push('', `cost: ${p.costUnknown} answer(s) have no price (unknown model or no --prices); the total is a lower bound`);
  return lines;
}
