// The package as a user gets it: `npm pack`, installed offline (its dependencies linked from
// this repo's node_modules) into a strict NodeNext project and a `module: commonjs` one.
// Every README example marked `<!-- example: FILE -->` is compiled there and run against a
// loopback server; the CommonJS ones run through plain require().
import t from 'tap';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ServerResponse } from 'node:http';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MODULES = join(ROOT, 'node_modules');
const TSC = join(MODULES, 'typescript', 'bin', 'tsc');

export interface Example {
  readonly file: string;
  readonly runner: string | undefined;
  readonly expect: string | undefined;
  readonly code: string;
}

/** The README's runnable examples: a marker comment, then the fenced block. */
export function readmeExamples(readme: string): Example[] {
  const pattern = /<!-- example: (\S+)(?: run=(\S+))?(?: expect="([^"]*)")? -->\n```(?:ts|js)\n([\s\S]*?)```/g;
  return [...readme.matchAll(pattern)].map((m) => ({ file: m[1] as string, runner: m[2], expect: m[3], code: m[4] as string }));
}

/** Top-level await is ESM only: the CommonJS project gets the same code inside a function. */
function asCommonJs(code: string): string {
  const lines = code.split('\n');
  const imports = lines.filter((line) => line.startsWith('import '));
  const body = lines.filter((line) => !line.startsWith('import '));
  return `${imports.join('\n')}\n\nasync function main(): Promise<void> {\n${body.join('\n')}\n}\nvoid main();\n`;
}

function chunk(delta: Record<string, unknown>, finish: string | null = null): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

function answer(res: ServerResponse, body: string): void {
  const request = JSON.parse(body) as { stream?: boolean; response_format?: unknown; messages: { content: string }[] };
  const question = request.messages.at(-1)?.content ?? '';
  if (question === 'Take your time') return; // aborted by the client before any answer
  if (request.stream === true) {
    res.writeHead(200, { ...SSE_HEADERS, 'x-request-id': 'req_consumer' });
    res.write(chunk({ role: 'assistant', content: 'Sockets ' }));
    if (question.includes('long poem')) return; // the client breaks out and closes
    res.end(chunk({ content: 'hum' }, 'stop') + 'data: [DONE]\n\n');
    return;
  }
  const content = request.response_format === undefined ? 'Hello from the loopback' : '{"city":"Bern"}';
  res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_consumer' });
  res.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
}

function tsconfig(module: 'NodeNext' | 'CommonJS'): string {
  return JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module,
      ...(module === 'NodeNext' ? { moduleResolution: 'NodeNext' } : { esModuleInterop: true }),
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      types: ['node'],
      typeRoots: [join(MODULES, '@types')],
      skipLibCheck: false,
      outDir: 'dist',
      rootDir: '.',
    },
    include: ['*.ts'],
  });
}

/**
 * Both projects in one `tsc --build`: one process instead of two, and the build shares what it
 * parsed (the lib files, @types/node, the package's declarations) between them. Each project
 * is still type-checked under its own module settings.
 */
async function compile(t: { fail(message: string): void }, dirs: readonly string[]): Promise<void> {
  try {
    await run(process.execPath, [TSC, '--build', ...dirs.map((dir) => join(dir, 'tsconfig.json'))]);
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    t.fail(`tsc failed in ${dirs.map((dir) => basename(dir)).join(' or ')}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

t.test('the packed tarball installs into strict ESM and CommonJS projects that compile and run the README examples', async (t) => {
  if (!existsSync(join(ROOT, 'dist', 'cjs', 'index.js'))) await run(process.execPath, ['scripts/build-cjs.mjs'], { cwd: ROOT });
  const dir = mkdtempSync(join(tmpdir(), 'llmux-consumer-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const packed = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT });
  const tarball = packed.stdout.trim().split('\n').at(-1) as string;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const deps = ['undici', 'neverthrow', 'eventsource-parser', '@pydantic/genai-prices'].map((name) => join(MODULES, name));
  await run('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', `./${tarball}`, ...deps], { cwd: dir });

  const installed = join(dir, 'node_modules', 'llmux');
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  t.notOk(manifest.scripts?.prepare, 'no prepare script ships (it would run on a git install)');
  t.ok(existsSync(join(installed, 'LICENSE')), 'LICENSE ships');
  const declarations = listFiles(join(installed, 'dist')).filter((file) => file.endsWith('.d.ts'));
  t.ok(declarations.length > 20);
  t.same(declarations.filter((file) => readFileSync(file, 'utf8').includes('@internal')), [], 'nothing @internal in the published declarations');

  const examples = readmeExamples(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  t.ok(examples.length >= 10, `README examples found: ${examples.map((e) => e.file).join(', ')}`);
  const esm = join(dir, 'esm');
  const cjs = join(dir, 'cjs');
  for (const [project, type, module] of [[esm, 'module', 'NodeNext'], [cjs, 'commonjs', 'CommonJS']] as const) {
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: basename(project), private: true, type }));
    writeFileSync(join(project, 'tsconfig.json'), tsconfig(module));
    cpSync(join(ROOT, 'vcr-fixtures', 'openai', 'chat-text-multibyte.jsonl'), join(project, 'vcr-fixtures', 'openai', 'chat-text-multibyte.jsonl'));
  }
  for (const example of examples) {
    if (example.file.startsWith('cjs/')) writeFileSync(join(cjs, basename(example.file)), example.code);
    else {
      writeFileSync(join(esm, example.file), example.code);
      writeFileSync(join(cjs, example.file), asCommonJs(example.code));
    }
  }
  await compile(t, [esm, cjs]);

  const server = await startLoopback((_req, res, body) => answer(res, body));
  t.teardown(() => server.close());
  const env: NodeJS.ProcessEnv = { ...process.env, OPENAI_API_KEY: 'sk-consumer-test', OPENAI_BASE_URL: `${server.url}/v1`, NODE_NO_WARNINGS: '1' };
  delete env.LLMUX_VCR;
  delete env.TAP;
  delete env.TAP_CHILD_ID;
  for (const example of examples) {
    const projects = example.file.startsWith('cjs/') ? [cjs] : [esm, cjs];
    for (const project of projects) {
      const script = example.file.endsWith('.cjs') ? basename(example.file) : join('dist', example.file.replace(/\.ts$/, '.js'));
      const args = example.runner === 'node-test' ? ['--test', '--test-reporter=tap', script] : [script];
      const label = `${basename(project)}: ${example.file}`;
      try {
        const out = await run(process.execPath, args, { cwd: project, env, timeout: 60_000 });
        if (example.expect !== undefined) t.match(out.stdout, example.expect, label);
        else t.pass(label);
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        t.fail(`${label} failed:\n${stdout ?? ''}${stderr ?? ''}`);
      }
    }
  }
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

