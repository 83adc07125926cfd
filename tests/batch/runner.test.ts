import { priceUsage } from '../../src/providers/pricing/index.js';
import t, { type Test } from 'tap';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualClock } from '../../src/http/clock.js';
import { readManifest, manifestPath } from '../../src/batch/manifest.js';
import { runBatch, startBatch, type RunBatchOptions } from '../../src/batch/runner.js';
import { supersededPath } from '../../src/batch/compact.js';
import { AnswerDispatcher } from './helpers/answer-dispatcher.js';
import { ask, drive, OPENAI_TEST, records, scratch, writeInput } from './helpers/drive.js';

function setup(t: Test, lines: readonly unknown[]) {
  const dir = scratch(t);
  const input = writeInput(dir, lines);
  const output = join(dir, 'out.jsonl');
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const dispatcher = new AnswerDispatcher();
  const options = (more: Partial<RunBatchOptions> = {}): RunBatchOptions => ({
    input,
    output,
    providers: OPENAI_TEST,
    engine: { clock, dispatcher, random: () => 0.5 },
    ...more,
  });
  return { dir, input, output, clock, dispatcher, options };
}

t.test('one record per line: answers, failures by category, retries counted, an invalid line', async (t) => {
  const { output, clock, dispatcher, options } = setup(t, [ask('a'), ask('b', 'fail500:b'), ask('c', 'bad400:c'), ask('d', 'flaky:d'), '{"id": "e", "request": 3}']);
  const result = (await drive(startBatch(options()), clock))._unsafeUnwrap();
  t.equal(result.outcome, 'complete');
  t.equal(result.written, 5);
  t.equal(result.left, 0);
  const byId = new Map(records(output).map((record) => [record.id, record]));
  t.same([...byId.keys()].sort(), ['a', 'b', 'c', 'd', 'e']);
  t.match(byId.get('a'), {
    ok: true,
    key: /^[0-9a-f]{64}$/,
    provider: 'openai',
    model: 'gpt-4o-mini',
    response: { text: 'echo ok:a', finishReason: 'stop' },
    usage: { input: 10, output: 3 },
    attempts: 1,
    requestId: 'req_chatcmpl-oka',
    startedAt: '2026-01-01T00:00:00.000Z',
    lane: 'live',
    line: 1,
  });
  const priced = priceUsage('openai', 'gpt-4o-mini', byId.get('a')?.usage ?? null, { batch: false });
  t.ok(priced !== null && priced > 0, 'the bundled table prices gpt-4o-mini');
  t.equal(byId.get('a')?.cost, priced, 'runBatch prices with the bundled table by default');
  t.match(byId.get('b'), { ok: false, error: { category: 'server', httpStatus: 500, retryable: true }, attempts: 3, usage: null, cost: null });
  t.equal(dispatcher.sent.get('fail500:b'), 3, 'the engine retried the 500 twice');
  t.match(byId.get('c'), { ok: false, error: { category: 'invalid_arg', httpStatus: 400 }, attempts: 1 });
  t.match(byId.get('d'), { ok: true, attempts: 2, response: { text: 'echo flaky:d' } });
  t.match(byId.get('e'), { ok: false, key: null, error: { category: 'invalid_input', message: /^line 5: "request" must be a JSON object/ } });
  t.same(result.byCategory, new Map([['server', 1], ['invalid_arg', 1], ['invalid_input', 1]]));
  t.match(result.byModel.get('openai/gpt-4o-mini'), { ok: 2, failed: 2, inputTokens: 20, outputTokens: 6, costUnknown: 0 });
  t.ok((result.byModel.get('openai/gpt-4o-mini')?.cost ?? 0) > 0, 'the per-model total carries the priced answers');
  const manifest = readManifest(manifestPath(output))._unsafeUnwrap();
  t.match(manifest, { version: 1, lane: 'live', complete: true, counts: { ok: 2, failed: 2, invalid: 1 }, input: { lines: 5, sha256: /^[0-9a-f]{64}$/ } });
});

t.test('stream mode streams each request and writes the same records', async (t) => {
  const { output, clock, dispatcher, options } = setup(t, [ask('a'), ask('b')]);
  const seen: string[] = [];
  const orig = dispatcher.dispatch.bind(dispatcher);
  dispatcher.dispatch = (opts, handler) => {
    seen.push(String(opts.body));
    return orig(opts, handler);
  };
  (await drive(startBatch(options({ stream: true })), clock))._unsafeUnwrap();
  t.ok(seen.every((body) => JSON.parse(body).stream === true), 'every request asked for a stream');
  t.same(records(output).map((r) => [r.id, r.ok, r.response?.text, r.usage?.output]).sort(), [['a', true, 'echo ok:a', 3], ['b', true, 'echo ok:b', 3]]);
});

