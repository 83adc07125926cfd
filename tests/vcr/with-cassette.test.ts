import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { Agent } from 'undici';
import { VirtualClock } from '../../src/http/clock.js';
import { serializeCassette } from '../../src/vcr/cassette.js';
import * as vcr from '../../src/vcr/index.js';
import { parseMode, resolveMode } from '../../src/vcr/mode.js';
import { openCassette, readCassetteFile, withCassette } from '../../src/vcr/with-cassette.js';
import { SseServer } from '../helpers/sse-server.js';
import { chunks, dispatchOptions, run, shape, sseExchange } from './util.js';

async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'llmux-vcr-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

t.test('mode: the option wins, then LLMUX_VCR, then replay', async (t) => {
  t.equal(resolveMode('record', { LLMUX_VCR: 'off' })._unsafeUnwrap(), 'record');
  t.equal(resolveMode(undefined, { LLMUX_VCR: ' Record ' })._unsafeUnwrap(), 'record');
  t.equal(resolveMode(undefined, { LLMUX_VCR: 'off' })._unsafeUnwrap(), 'off');
  t.equal(resolveMode(undefined, {})._unsafeUnwrap(), 'replay');
  t.equal(resolveMode(undefined, { LLMUX_VCR: '' })._unsafeUnwrap(), 'replay');
  t.equal(resolveMode()._unsafeUnwrap(), process.env['LLMUX_VCR'] === undefined ? 'replay' : parseMode(process.env['LLMUX_VCR'])._unsafeUnwrap());
  t.match(resolveMode(undefined, { LLMUX_VCR: 'yes' })._unsafeUnwrapErr(), { kind: 'config', message: 'LLMUX_VCR: bad VCR mode "yes": expected record, replay or off' });
  t.match(resolveMode('bogus' as vcr.VcrMode, {})._unsafeUnwrapErr(), { kind: 'config' });
});

t.test('replay: a missing cassette says how to record it; a broken one names the line', async (t) => {
  const dir = await tempDir(t);
  const missing = await withCassette(join(dir, 'none.jsonl'), { env: {} }, () => 1);
  t.match(missing._unsafeUnwrapErr(), { kind: 'not_found', message: /none\.jsonl does not exist; record it with LLMUX_VCR=record/ });
  const broken = join(dir, 'broken.jsonl');
  await writeFile(broken, '{"_request":{"method":"GET","url":"u"}}\n{oops\n');
  t.match((await readCassetteFile(broken))._unsafeUnwrapErr(), { kind: 'parse', line: 2, message: `${broken}:2: not valid JSON` });
  t.match((await readCassetteFile(dir))._unsafeUnwrapErr(), { kind: 'io', message: /could not read/ });
  t.match((await openCassette(broken, { mode: 'bogus' as vcr.VcrMode }))._unsafeUnwrapErr(), { kind: 'config' });
});

t.test('record, then replay the same code: same callbacks; unused and unmatched are reported', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'openai', 'two.jsonl');
  const server = await SseServer.start();
  t.teardown(() => server.close());
  server.respond({ steps: ['data: 1\n\n', 'data: [DONE]\n\n'] }).respond({ status: 429, headers: { 'retry-after': '0' }, steps: ['{}'] });

  const body = { model: 'gpt-4o-mini', stream: true, messages: [] };
  const opts = dispatchOptions(body, `${server.origin}/v1/chat/completions`);
  const recorded = await withCassette(path, { mode: 'record' }, async (session) => {
    t.equal(session.mode, 'record');
    t.ok(session.recorder);
    const a = run(session.dispatcher, opts);
    await a.done;
    const b = run(session.dispatcher, opts);
    await b.done;
    return [shape(a.events), shape(b.events)];
  });
  t.ok(recorded.isOk());
  const saved = await readFile(path, 'utf8');
  t.match(saved, /"authorization":"\[REDACTED\]"/);

  const clock = new VirtualClock();
  const replayed = await withCassette(path, { env: { LLMUX_VCR: 'replay' }, clock }, async (session) => {
    t.equal(session.mode, 'replay');
    const a = run(session.dispatcher, opts, clock);
    await a.done;
    const b = run(session.dispatcher, opts, clock);
    await b.done;
    return [shape(a.events), shape(b.events)];
  });
  t.same(replayed._unsafeUnwrap(), recorded._unsafeUnwrap(), 'the same callbacks, live and replayed');

  const partial = await withCassette(path, { mode: 'replay', speed: 'instant', ignoreBodyFields: ['messages'] }, async (session) => {
    await run(session.dispatcher, dispatchOptions({ ...body, messages: [1] }, `${server.origin}/v1/chat/completions`)).done;
  });
  t.match(partial._unsafeUnwrapErr(), { kind: 'unused', message: new RegExp(`two\\.jsonl: 1 recorded exchange\\(s\\) never played: #2 POST http`) });
  t.ok((await withCassette(path, { mode: 'replay', allowUnused: true }, () => undefined)).isOk(), 'allowUnused');

  const wrong = await withCassette(path, { mode: 'replay', allowUnused: true, faults: [{ kind: 'rechunk_bytes' }] }, async (session) => {
    await run(session.dispatcher, dispatchOptions({ model: 'other' }, `${server.origin}/v1/chat/completions`)).done;
    return session.replay?.unmatched.length;
  });
  t.match(wrong._unsafeUnwrapErr(), { kind: 'unused', message: /1 request\(s\) matched nothing \(first: VCR in .*nearest is exchange #1/ });
});

t.test('finish is idempotent; discard releases without checking', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'one.jsonl');
  await writeFile(path, serializeCassette({ exchanges: [sseExchange(chunks(['data: 1\n\n', 1]))] }));
  const session = (await openCassette(path, { mode: 'replay' }))._unsafeUnwrap();
  const first = await session.finish();
  t.equal(first._unsafeUnwrapErr().kind, 'unused');
  t.equal(await session.finish(), first);
  const again = (await openCassette(path, { mode: 'replay' }))._unsafeUnwrap();
  await again.discard();
  const late = run(again.dispatcher, dispatchOptions());
  await late.done;
  t.match(late.events, [{ kind: 'error', code: 'UND_ERR_DESTROYED' }]);
});

