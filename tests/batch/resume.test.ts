import t from 'tap';
import { invalid, type InputEntry } from '../../src/batch/input.js';
import { planResume, remaining } from '../../src/batch/resume.js';
import { inShard, parseShard, shardOf } from '../../src/batch/shard.js';
import type { BatchItem, BatchRecord } from '../../src/batch/types.js';

function entry(id: string, key = `k-${id}`): InputEntry {
  const item: BatchItem = { id, line: 1, provider: 'openai', model: 'm', request: { messages: [] }, key };
  return { kind: 'item', item };
}

function rec(id: string, ok: boolean, key: string | null = `k-${id}`): BatchRecord {
  return { id, key, ok, provider: 'openai', model: 'm', usage: null, cost: null, attempts: 1, requestId: null, startedAt: null, ms: null, lane: 'live', line: 1 };
}

t.test('ids with a record under the same key are done; the rest remain, in input order', async (t) => {
  const entries = [entry('a'), entry('b'), entry('c'), entry('d')];
  const plan = planResume(entries, [rec('c', true), rec('a', false)]);
  t.same([...plan.done].sort(), ['a', 'c'], 'a failure counts as done without retryErrors');
  t.same(remaining(entries, plan).map((e) => (e.kind === 'item' ? e.item.id : '')), ['b', 'd']);
  t.same(plan.superseded, []);
});

t.test('retryErrors re-runs failures; their old records are superseded, not kept', async (t) => {
  const entries = [entry('a'), entry('b')];
  const plan = planResume(entries, [rec('a', false), rec('b', true)], { retryErrors: true });
  t.same([...plan.done], ['b']);
  t.same(plan.keep.map((r) => r.id), ['b']);
  t.same(plan.superseded.map((r) => r.id), ['a']);
});

t.test('a record whose request changed (another key) is superseded and the request runs again', async (t) => {
  const plan = planResume([entry('a', 'new')], [rec('a', true, 'old')]);
  t.same([...plan.done], []);
  t.same(plan.superseded.map((r) => r.key), ['old']);
});

t.test('invalid lines: their null-key record covers them; retryErrors picks up a fixed line', async (t) => {
  const bad = invalid('x', 3, 'broken');
  const badRecord = bad.kind === 'invalid' ? bad.record : rec('x', false, null);
  t.same([...planResume([bad], [badRecord]).done], ['x']);
  t.same([...planResume([entry('x')], [badRecord]).done], [], 'the line was fixed: a key now, so it runs');
  t.same([...planResume([bad], [badRecord], { retryErrors: true }).done], []);
});

t.test('repeats of an id: the first covering record stands; foreign ids are kept and counted', async (t) => {
  const plan = planResume([entry('a')], [rec('a', true, 'old'), rec('a', true), rec('a', true), rec('zz', true), rec('zz', false)]);
  t.same([...plan.done], ['a']);
  t.same(plan.keep.map((r) => `${r.id}:${r.key}`), ['a:k-a', 'zz:k-zz']);
  t.same(plan.superseded.map((r) => `${r.id}:${r.key}:${r.ok}`), ['a:old:true', 'a:k-a:true', 'zz:k-zz:false']);
  t.equal(plan.foreign, 1);
});

t.test('shards: parse I/N, reject nonsense, and split ids into disjoint, covering, balanced slices', async (t) => {
  t.same(parseShard(' 2/4 ')._unsafeUnwrap(), { index: 2, count: 4 });
  for (const bad of ['0/4', '5/4', '1/0', 'a/b', '1', '-1/2', '1.5/3']) {
    t.match(parseShard(bad)._unsafeUnwrapErr(), { kind: 'invalid_option', message: /--shard takes I\/N/ }, bad);
  }
  const ids = Array.from({ length: 4000 }, (_, i) => `item-${i}`);
  const counts = [0, 0, 0, 0];
  for (const id of ids) {
    const owners = [1, 2, 3, 4].filter((index) => inShard(id, { index, count: 4 }));
    t.equal(owners.length, 1, 'exactly one shard owns each id');
    counts[(owners[0] ?? 1) - 1] = (counts[(owners[0] ?? 1) - 1] ?? 0) + 1;
  }
  for (const count of counts) t.ok(count > 850 && count < 1150, `balanced: ${count}`);
  t.equal(shardOf('item-1', 4), shardOf('item-1', 4));
  t.equal(shardOf('stable', 7), 7, 'a fixed value: the hash must not change between versions');
  t.ok(inShard('anything', undefined) && inShard('anything', { index: 1, count: 1 }));
});