t.test('prices come from the price function; totals add up', async (t) => {
  const { output, clock, options } = setup(t, [ask('a'), ask('b'), ask('c', 'fail500:c')]);
  const calls: unknown[] = [];
  const price = (provider: string, model: string, _usage: unknown, o: { batch: boolean }): number => {
    calls.push([provider, model, o.batch]);
    return 0.25;
  };
  const result = (await drive(startBatch(options({ price })), clock))._unsafeUnwrap();
  t.same(records(output).filter((r) => r.ok).map((r) => r.cost), [0.25, 0.25]);
  t.same(calls, [['openai', 'gpt-4o-mini', false], ['openai', 'gpt-4o-mini', false]], 'failures are not priced');
  t.equal(result.progress.cost, 0.5);
  t.equal(result.progress.costUnknown, 0);
});

t.test('a first stop drains what is in flight and writes it; resume runs the rest, sending nothing twice', async (t) => {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  const { output, clock, dispatcher, options } = setup(t, ids.map((id) => ask(id)));
  dispatcher.hold = true;
  const run = startBatch(options({ concurrency: 2 }));
  const finished = drive(run, clock, () => !dispatcher.hold);
  while (dispatcher.heldCount < 2) await new Promise((resolve) => setImmediate(resolve));
  t.equal(run.stop(), 'draining');
  t.match(run.progress(), { inFlight: 2, waiting: 0, ok: 0 });
  dispatcher.hold = false;
  dispatcher.release();
  const first = (await finished)._unsafeUnwrap();
  t.equal(first.outcome, 'stopped');
  t.equal(first.written, 2, 'the two in flight finished and were written');
  t.equal(first.left, 4);
  t.equal(readManifest(manifestPath(output))._unsafeUnwrap()?.complete, false);
  const again = (await drive(startBatch(options({ resume: true })), clock))._unsafeUnwrap();
  t.equal(again.outcome, 'complete');
  t.equal(again.written, 4);
  t.equal(again.progress.skipped, 2);
  t.equal(again.progress.ok, 6, 'totals cover the whole job');
  t.same(records(output).map((r) => r.id).sort(), ids);
  t.ok([...dispatcher.sent.values()].every((count) => count === 1), 'no request was sent twice');
});

t.test('a second stop cancels in flight: no record for them, and resume sends them again', async (t) => {
  const { output, clock, dispatcher, options } = setup(t, [ask('a'), ask('b'), ask('c')]);
  dispatcher.hold = true;
  const run = startBatch(options({ concurrency: 2 }));
  const finished = drive(run, clock, () => !dispatcher.hold);
  while (dispatcher.heldCount < 2) await new Promise((resolve) => setImmediate(resolve));
  run.stop();
  t.equal(run.stop(), 'cancelling');
  const first = (await finished)._unsafeUnwrap();
  t.equal(first.outcome, 'cancelled');
  t.equal(first.written, 0);
  t.equal(first.left, 3);
  t.equal(readFileSync(output, 'utf8'), '');
  dispatcher.hold = false;
  (await drive(startBatch(options({ resume: true })), clock))._unsafeUnwrap();
  t.same(records(output).map((r) => r.id).sort(), ['a', 'b', 'c']);
});

t.test('--retry-errors re-runs only the failures and moves their old records aside', async (t) => {
  const { output, clock, dispatcher, options } = setup(t, [ask('a'), ask('b', 'flaky:b')]);
  (await drive(startBatch(options({ engine: { clock, dispatcher, maxRetries: 0 } })), clock))._unsafeUnwrap();
  t.match(records(output).find((r) => r.id === 'b'), { ok: false, error: { category: 'rate_limit' } });
  const plain = (await drive(startBatch(options({ resume: true })), clock))._unsafeUnwrap();
  t.equal(plain.written, 0, 'a plain resume keeps the failure');
  const retried = (await drive(startBatch(options({ retryErrors: true })), clock))._unsafeUnwrap();
  t.equal(retried.written, 1);
  t.equal(retried.superseded, 1);
  t.same(records(output).map((r) => [r.id, r.ok]).sort(), [['a', true], ['b', true]]);
  t.equal(dispatcher.sent.get('ok:a'), 1, 'the answered request was not sent again');
  t.match(records(supersededPath(output)), [{ id: 'b', ok: false }]);
});

