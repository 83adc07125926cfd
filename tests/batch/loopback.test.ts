// The must-hold run: a large batch against a misbehaving loopback server completes with
// exactly one record per id, every failure categorised. LLMUX_BATCH_FULL=1 runs the full
// 20,000 requests; the default is 2,000 so `make check` stays quick on a small machine.
import t from 'tap';
import { runBatch } from '../../src/batch/runner.js';
import { behaviourOf } from './helpers/batch-server.js';
import { records, stageJob } from './helpers/drive.js';

const N = process.env['LLMUX_BATCH_FULL'] === '1' ? 20_000 : 2_000;

t.test(`${N} requests (1% 500s, 429s with Retry-After, slow streams): one categorised record per id`, async (t) => {
  const { server, ids, expected, input, output } = await stageJob(t, N);
  const summary = (
    await runBatch({
      input,
      output,
      stream: true,
      concurrency: 64,
      providers: { openai: { apiKey: 'sk-test', baseURL: `${server.url}/v1`, env: {} } },
    })
  )._unsafeUnwrap();
  t.equal(summary.outcome, 'complete');
  const out = records(output);
  t.equal(out.length, N, 'one record per id');
  t.same(new Set(out.map((r) => r.id)).size, N, 'no id twice');
  t.same([...new Set(out.map((r) => r.id))].sort(), ids);
  const wrong = out.filter((r) => {
    const behaviour = behaviourOf(r.id);
    if (behaviour === 'fail500') return r.ok || r.error?.category !== 'server' || r.attempts !== 3;
    if (behaviour === 'limit429') return !r.ok || r.attempts !== 2;
    return !r.ok || r.response?.text !== `a:${r.id}`;
  });
  t.same(wrong.slice(0, 3), [], 'every record is what its id asked for, failures categorised');
  t.match(summary.progress, { ok: expected.ok, failed: expected.failed, inputTokens: expected.inputTokens, outputTokens: expected.outputTokens });
  t.same(summary.byCategory, new Map([['server', expected.failed]]));
  t.ok([...server.answered.values()].every((n) => n === 1), 'no answered request was sent again');
});
