// The README's governor / breaker / fallback example, compiled from the README as written and
// run against a loopback server that speaks OpenAI (with rate-limit headers) and Anthropic.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import ts from 'typescript';
import { startLoopback } from '../helpers/loopback.js';

function exampleCode(): string {
  const readme = readFileSync(resolve('README.md'), 'utf8');
  const marker = readme.indexOf('<!-- readme-example: governor -->');
  const start = readme.indexOf('```ts\n', marker) + '```ts\n'.length;
  return readme.slice(start, readme.indexOf('```', start));
}

t.test('the README governor example compiles and runs: a failing target falls over to the next', async (t) => {
  const server = await startLoopback((req, res, body) => {
    const headers = {
      'content-type': 'application/json',
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-remaining-requests': '499',
      'x-ratelimit-reset-requests': '120ms',
    };
    if (req.url?.startsWith('/v1/chat/completions') === true) {
      if (body.includes('Question 7')) {
        // retry-after-ms: 0 makes the engine's own retries immediate (no real-time backoff in a test); then the chain falls over.
        res.writeHead(503, { ...headers, 'retry-after-ms': '0' }).end(JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }));
        return;
      }
      res.writeHead(200, headers).end(JSON.stringify({ id: 'c', object: 'chat.completion', model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'from openai' }, finish_reason: 'stop' }] }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({ id: 'm', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'from anthropic' }], stop_reason: 'end_turn', usage: { input_tokens: 3, output_tokens: 2 } }),
    );
  });
  const index = pathToFileURL(resolve('dist/src/index.js')).href;
  const js = ts.transpileModule(exampleCode(), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText.replace("from 'llmux'", `from '${index}'`);
  const dir = mkdtempSync(join(tmpdir(), 'llmux-readme-'));
  const file = join(dir, 'example.mjs');
  writeFileSync(file, js);
  const saved = { ...process.env };
  Object.assign(process.env, { OPENAI_API_KEY: 'sk-test-readme', OPENAI_BASE_URL: `${server.url}/v1`, ANTHROPIC_API_KEY: 'sk-ant-test-readme', ANTHROPIC_BASE_URL: server.url });
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
  try {
    await import(pathToFileURL(file).href);
  } finally {
    console.log = log;
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
  t.equal(lines.filter((line) => line === 'openai from openai').length, 19);
  t.equal(lines.filter((line) => line === 'anthropic from anthropic').length, 1, 'the 503 fell over to the second target');
  t.match(lines.at(-1) ?? '', /^20 \{"limit":500,/);
});
