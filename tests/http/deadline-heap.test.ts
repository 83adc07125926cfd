import t from 'tap';
import { DeadlineHeap } from '../../src/http/deadline-heap.js';

interface Item {
  readonly at: number;
  live: boolean;
}

t.test('pops live deadlines in order, skipping stale ones', async (t) => {
  const heap = new DeadlineHeap<Item>((item) => item.live);
  const items = [50, 10, 40, 10, 30, 20, 60].map((at) => ({ at, live: true }));
  for (const item of items) heap.push(item);
  (items[2] as Item).live = false; // 40
  const order: number[] = [];
  for (let item = heap.popDue(45); item !== undefined; item = heap.popDue(45)) order.push(item.at);
  t.same(order, [10, 10, 20, 30], 'due ones in deadline order; the stale 40 is skipped');
  t.equal(heap.peek()?.at, 50);
  t.equal(heap.popDue(49), undefined, 'nothing due yet');
  heap.clear();
  t.equal(heap.peek(), undefined);
});

t.test('a random workload matches a sorted reference', async (t) => {
  const heap = new DeadlineHeap<Item>((item) => item.live);
  let seed = 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const reference: Item[] = [];
  for (let i = 0; i < 2000; i++) {
    const item = { at: Math.floor(random() * 500), live: random() > 0.3 };
    reference.push(item);
    heap.push(item);
  }
  const expected = reference.filter((item) => item.live).map((item) => item.at).sort((a, b) => a - b);
  const got: number[] = [];
  for (let item = heap.popDue(1e9); item !== undefined; item = heap.popDue(1e9)) got.push(item.at);
  t.same(got, expected);
});

t.test('compaction drops stale entries once they dominate', async (t) => {
  const heap = new DeadlineHeap<Item>((item) => item.live);
  const items = Array.from({ length: 3000 }, (_, i) => ({ at: i, live: true }));
  for (const item of items) heap.push(item);
  heap.compact(3000);
  t.equal(heap.size, 3000, 'nothing to drop while all are live');
  for (const item of items.slice(0, 2900)) item.live = false;
  heap.compact(100);
  t.equal(heap.size, 100);
  t.equal(heap.peek()?.at, 2900);
  const small = new DeadlineHeap<Item>((item) => item.live);
  small.push({ at: 1, live: false });
  small.compact(0);
  t.equal(small.size, 1, 'small heaps are left alone');
});
