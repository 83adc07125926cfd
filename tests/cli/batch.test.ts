import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBatchArgs } from '../../src/cli/batch/args.js';
import { main } from '../../src/cli/run.js';
import { packageRoot } from '../../src/cli/paths.js';
import { fakeIo, until } from './helpers/fake-io.js';
import { records, scratch } from '../batch/helpers/drive.js';
import { exampleFiles } from '../batch/tools/make-batch-example.js';

const EXAMPLE = join(packageRoot(), 'vcr-fixtures', 'batch');
const INPUT = join(EXAMPLE, 'example.jsonl');
const CASSETTE = join(EXAMPLE, 'example.cassette.jsonl');

t.test('the bundled example is what its generator writes', async (t) => {
  for (const [name, text] of Object.entries(exampleFiles())) t.equal(readFileSync(join(EXAMPLE, name), 'utf8'), text, name);
});

t.test('batch options parse, and bad ones are one-line errors', async (t) => {
  t.match(parseBatchArgs(['in.jsonl', '-o', 'out.jsonl', '--resume', '--stream', '--shard', '2/3', '-c', '8', '--provider', 'anthropic'])._unsafeUnwrap(), {
    kind: 'run',
    options: { input: 'in.jsonl', output: 'out.jsonl', resume: true, stream: true, shard: { index: 2, count: 3 }, concurrency: 8, provider: 'anthropic', via: 'live', speed: 'instant' },
  });
  t.same(parseBatchArgs(['merge', 'a', 'b', '-o', 'all'])._unsafeUnwrap(), { kind: 'merge', inputs: ['a', 'b'], output: 'all' });
  t.same(parseBatchArgs(['--help'])._unsafeUnwrap(), { kind: 'help' });
  const bad: [string[], RegExp][] = [
    [[], /needs an input file/],
    [['a', 'b', '-o', 'c'], /takes one input file/],
    [['in'], /needs -o OUT.jsonl/],
    [['in', '-o', 'in'], /another file than the input/],
    [['in', '-o', 'o', '--provider', 'nope'], /unknown provider "nope"/],
    [['in', '-o', 'o', '--via', 'mail'], /--via must be live or batch-api/],
    [['in', '-o', 'o', '-c', '0'], /--concurrency must be a whole number from 1/],
    [['in', '-o', 'o', '--shard', '3/2'], /--shard takes I\/N/],
    [['in', '-o', 'o', '--speed', '2'], /--speed applies to --replay only/],
    [['in', '-o', 'o', '--model', ' '], /--model needs a value/],
    [['in', '-o', 'o', '--nope'], /Unknown option '--nope'/],
    [['merge', 'a'], /needs -o FILE/],
    [['merge', '-o', 'x'], /needs the output files/],
    [['merge', 'a', '-o', 'x', '--resume'], /--resume is not an option of "llmux batch merge"/],
  ];
  for (const [argv, message] of bad) t.match(parseBatchArgs(argv)._unsafeUnwrapErr(), message, argv.join(' '));
});

t.test('llmux batch runs the bundled example offline: a record per line and a summary', async (t) => {
  const dir = scratch(t);
  const output = join(dir, 'out.jsonl');
  const io = fakeIo();
  t.equal(await main(['batch', INPUT, '-o', output, '--replay', CASSETTE, '--every', '5'], io), 0, io.stderr.text);
  const byId = new Map(records(output).map((r) => [r.id, r]));
  t.equal(byId.size, 10);
  t.match(byId.get('capital-fr'), { ok: true, response: { text: 'Paris.' }, usage: { input: 12, output: 2 } });
  t.match(byId.get('translate-1'), { ok: true, response: { text: 'Guten Morgen' } });
  t.match(byId.get('busy'), { ok: true, attempts: 2 });
  t.match(byId.get('unlucky'), { ok: false, error: { category: 'server' }, attempts: 3 });
  t.match(byId.get('too-long'), { ok: false, error: { category: 'invalid_arg', httpStatus: 400 } });
  t.match(byId.get('broken'), { ok: false, error: { category: 'invalid_input', message: /^line 10: / } });
  const plain = io.stderr.text.split('\n').filter((line) => line.startsWith('batch ['));
  t.equal(plain.length, 2, 'a plain line per 5 results');
  t.match(io.stderr.text, /batch complete: 10\/10 records/);
  t.match(io.stderr.text, /openai\/gpt-4o-mini\s+7\s+2\s+/);
  t.match(io.stderr.text, /error\s+count\n(?:\S+\s+1\n?){3}/);
  const again = fakeIo();
  t.equal(await main(['batch', INPUT, '-o', output, '--replay', CASSETTE, '--resume'], again), 0);
  t.match(again.stderr.text, /\(0 written now, 10 from before, 0 left\)/);
  t.equal(records(output).length, 10);
});

