// The layer rule of scripts/lint.mjs, proven on small trees: each back-edge fails the lint,
// the legal imports pass, and the repository itself passes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import t from 'tap';

const LINT = join(process.cwd(), 'scripts', 'lint.mjs');

function lint(files: Record<string, string>): { code: number | null; output: string } {
  const root = mkdtempSync(join(tmpdir(), 'llmux-lint-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const run = spawnSync(process.execPath, [LINT, root], { encoding: 'utf8' });
    return { code: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

t.test('an import up a layer fails the lint, type imports included', async (t) => {
  const cases: [string, string, string][] = [
    ['src/http/a.ts', "import type { X } from '../providers/types.js';\n", 'http/ imports ../providers/types.js from providers/'],
    ['src/errors/a.ts', "import { y } from '../http/b.js';\n", 'errors/ imports ../http/b.js from http/'],
    ['src/sse/a.ts', "export type { X } from '../vcr/x.js';\n", 'sse/ imports ../vcr/x.js from vcr/'],
    ['src/providers/a.ts', "import {\n  y,\n} from '../cli/z.js';\n", 'providers/ imports ../cli/z.js from cli/'],
    ['src/vcr/a.ts', "const m = await import('../cli/main.js');\n", 'vcr/ imports ../cli/main.js from cli/'],
    ['src/http/a.ts', "import { y } from '../index.js';\n", 'an entry file at the root of src/'],
  ];
  for (const [path, text, expected] of cases) {
    const { code, output } = lint({ [path]: text });
    t.equal(code, 1, `${path} fails`);
    t.match(output, expected, `${path} names the edge`);
  }
});

t.test('providers share code only through the kit', async (t) => {
  const across = lint({ 'src/providers/anthropic/a.ts': "import { x } from '../openai/json.js';\n" });
  t.equal(across.code, 1);
  t.match(across.output, 'from the openai provider; providers share code only through providers/kit');
  const kit = lint({ 'src/providers/kit/a.ts': "import { x } from '../openai/json.js';\n" });
  t.equal(kit.code, 1);
  t.match(kit.output, 'the kit knows no provider');
});

t.test('downward and sideways imports pass', async (t) => {
  const { code, output } = lint({
    'src/errors/a.ts': "import { x } from './b.js';\n",
    'src/http/a.ts': "import type { E } from '../errors/a.js';\nimport { u } from 'undici';\n",
    'src/providers/openai/a.ts': "import { k } from '../kit/json.js';\nimport { t } from '../types.js';\nimport { h } from '../../http/a.js';\n",
    'src/providers/factory.ts': "import { o } from './openai/a.js';\n",
    'src/cli/a.ts': "import { p } from '../providers/openai/a.js';\nimport { v } from '../vcr/a.js';\n",
    'src/index.ts': "export * from './cli/a.js';\n",
  });
  t.equal(code, 0, output);
});

t.test('a folder outside the layers and an over-long file fail', async (t) => {
  const stray = lint({ 'src/util/a.ts': "import { x } from '../errors/a.js';\n" });
  t.equal(stray.code, 1);
  t.match(stray.output, 'is not one of the layers');
  const long = lint({ 'src/http/a.ts': 'export const x = 1;\n'.repeat(351) });
  t.equal(long.code, 1);
  t.match(long.output, 'keep source files under 350');
});