t.test('a throwing function: nothing saved, the exception rethrown as it was', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'never.jsonl');
  const failure = new Error('assertion');
  await t.rejects(
    withCassette(path, { mode: 'record' }, () => {
      throw failure;
    }),
    failure,
  );
  await t.rejects(readFile(path));
  await t.rejects(withCassette(path, { mode: 'off' }, () => Promise.reject('plain')), 'plain');
});

t.test('a throwing function with rethrow: false: nothing saved, the error returned', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'never.jsonl');
  const thrown = await withCassette(path, { mode: 'record', rethrow: false }, () => {
    throw new Error('test failed');
  });
  t.match(thrown._unsafeUnwrapErr(), { kind: 'callback', message: /never\.jsonl: the function given to withCassette failed: test failed/ });
  await t.rejects(readFile(path));
  const rejected = await withCassette(path, { mode: 'off', rethrow: false }, () => Promise.reject('plain'));
  t.match(rejected._unsafeUnwrapErr(), { kind: 'callback', message: /failed: plain$/ });
});

t.test('record mode never hangs on a request left in flight', async (t) => {
  const dir = await tempDir(t);
  const server = await SseServer.start();
  t.teardown(() => server.close());
  server.respond({ steps: [{ stall: true }] }).respond({ steps: [{ stall: true }] });
  const opts = dispatchOptions({}, `${server.origin}/x`);
  const finished = await withCassette(join(dir, 'a.jsonl'), { mode: 'record' }, async (session) => {
    run(session.dispatcher, opts);
    await server.request(0);
  });
  t.match(finished._unsafeUnwrapErr(), { kind: 'in_flight', message: /a\.jsonl: 1 exchange\(s\) still in flight/ });
  const thrown = await withCassette(join(dir, 'b.jsonl'), { mode: 'record', rethrow: false }, async (session) => {
    run(session.dispatcher, opts);
    await server.request(1);
    throw new Error('assertion failed');
  });
  t.equal(thrown._unsafeUnwrapErr().kind, 'callback');
});

t.test('off passes straight through; a given dispatcher is left open', async (t) => {
  const server = await SseServer.start();
  t.teardown(() => server.close());
  server.respond({ steps: ['hi'] }).respond({ steps: ['again'] }).respond({ steps: ['third'] });
  const agent = new Agent();
  t.teardown(() => agent.close());
  const off = await withCassette('/nonexistent/x.jsonl', { mode: 'off', dispatcher: agent }, async (session) => {
    t.equal(session.dispatcher, agent);
    t.equal(session.replay, undefined);
    const r = run(session.dispatcher, dispatchOptions({}, `${server.origin}/x`));
    await r.done;
    return r.events.length;
  });
  t.equal(off._unsafeUnwrap(), 4);
  const r = run(agent, dispatchOptions({}, `${server.origin}/x`));
  await r.done;
  t.equal(r.events.at(-1)?.kind, 'end', 'the agent still works');

  const owned = await withCassette('/nonexistent/y.jsonl', { mode: 'off' }, async (session) => {
    const x = run(session.dispatcher, dispatchOptions({}, `${server.origin}/x`));
    await x.done;
    return x.events.length;
  });
  t.equal(owned._unsafeUnwrap(), 4);

  const dir = await tempDir(t);
  const recordedWithAgent = await withCassette(join(dir, 'r.jsonl'), { mode: 'record', dispatcher: agent, env: {} }, () => 'nothing');
  t.equal(recordedWithAgent._unsafeUnwrap(), 'nothing');
  t.equal(await readFile(join(dir, 'r.jsonl'), 'utf8'), '', 'an empty cassette');
});

t.test('record mode: a path that cannot be written is an io error, and no temp file is left', async (t) => {
  const dir = await tempDir(t);
  const target = join(dir, 'taken.jsonl');
  await mkdir(target);
  const result = await withCassette(target, { mode: 'record', clock: new VirtualClock() }, () => 1);
  t.match(result._unsafeUnwrapErr(), { kind: 'io', message: /could not write .*taken\.jsonl/ });
  t.same(await readdir(dir), ['taken.jsonl']);
});

t.test('the index exports the public surface', async (t) => {
  for (const name of ['ReplayDispatcher', 'RecordingDispatcher', 'withCassette', 'openCassette', 'parseCassette', 'serializeCassette', 'findSecrets', 'redactUrl', 'applyFaults', 'parseFault', 'resolveMode', 'NO_MATCH_CODE']) {
    t.ok(name in vcr, name);
  }
});