t.test('Ctrl+C stops admitting, exits 130, and --resume finishes the job', async (t) => {
  const dir = scratch(t);
  const output = join(dir, 'out.jsonl');
  const io = fakeIo();
  const running = main(['batch', INPUT, '-o', output, '--replay', CASSETTE, '--speed', '1', '-c', '2'], io);
  await until(() => io.sigintListeners > 0, 'the interrupt listener');
  io.sigint();
  t.equal(await running, 130);
  t.match(io.stderr.text, /stopping: in-flight requests finish/);
  t.match(io.stderr.text, /stopped: \d+ request\(s\) left; run the same command with --resume/);
  const first = records(output).length;
  t.ok(first >= 1 && first < 10, `some records (${first}), not all`);
  const resumed = fakeIo();
  t.equal(await main(['batch', INPUT, '-o', output, '--replay', CASSETTE, '--resume'], resumed), 0);
  t.same(records(output).map((r) => r.id).sort(), ['broken', 'busy', 'capital-fr', 'capital-jp', 'review-1', 'review-2', 'review-3', 'too-long', 'translate-1', 'unlucky']);
});

t.test('shards of the example merge into every id once; a repeated id is refused by name', async (t) => {
  const dir = scratch(t);
  const parts = [join(dir, 'p1.jsonl'), join(dir, 'p2.jsonl')];
  for (const [i, part] of parts.entries()) t.equal(await main(['batch', INPUT, '-o', part, '--replay', CASSETTE, '--shard', `${i + 1}/2`], fakeIo()), 0);
  const all = join(dir, 'all.jsonl');
  const io = fakeIo();
  t.equal(await main(['batch', 'merge', ...parts, '-o', all], io), 0, io.stderr.text);
  t.match(io.stderr.text, /merged 10 records \(7 ok, 3 failed\) from 2 file\(s\)/);
  t.equal(new Set(records(all).map((r) => r.id)).size, 10);
  const twice = fakeIo();
  t.equal(await main(['batch', 'merge', parts[0] as string, parts[0] as string, '-o', join(dir, 'x.jsonl')], twice), 2);
  t.match(twice.stderr.text, /id\(s\) have more than one record: "[^"]+" \(.*p1\.jsonl, .*p1\.jsonl\)/);
  writeFileSync(join(dir, 'torn.jsonl'), `${readFileSync(parts[1] as string, 'utf8')}{"id":"x`);
  const torn = fakeIo();
  t.equal(await main(['batch', 'merge', parts[0] as string, join(dir, 'torn.jsonl'), '-o', join(dir, 'y.jsonl')], torn), 2);
  t.match(torn.stderr.text, /ends in a torn line .* --resume/);
  t.equal(await main(['batch', 'merge', parts[0] as string, '-o', parts[0] as string], fakeIo()), 2);
});

t.test('hook errors (a missing price file, no key for the Batch API lane), usage errors and help', async (t) => {
  const dir = scratch(t);
  const cases: [string[], number, RegExp][] = [
    [['batch', INPUT, '-o', join(dir, 'a.jsonl'), '--prices', 'p.json'], 2, /--prices p\.json: ENOENT/],
    [['batch', INPUT, '-o', join(dir, 'b.jsonl'), '--via', 'batch-api'], 3, /openai: .*OPENAI_API_KEY/],
    [['batch', INPUT, '-o', join(dir, 'c.jsonl'), '--replay', join(dir, 'none.jsonl')], 2, /does not exist/],
    [['batch', INPUT, '-o', join(dir, 'd.jsonl'), '--replay', CASSETTE, '--strict'], 5, /--strict stops at the first invalid line/],
    [['batch', INPUT], 2, /needs -o/],
    [['batch', join(dir, 'missing.jsonl'), '-o', join(dir, 'e.jsonl')], 1, /could not read/],
  ];
  for (const [argv, code, message] of cases) {
    const io = fakeIo();
    t.equal(await main(argv, io), code, argv.join(' '));
    t.match(io.stderr.text, message);
  }
  const help = fakeIo();
  t.equal(await main(['help', 'batch'], help), 0);
  t.match(help.stdout.text, /llmux batch merge OUT1 OUT2 \.\.\. -o ALL/);
  const noKey = fakeIo({ env: {} });
  t.equal(await main(['batch', INPUT, '-o', join(dir, 'f.jsonl')], noKey), 3);
  t.match(noKey.stderr.text, /OPENAI_API_KEY/);
});
