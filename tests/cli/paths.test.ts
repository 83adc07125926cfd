import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { chatCommand } from '../../src/cli/chat.js';
import { demoCassetteDir, packageRoot, packageVersion } from '../../src/cli/paths.js';
import { main } from '../../src/cli/run.js';
import { fakeIo } from './helpers/fake-io.js';

t.test('the package root is found from this module wherever the cwd is', async (t) => {
  const root = packageRoot();
  t.match(packageVersion(root), /^\d+\.\d+\.\d+/);
  t.equal(demoCassetteDir(root), join(root, 'vcr-fixtures', 'demo'));
  t.equal(packageRoot(pathToFileURL(join(root, 'src', 'cli', 'x.ts')).href), root);
  t.throws(() => packageRoot(pathToFileURL(join(tmpdir(), 'x.js')).href), /cannot find the package root/);
});

t.test('a broken or foreign package.json is skipped', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'llmux-paths-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'a', 'b'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'llmux', version: 7 }));
  await writeFile(join(dir, 'a', 'package.json'), '{broken');
  await writeFile(join(dir, 'a', 'b', 'package.json'), JSON.stringify({ name: 'other' }));
  t.equal(packageRoot(pathToFileURL(join(dir, 'a', 'b', 'm.js')).href), dir);
  t.equal(packageVersion(dir), '0.0.0', 'a version that is not a string');
});

t.test('an unexpected exception becomes exit code 1 with a message', async (t) => {
  const io = fakeIo();
  io.stdout.write = () => {
    throw new Error('disk on fire');
  };
  t.equal(await main(['--version'], io), 1);
  t.match(io.stderr.text, /^llmux: unexpected failure: Error: disk on fire/);
  const odd = fakeIo();
  odd.stdout.write = () => {
    throw 'a string';
  };
  t.equal(await main(['--help'], odd), 1);
  t.match(odd.stderr.text, /unexpected failure: a string/);
});

t.test('a provider the factory does not know', async (t) => {
  const io = fakeIo();
  t.equal(await chatCommand({ provider: 'acme', json: false, render: 'auto', speed: 'recorded', question: 'q' }, io), 5);
  t.match(io.stderr.text, /^error \(invalid_arg\): unknown provider "acme"/);
});
