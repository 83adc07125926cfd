import t from 'tap';
import { ProgressModel } from '../../src/batch/progress.js';
import type { BatchRecord } from '../../src/batch/types.js';
import { clockTime, count, money, plainLine, statusLine, summaryLines } from '../../src/cli/batch/views.js';
import { stripAnsi } from '../../src/cli/ansi.js';

function rec(id: string, ok: boolean, cost: number | null, model = 'm', category = 'server'): BatchRecord {
  return {
    id,
    key: category === 'invalid_input' ? null : `k${id}`,
    ok,
    ...(ok ? {} : { error: { category: category as 'server', message: 'x', retryable: false, retryAfterMs: null, httpStatus: null } }),
    provider: 'openai',
    model,
    usage: ok ? { input: 10, output: 2, thinking: null, cached: null, cacheWrite: null, total: 12 } : null,
    cost,
    attempts: 1,
    requestId: null,
    startedAt: null,
    ms: null,
    lane: 'live',
    line: 1,
  };
}

t.test('the progress model counts, rates and estimates from the numbers it is given', async (t) => {
  const model = new ProgressModel(10, 1000);
  t.match(model.snapshot(1000), { total: 10, ok: 0, failed: 0, perSecond: 0, etaMs: null, elapsedMs: 0 });
  model.seed(rec('a', true, 0.5));
  model.seed(rec('b', false, null, 'm', 'invalid_input'));
  model.add(rec('c', true, null, 'n'));
  model.add(rec('d', false, null));
  model.inFlight = 3;
  model.queuedForRate = 2;
  model.waiting = 1;
  const snap = model.snapshot(3000);
  t.match(snap, { skipped: 2, ok: 2, failed: 2, inFlight: 3, queuedForRate: 2, waiting: 1, inputTokens: 20, outputTokens: 4, cost: 0.5, costUnknown: 1, elapsedMs: 2000 });
  t.equal(snap.perSecond, 1, 'two written by this run in two seconds (seeded ones do not count)');
  t.equal(snap.etaMs, 6000, 'six left at one a second');
  t.same([...model.byModel.keys()].sort(), ['(invalid input)', 'openai/m', 'openai/n']);
  t.same([...model.byCategory], [['invalid_input', 1], ['server', 1]]);
  for (const id of ['e', 'f', 'g', 'h', 'i', 'j']) model.add(rec(id, true, 0));
  t.equal(model.snapshot(4000).etaMs, 0, 'all done');
});

t.test('views: numbers, the status line, the plain line and the summary table', async (t) => {
  t.equal(clockTime(0), '0:00');
  t.equal(clockTime(65_000), '1:05');
  t.equal(clockTime(3_723_000), '1:02:03');
  t.equal(money(0, 3), '$?');
  t.equal(money(0.01234, 0), '$0.0123');
  t.equal(money(12.345, 1), '$12.35+');
  t.equal(count(999), '999');
  t.equal(count(1234), '1.2k');
  t.equal(count(45_678), '46k');
  t.equal(count(2_500_000), '2.5M');
  const model = new ProgressModel(4, 0);
  model.add(rec('a', true, 0.25));
  model.add(rec('b', false, null));
  model.inFlight = 2;
  const snap = model.snapshot(2000);
  const line = statusLine(snap, 200, true, 'stopping');
  t.match(stripAnsi(line), /^\S+ 2\/4 · ok 1 · failed 1 · in flight 2 · rate-limited 0 · 1\.0 req\/s · tokens 10 in \/ 2 out · cost \$0\.2500 · eta 0:02 · stopping$/);
  t.ok(line.includes('\x1b[31mfailed 1'), 'failures in red on a colour terminal');
  t.ok(stripAnsi(statusLine(snap, 40, false)).length <= 39, 'truncated to the width');
  t.equal(plainLine(snap, 2000), 'batch [0:02] 2/4, ok 1, failed 1, in flight 2, rate-limited 0, 1.0 req/s, tokens 10 in / 2 out, cost $0.2500, eta 0:02');
  const lines = summaryLines({ progress: snap, byModel: model.byModel, byCategory: model.byCategory, outcome: 'stopped', output: 'o.jsonl', written: 2, left: 2 });
  t.equal(lines[0], 'batch stopped: 2/4 records in o.jsonl (2 written now, 0 from before, 2 left) in 0:02');
  t.match(lines.join('\n'), /model\s+ok\s+failed\s+in tokens\s+out tokens\s+cost\nopenai\/m\s+1\s+1\s+10\s+2\s+\$0\.2500\ntotal\s+1\s+1\s+10\s+2\s+\$0\.2500\n\nerror\s+count\nserver\s+1/);
  t.notMatch(lines.join('\n'), /no price/);
  model.add(rec('c', true, null));
  const unpriced = summaryLines({ progress: model.snapshot(3000), byModel: model.byModel, byCategory: new Map(), outcome: 'complete', output: 'o', written: 3, left: 1 });
  t.match(unpriced.at(-1), /1 answer\(s\) have no price/);
  t.notMatch(unpriced.join('\n'), /error\s+count/);
});
