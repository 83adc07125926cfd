// What a resumed run still has to do. Pure: given the input's entries and the records already
// in the output, it says which ids are done, which records stay, and which are superseded.
//
// A record covers an input entry when it has the entry's id and the same request key (an
// invalid line's key is null on both sides): the request is the same, so its result stands.
// A record under an id whose request changed (another key) is superseded and the request
// runs again; so is a failed one under `retryErrors`. Superseded records are not deleted
// (some were paid for): the runner moves them to `OUT.superseded.jsonl` and rewrites OUT
// without them, so OUT keeps exactly one record per id.
import { lineId, type InputEntry } from './input.js';
import type { BatchRecord } from './types.js';

export interface ResumeOptions {
  /** Run again the ids whose record failed (input errors included, so a fixed line is picked up). */
  readonly retryErrors?: boolean;
}

export interface ResumePlan {
  /** Ids that need nothing more. */
  readonly done: ReadonlySet<string>;
  /** Records that stay in the output, in their order there. */
  readonly keep: readonly BatchRecord[];
  /** Records to move out: changed requests, failures under `retryErrors`, repeats of an id. */
  readonly superseded: readonly BatchRecord[];
  /** Records whose id is not in this input (another shard's, or a line since removed); kept. */
  readonly foreign: number;
}

/** The key an entry's record must carry to cover it. */
export function entryKey(entry: InputEntry): string | null {
  return entry.kind === 'item' ? entry.item.key : null;
}

export function entryId(entry: InputEntry): string {
  return entry.kind === 'item' ? entry.item.id : entry.record.id;
}

export function planResume(entries: readonly InputEntry[], records: readonly BatchRecord[], options: ResumeOptions = {}): ResumePlan {
  const wanted = new Map<string, string | null>();
  const lines = new Set<number>();
  for (const entry of entries) {
    wanted.set(entryId(entry), entryKey(entry));
    lines.add(entry.kind === 'item' ? entry.item.line : (entry.record.line ?? 0));
  }
  const covers = (record: BatchRecord): boolean =>
    wanted.get(record.id) === record.key && (record.ok || options.retryErrors !== true);
  // `@line:N` names a line, not a request: once that line of this input holds another entry
  // (the line was fixed), its old error record is stale, not another shard's.
  const staleLine = (record: BatchRecord): boolean => record.line !== null && record.id === lineId(record.line) && lines.has(record.line);
  // The record that stands for an id: its first covering one; for a foreign id, its first.
  const chosen = new Map<string, BatchRecord>();
  for (const record of records) {
    if (chosen.has(record.id)) continue;
    if (wanted.has(record.id) ? covers(record) : !staleLine(record)) chosen.set(record.id, record);
  }
  const keep: BatchRecord[] = [];
  const superseded: BatchRecord[] = [];
  let foreign = 0;
  for (const record of records) {
    if (chosen.get(record.id) !== record) superseded.push(record);
    else {
      keep.push(record);
      if (!wanted.has(record.id)) foreign++;
    }
  }
  const done = new Set<string>();
  for (const id of chosen.keys()) if (wanted.has(id)) done.add(id);
  return { done, keep, superseded, foreign };
}

/** The entries a run must still process, in input order. */
export function remaining(entries: readonly InputEntry[], plan: ResumePlan): InputEntry[] {
  return entries.filter((entry) => !plan.done.has(entryId(entry)));
}
