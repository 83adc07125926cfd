import t, { type Test } from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../src/http/clock.js';
import { formatRecord, OutputWriter, readOutput, recoverOutput } from '../../src/batch/output.js';
import { manifestPath, readManifest, sha256, writeManifest } from '../../src/batch/manifest.js';
import { compactOutput, supersededPath } from '../../src/batch/compact.js';
import type { BatchManifest, BatchRecord } from '../../src/batch/types.js';

export function record(id: string, ok = true, key: string | null = `k-${id}`): BatchRecord {
  return {
    id,
    key,
    ok,
    ...(ok ? {} : { error: { category: 'server' as const, message: 'boom', retryable: true, retryAfterMs: null, httpStatus: 500 } }),
    provider: 'openai',
    model: 'm',
    usage: null,
    cost: null,
    attempts: 1,
    requestId: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    ms: 5,
    lane: 'live',
    line: 1,
  };
}

function scratch(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmux-batch-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('a record written, read back and written again is byte-identical', async (t) => {
  const text = formatRecord(record('a')) + formatRecord(record('b', false));
  const read = readOutput(text)._unsafeUnwrap();
  t.equal(read.records.map(formatRecord).join(''), text);
  t.equal(read.tornBytes, 0);
});

t.test('the writer appends one line per record, readable at once; fsync waits for the interval', async (t) => {
  const dir = scratch(t);
  const path = join(dir, 'out.jsonl');
  const clock = new VirtualClock();
  const writer = OutputWriter.open(path, { clock, fsyncIntervalMs: 1000 })._unsafeUnwrap();
  writer.append(record('a'))._unsafeUnwrap();
  t.equal(readFileSync(path, 'utf8'), formatRecord(record('a')), 'on disk (page cache) before any fsync');
  t.equal(clock.pending, 1, 'one fsync timer for the interval');
  writer.append(record('b'))._unsafeUnwrap();
  t.equal(clock.pending, 1, 'records in the same interval share the timer');
  clock.advance(1000);
  t.equal(clock.pending, 0, 'the timer fired (fsync)');
  writer.append(record('c'))._unsafeUnwrap();
  t.equal(clock.pending, 1);
  t.equal(writer.written, 3);
  writer.close()._unsafeUnwrap();
  t.equal(clock.pending, 0, 'close clears the timer');
  writer.close()._unsafeUnwrap();
  t.match(writer.append(record('d'))._unsafeUnwrapErr(), { kind: 'io', message: /was closed; a record for "d" was not written/ });
  t.equal(readOutput(readFileSync(path, 'utf8'))._unsafeUnwrap().records.length, 3);
});

t.test('fsyncIntervalMs 0 syncs each record and sets no timer', async (t) => {
  const dir = scratch(t);
  const clock = new VirtualClock();
  const writer = OutputWriter.open(join(dir, 'o.jsonl'), { clock, fsyncIntervalMs: 0 })._unsafeUnwrap();
  writer.append(record('a'))._unsafeUnwrap();
  t.equal(clock.pending, 0);
  writer.close()._unsafeUnwrap();
});

t.test('the writer reports an unopenable path as an io failure', async (t) => {
  const dir = scratch(t);
  const failure = OutputWriter.open(join(dir, 'missing', 'o.jsonl'), { clock: new VirtualClock() })._unsafeUnwrapErr();
  t.match(failure, { kind: 'io', message: /could not open .*o\.jsonl: ENOENT/ });
});

t.test('a torn last line is dropped and measured; recoverOutput truncates it', async (t) => {
  const dir = scratch(t);
  const path = join(dir, 'out.jsonl');
  const whole = formatRecord(record('a')) + formatRecord(record('b'));
  const torn = formatRecord(record('c')).slice(0, 30);
  writeFileSync(path, whole + torn);
  const read = readOutput(whole + torn)._unsafeUnwrap();
  t.same(read.records.map((r) => r.id), ['a', 'b']);
  t.equal(read.tornBytes, 30);
  const recovered = recoverOutput(path)._unsafeUnwrap();
  t.equal(recovered.records.length, 2);
  t.equal(readFileSync(path, 'utf8'), whole, 'the torn tail is gone, so appends start on a fresh line');
});

t.test('a whole last record without its newline is kept and gets the newline', async (t) => {
  const dir = scratch(t);
  const path = join(dir, 'out.jsonl');
  const text = formatRecord(record('a')) + formatRecord(record('b')).trimEnd();
  writeFileSync(path, text);
  t.same(recoverOutput(path)._unsafeUnwrap().records.map((r) => r.id), ['a', 'b']);
  t.equal(readFileSync(path, 'utf8'), `${text}\n`);
});

t.test('a bad line before the last is corruption, named by line; a missing file is empty', async (t) => {
  const dir = scratch(t);
  const path = join(dir, 'out.jsonl');
  writeFileSync(path, `${formatRecord(record('a'))}{"x":1}\n${formatRecord(record('b'))}`);
  t.match(recoverOutput(path)._unsafeUnwrapErr(), { kind: 'corrupt_output', message: /line 2 is not a batch record/ });
  t.same(recoverOutput(join(dir, 'none.jsonl'))._unsafeUnwrap(), { records: [], validBytes: 0, tornBytes: 0 });
  t.match(recoverOutput(dir)._unsafeUnwrapErr(), { kind: 'io', message: /could not read/ });
});

const manifest: BatchManifest = {
  version: 1,
  input: { path: 'in.jsonl', sha256: sha256('x'), lines: 3 },
  output: 'out.jsonl',
  lane: 'live',
  options: { provider: null, stream: false },
  counts: { ok: 1, failed: 1, invalid: 1 },
  batches: [],
  startedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:01.000Z',
  complete: true,
};

t.test('the manifest is written atomically and read back; no temp file is left', async (t) => {
  const dir = scratch(t);
  const path = manifestPath(join(dir, 'out.jsonl'));
  t.equal(path, join(dir, 'out.jsonl.manifest.json'));
  t.equal(readManifest(path)._unsafeUnwrap(), undefined, 'none yet');
  writeManifest(path, manifest)._unsafeUnwrap();
  writeManifest(path, { ...manifest, complete: false })._unsafeUnwrap();
  t.same(readManifest(path)._unsafeUnwrap(), { ...manifest, complete: false });
  t.same(readdirSync(dir), ['out.jsonl.manifest.json']);
  t.equal(sha256('x'), '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881');
});

t.test('a manifest that is not one is an io failure that says what to do', async (t) => {
  const dir = scratch(t);
  const path = join(dir, 'm.json');
  writeFileSync(path, '{"version": 2}');
  t.match(readManifest(path)._unsafeUnwrapErr(), { kind: 'io', message: /not a version 1 batch manifest; delete it/ });
  writeFileSync(path, '{');
  t.match(readManifest(path)._unsafeUnwrapErr(), { message: /is not JSON/ });
  t.match(readManifest(dir)._unsafeUnwrapErr(), { kind: 'io', message: /could not read/ });
  t.match(writeManifest(join(dir, 'no', 'm.json'), manifest)._unsafeUnwrapErr(), { kind: 'io', message: /could not write/ });
  t.same(readdirSync(dir), ['m.json'], 'a failed write leaves no temp file');
});

t.test('compaction moves superseded records aside and rewrites OUT without them', async (t) => {
  const dir = scratch(t);
  const path = join(dir, 'out.jsonl');
  writeFileSync(path, [record('a'), record('b', false), record('c')].map(formatRecord).join(''));
  compactOutput(path, [record('a'), record('c')], [record('b', false)])._unsafeUnwrap();
  t.equal(readFileSync(path, 'utf8'), [record('a'), record('c')].map(formatRecord).join(''));
  t.equal(supersededPath(path), join(dir, 'out.superseded.jsonl'));
  t.equal(readFileSync(supersededPath(path), 'utf8'), formatRecord(record('b', false)));
  t.equal(supersededPath('x.out'), 'x.out.superseded.jsonl');
  compactOutput(path, [], [])._unsafeUnwrap();
  t.equal(readFileSync(path, 'utf8').split('\n').length, 3, 'nothing superseded: the file is left alone');
  t.match(compactOutput(join(dir, 'no', 'o.jsonl'), [], [record('x')])._unsafeUnwrapErr(), { kind: 'io' });
});
