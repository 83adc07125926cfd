// What `runBatch` costs on top of the engine: client CPU per request for short non-streaming
// requests, the bare engine (startRequest, 64 in flight, provider.run()) against runBatch on
// the same requests from a JSONL file (parse, key, admit, record, write, manifest).
//
//   make bench-batch            # = make build; cd bench && npx tsc -p . && node dist/batch-overhead.js
//   BENCH_BATCH_N=5000 BENCH_BATCH_ROUNDS=1 make bench-batch
//
// The server and each client run in their own process, so process.cpuUsage() is the
// client's alone. Each client warms up (3,000 requests) before it is measured; the figure is
// the median over rounds. llmux comes from the repo's compiled output (../dist/src/index.js).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const ENTRY = process.env.BENCH_LLMUX_ENTRY ?? fileURLToPath(new URL('../../dist/src/index.js', import.meta.url));
const N = Number(process.env.BENCH_BATCH_N ?? 20_000);
const ROUNDS = Number(process.env.BENCH_BATCH_ROUNDS ?? 3);
const WARMUP = 3000;
const CONCURRENCY = 64;

interface Measure {
  readonly cpuUs: number;
  readonly wallMs: number;
  readonly requests: number;
}

// The slice of llmux the bench uses, declared so bench/ compiles on its own.
interface ResultLike {
  isOk(): boolean;
  readonly error?: { readonly message: string };
}
interface ProviderLike {
  startRequest(request: unknown, onComplete: (result: ResultLike) => void): ResultLike;
  run(): Promise<void>;
  cleanup(): Promise<void>;
}
interface Llmux {
  createProvider(name: string, options: unknown): { _unsafeUnwrap(): ProviderLike };
  runBatch(options: unknown): Promise<{ isOk(): boolean; _unsafeUnwrap(): { outcome: string; written: number }; error?: { message: string } }>;
}

const BODY = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 },
});

function server(): void {
  const http = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY), 'x-request-id': 'req_bench' });
      res.end(BODY);
    });
  });
  http.keepAliveTimeout = 60_000;
  http.listen(0, '127.0.0.1', () => {
    const address = http.address();
    process.stdout.write(`PORT ${typeof address === 'object' && address !== null ? address.port : 0}\n`);
  });
}

function request(i: number): unknown {
  return { messages: [{ role: 'user', content: `question ${i}` }], maxOutputTokens: 16 };
}

async function engineClient(llmux: Llmux, baseURL: string, n: number): Promise<Measure> {
  const provider = llmux.createProvider('openai', { apiKey: 'sk-bench', baseURL, env: {}, engine: { maxInFlight: CONCURRENCY } })._unsafeUnwrap();
  const once = async (count: number): Promise<void> => {
    let next = 0;
    let failed = 0;
    const startOne = (): void => {
      if (next >= count) return;
      const i = next++;
      const started = provider.startRequest(request(i), (result) => {
        if (!result.isOk()) failed++;
        startOne();
      });
      if (!started.isOk()) throw new Error(started.error?.message);
    };
    for (let k = 0; k < CONCURRENCY; k++) startOne();
    await provider.run();
    if (failed > 0) throw new Error(`${failed} requests failed`);
  };
  await once(WARMUP);
  const cpu = process.cpuUsage();
  const wall = performance.now();
  await once(n);
  const used = process.cpuUsage(cpu);
  const measure = { cpuUs: used.user + used.system, wallMs: performance.now() - wall, requests: n };
  await provider.cleanup();
  return measure;
}