t.test('resume recovers a torn last line and re-runs only its request', async (t) => {
  const { output, clock, dispatcher, options } = setup(t, [ask('a'), ask('b'), ask('c')]);
  (await drive(startBatch(options()), clock))._unsafeUnwrap();
  const lines = readFileSync(output, 'utf8').split('\n');
  const tornId = JSON.parse(lines[2] ?? '{}').id as string;
  writeFileSync(output, `${lines.slice(0, 2).join('\n')}\n${(lines[2] ?? '').slice(0, 40)}`);
  const again = (await drive(startBatch(options({ resume: true })), clock))._unsafeUnwrap();
  t.ok(again.tornBytes > 0);
  t.equal(again.written, 1);
  t.same(records(output).map((r) => r.id).sort(), ['a', 'b', 'c']);
  t.equal(dispatcher.sent.get(`ok:${tornId}`), 2, 'only the torn record\'s request ran again');
});

t.test('job-level refusals: existing output, strict, bad options, missing key, the batch-api lane', async (t) => {
  const { dir, output, clock, dispatcher, options } = setup(t, [ask('a'), '{"id": 1}']);
  writeFileSync(output, 'x\n');
  t.match((await runBatch(options()))._unsafeUnwrapErr(), { kind: 'invalid_option', message: /already exists; pass --resume/ });
  const fresh = join(dir, 'fresh.jsonl');
  t.match((await runBatch(options({ output: fresh, strict: true })))._unsafeUnwrapErr(), { kind: 'strict', message: /line 2: "id" must be a non-empty string .*nothing was sent/ });
  t.equal(dispatcher.sent.size, 0);
  t.notOk(existsSync(fresh));
  t.match((await runBatch(options({ output: fresh, concurrency: 0 })))._unsafeUnwrapErr(), { kind: 'invalid_option', message: /concurrency/ });
  t.match((await runBatch(options({ output: fresh, via: 'batch-api' })))._unsafeUnwrapErr(), { kind: 'wrong_lane' });
  t.match((await runBatch(options({ input: join(dir, 'none.jsonl'), output: fresh })))._unsafeUnwrapErr(), { kind: 'io', message: /could not read/ });
  const noKey = (await drive(startBatch(options({ output: fresh, providers: { openai: { env: {} } } })), clock))._unsafeUnwrap();
  t.match(noKey, { outcome: 'failed', failure: { kind: 'auth', message: /openai: .*OPENAI_API_KEY/ }, written: 0 });
});

t.test('without strict a refused request is an input error record and the job goes on', async (t) => {
  const { output, clock, options } = setup(t, [{ id: 'x', request: { messages: [{ role: 'user', content: 'hi' }], api: 'bogus' } }, ask('b')]);
  const result = (await drive(startBatch(options()), clock))._unsafeUnwrap();
  t.equal(result.outcome, 'complete');
  t.same(records(output).map((r) => [r.id, r.error?.category ?? 'ok']).sort(), [['b', 'ok'], ['x', 'invalid_input']]);
});

t.test('strict also stops at a request its provider refuses, after writing its record', async (t) => {
  const { output, clock, options } = setup(t, [{ id: 'x', request: { messages: [{ role: 'user', content: 'hi' }], api: 'bogus' } }, ask('b')]);
  const result = (await drive(startBatch(options({ strict: true, concurrency: 1 })), clock))._unsafeUnwrap();
  t.match(result, { outcome: 'failed', failure: { kind: 'strict' } });
  t.match(records(output), [{ id: 'x', key: /^[0-9a-f]{64}$/, error: { category: 'invalid_input', message: /^line 1: Unknown OpenAI api "bogus"/ } }]);
  t.equal(records(output).length, 1, 'nothing after it was sent');
});

t.test('shards split the job: their outputs together have every id once', async (t) => {
  const ids = Array.from({ length: 40 }, (_, i) => `id-${i}`);
  const { dir, clock, options } = setup(t, ids.map((id) => ask(id)));
  const seen: string[] = [];
  for (const index of [1, 2, 3]) {
    const out = join(dir, `part-${index}.jsonl`);
    const result = (await drive(startBatch(options({ output: out, shard: { index, count: 3 } })), clock))._unsafeUnwrap();
    t.equal(result.outcome, 'complete');
    t.ok(result.written > 5 && result.written < 25, `a fair share: ${result.written}`);
    seen.push(...records(out).map((r) => r.id));
  }
  t.same(seen.sort(), [...ids].sort());
});
