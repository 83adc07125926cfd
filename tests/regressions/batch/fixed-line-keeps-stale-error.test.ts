import t from 'tap';
import { invalid, parseInput } from '../../../src/batch/input.js';
import { planResume, remaining } from '../../../src/batch/resume.js';
import type { BatchRecord } from '../../../src/batch/types.js';

/**
 * A line with no usable id (not JSON, no "id") gets the error record `@line:N`. When the
 * user fixed that line (it now reads `{"id":"c",...}`) and resumed, with or without
 * --retry-errors, planResume saw `@line:N` as a foreign id ("another shard's") and kept it:
 * the request "c" ran and OUT ended with two records for line N, a stale invalid_input
 * failure beside c's answer, counted as a failure in every total. A synthetic line record
 * whose line now holds another entry is superseded (moved aside), as the README promises
 * for "a request whose line changed".
 */
const good = (id: string): string => `${JSON.stringify({ id, request: { messages: [{ role: 'user', content: id }] } })}\n`;

t.test('a fixed line replaces its old @line:N error record', async (t) => {
  const before = parseInput(`${good('a')}{"id": "c", "request": {"messages": [\n${good('b')}`)._unsafeUnwrap();
  const broken = before.entries[1];
  t.equal(broken?.kind, 'invalid');
  const staleRecord: BatchRecord = broken?.kind === 'invalid' ? broken.record : (invalid('x', 0, 'unreachable') as { record: BatchRecord }).record;
  t.equal(staleRecord.id, '@line:2');
  const okRecord = (id: string, key: string): BatchRecord => ({
    id, key, ok: true, provider: 'openai', model: 'm', usage: null, cost: null, attempts: 1, requestId: null, startedAt: null, ms: 1, lane: 'live', line: 1,
  });
  const after = parseInput(`${good('a')}${good('c')}${good('b')}`)._unsafeUnwrap();
  const keyOf = (index: number): string => {
    const entry = after.entries[index];
    return entry?.kind === 'item' ? entry.item.key : '';
  };
  const records = [okRecord('a', keyOf(0)), staleRecord, okRecord('b', keyOf(2))];
  for (const retryErrors of [false, true]) {
    const plan = planResume(after.entries, records, { retryErrors });
    t.same(remaining(after.entries, plan).map((e) => (e.kind === 'item' ? e.item.id : e.record.id)), ['c'], `c runs (retryErrors ${retryErrors})`);
    t.same(plan.keep.map((r) => r.id), ['a', 'b'], `the stale @line:2 record does not stay (retryErrors ${retryErrors})`);
    t.same(plan.superseded.map((r) => r.id), ['@line:2'], 'it is moved aside');
    t.equal(plan.foreign, 0);
  }
});

t.test('a @line:N record whose line is still broken, or not in this input, stays', async (t) => {
  const parsed = parseInput(`${good('a')}not json\n`)._unsafeUnwrap();
  const entry = parsed.entries[1];
  const record = entry?.kind === 'invalid' ? entry.record : undefined;
  t.ok(record);
  if (record === undefined) return;
  t.same([...planResume(parsed.entries, [record]).done], ['@line:2'], 'still broken: it covers its line');
  const elsewhere = { ...record, id: '@line:9', line: 9 };
  const plan = planResume(parsed.entries, [elsewhere]);
  t.same(plan.keep.map((r) => r.id), ['@line:9'], 'a line this input does not have (another shard, a longer file): kept as foreign');
  t.equal(plan.foreign, 1);
});