async function batchClient(llmux: Llmux, baseURL: string, n: number): Promise<Measure> {
  const dir = mkdtempSync(join(tmpdir(), 'llmux-bench-batch-'));
  try {
    const write = (name: string, count: number): string => {
      const path = join(dir, name);
      const lines: string[] = [];
      for (let i = 0; i < count; i++) lines.push(JSON.stringify({ id: `q${i}`, request: request(i) }));
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    };
    const options = (input: string, output: string) => ({ input, output, concurrency: CONCURRENCY, providers: { openai: { apiKey: 'sk-bench', baseURL, env: {} } } });
    const warm = await llmux.runBatch(options(write('warm.jsonl', WARMUP), join(dir, 'warm.out.jsonl')));
    if (!warm.isOk()) throw new Error(warm.error?.message);
    const input = write('in.jsonl', n);
    const cpu = process.cpuUsage();
    const wall = performance.now();
    const result = await llmux.runBatch(options(input, join(dir, 'out.jsonl')));
    const used = process.cpuUsage(cpu);
    const summary = result._unsafeUnwrap();
    if (summary.outcome !== 'complete' || summary.written !== n) throw new Error(`batch ended ${summary.outcome} with ${summary.written} records`);
    return { cpuUs: used.user + used.system, wallMs: performance.now() - wall, requests: n };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function client(kind: string, port: string, n: number): Promise<void> {
  const llmux = (await import(pathToFileURL(ENTRY).href)) as Llmux;
  const baseURL = `http://127.0.0.1:${port}/v1`;
  const measure = kind === 'engine' ? await engineClient(llmux, baseURL, n) : await batchClient(llmux, baseURL, n);
  process.stdout.write(`${JSON.stringify(measure)}\n`);
}

function child(args: readonly string[]): { lines: AsyncIterable<string>; kill(): void; done: Promise<number | null> } {
  const proc = spawn(process.execPath, [SELF, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  proc.stdout.setEncoding('utf8');
  const lines = (async function* () {
    let buffer = '';
    for await (const chunk of proc.stdout) {
      buffer += chunk as string;
      let at: number;
      while ((at = buffer.indexOf('\n')) >= 0) {
        yield buffer.slice(0, at);
        buffer = buffer.slice(at + 1);
      }
    }
  })();
  return { lines, kill: () => proc.kill(), done: new Promise((resolve) => proc.on('close', resolve)) };
}

async function first(lines: AsyncIterable<string>): Promise<string> {
  for await (const line of lines) return line;
  throw new Error('the child printed nothing');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const srv = child(['server']);
  const port = (await first(srv.lines)).replace(/^PORT /, '');
  const results: Record<string, Measure[]> = { engine: [], batch: [] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of ['engine', 'batch']) {
        const run = child(['client', kind, port, String(N)]);
        const measure = JSON.parse(await first(run.lines)) as Measure;
        await run.done;
        results[kind]?.push(measure);
        process.stderr.write(`round ${round + 1} ${kind}: ${(measure.cpuUs / measure.requests).toFixed(1)} µs CPU/request, ${(measure.requests / (measure.wallMs / 1000)).toFixed(0)} req/s\n`);
      }
    }
  } finally {
    srv.kill();
  }
  const perRequest = (kind: string): number => median((results[kind] ?? []).map((m) => m.cpuUs / m.requests));
  const throughput = (kind: string): number => median((results[kind] ?? []).map((m) => m.requests / (m.wallMs / 1000)));
  const engine = perRequest('engine');
  const batch = perRequest('batch');
  process.stdout.write(
    [
      `| client | CPU µs/request (median of ${ROUNDS}) | req/s | vs engine |`,
      '|---|---:|---:|---:|',
      `| engine (startRequest, ${CONCURRENCY} in flight) | ${engine.toFixed(1)} | ${throughput('engine').toFixed(0)} | 1.00 |`,
      `| runBatch (JSONL in, records out) | ${batch.toFixed(1)} | ${throughput('batch').toFixed(0)} | ${(batch / engine).toFixed(2)} |`,
      '',
      `${N} short non-streaming requests per run, loopback, ${CONCURRENCY} in flight, governor on.`,
      '',
    ].join('\n'),
  );
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'server') server();
else if (mode === 'client') await client(rest[0] ?? 'engine', rest[1] ?? '0', Number(rest[2] ?? N));
else await main();
