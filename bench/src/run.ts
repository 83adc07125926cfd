// The bench driver: starts the loopback SSE server, runs every client of every scenario in
// its own child process, interleaved over rounds, and reports medians.
//
//   node dist/run.js                    full run (~10 min on 2 cores)
//   BENCH_QUICK=1 node dist/run.js      smoke run with small sizes, one round (~1 min)
//   BENCH_PROFILE=1 node dist/run.js    one llmux run per scenario under --cpu-prof, plus
//                                       the top self-time functions (no tables)
//   BENCH_SCENARIOS=throughput,tool     only these scenarios
//   BENCH_CLIENTS=floor,llmux-run       only these clients
//   BENCH_ROUNDS=3                      rounds (medians are over rounds; quick: 1)
//   BENCH_CORRUPT_STREAM=7              self-test: the server corrupts stream 7, every row must FAIL
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LLMUX_ENTRY } from './clients/llmux.js';
import { analyze, formatSummary } from './profile.js';
import type { ClientName, HarnessConfig, HarnessResult } from './protocol.js';
import { API_NAMES, scenarios as allScenarios, type Scenario } from './scenarios.js';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = join(BENCH_DIR, 'results');
const HARNESS = fileURLToPath(new URL('./harness.js', import.meta.url));
const SERVER = fileURLToPath(new URL('./server.js', import.meta.url));

const QUICK = process.env.BENCH_QUICK === '1';
const PROFILE = process.env.BENCH_PROFILE === '1';
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3)));
const ONLY_SCENARIOS = listEnv('BENCH_SCENARIOS');
const ONLY_CLIENTS = listEnv('BENCH_CLIENTS');
/** Scales the stream count of the unpaced scenarios (their in-flight count stays): for a loaded machine. */
const SCALE = Math.min(1, Math.max(0.05, Number(process.env.BENCH_SCALE ?? 1) || 1));
const WANTED_FDS = 65_536;

/** Targets of issue 15 for llmux rows, as ratios to the floor of the same run. */
const CPU_TARGET = 1.03;
const RSS_TARGET = 1.1;

function scenarios(): Scenario[] {
  return allScenarios(QUICK, SCALE, ONLY_SCENARIOS);
}

function listEnv(name: string): string[] | undefined {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? undefined : value.split(',').map((s) => s.trim());
}

// ---------------------------------------------------------------- processes

/** Runs node under bash with the fd limit raised as far as allowed; BENCH_FD_LIMIT says how far. */
function spawnNode(nodeArgs: string[], stdin: 'ignore' | 'pipe'): ChildProcess {
  const script = `ulimit -n ${WANTED_FDS} 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; export BENCH_FD_LIMIT="$(ulimit -n)"; exec node "$@"`;
  return spawn('bash', ['-c', script, 'bash', ...nodeArgs], { stdio: [stdin, 'pipe', 'pipe'], cwd: BENCH_DIR });
}

interface Server {
  readonly port: number;
  readonly child: ChildProcess;
  stats(): Promise<{ served: number; active: number; connections: number }>;
  stop(): void;
}

async function startServer(): Promise<Server> {
  const child = spawnNode([SERVER], 'pipe');
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[server] ${d.toString()}`));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const waiters: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiters.shift()?.(line));
  const nextLine = () => new Promise<string>((resolve) => waiters.push(resolve));
  const first = await Promise.race([
    nextLine(),
    new Promise<string>((_, reject) => child.once('exit', (code) => reject(new Error(`server exited (${code})`)))),
  ]);
  const port = Number(/^PORT (\d+)$/.exec(first)?.[1]);
  if (!Number.isInteger(port)) throw new Error(`server said ${first}`);
  return {
    port,
    child,
    async stats() {
      const line = nextLine();
      child.stdin?.write('stats\n');
      return JSON.parse((await line).replace(/^STATS /, '')) as { served: number; active: number; connections: number };
    },
    stop() {
      child.stdin?.end();
      if (child.pid !== undefined && child.exitCode === null) child.kill('SIGTERM');
    },
  };
}

/** connections: TCP connections the server accepted during the run (warm-up included). */
type RunResult = Partial<HarnessResult> & { client: ClientName; ok: boolean; connections?: number };

async function runClient(config: HarnessConfig, timeoutMs: number, profileName?: string): Promise<RunResult> {
  const nodeArgs = ['--expose-gc'];
  if (profileName !== undefined) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${RESULTS_DIR}`, `--cpu-prof-name=${profileName}`);
  const child = spawnNode([...nodeArgs, HARNESS, JSON.stringify(config)], 'ignore');
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 8192) stderr = stderr.slice(-8192);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  const line = stdout.split('\n').find((l) => l.startsWith('@@RESULT '));
  if (line !== undefined) return JSON.parse(line.slice('@@RESULT '.length)) as RunResult;
  const why = timedOut ? `timed out after ${timeoutMs / 1000} s` : `exited with ${code}`;
  return { client: config.client, ok: false, failure: `${why}; stderr: ${stderr.trim().slice(-600)}` };
}

async function settle(server: Server): Promise<void> {
  // Let the server see the last client's sockets close before the next run starts.
  for (let i = 0; i < 100; i++) {
    if ((await server.stats()).active === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---------------------------------------------------------------- numbers

interface Row {
  readonly client: ClientName;
  readonly ok: boolean;
  readonly failure?: string;
  readonly rounds: number;
  readonly cpuUsPerEvent: number;
  readonly cpuUsPerEventRange: readonly [number, number];
  readonly eventsPerSec: number;
  readonly peakRssMB: number;
  readonly rssPerStreamKB: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly loopDelayP99Ms: number;
  readonly cpuRatio?: number;
  readonly rssRatio?: number;
}

function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function rowFor(scenario: Scenario, client: ClientName, runs: RunResult[]): Row {
  const failed = runs.find((r) => !r.ok);
  const concurrent = Math.min(scenario.concurrency, scenario.streams);
  const cpu = runs.map((r) => ((r.cpuUserUs ?? NaN) + (r.cpuSystemUs ?? NaN)) / (r.expectedEvents ?? NaN));
  return {
    client,
    ok: failed === undefined,
    ...(failed !== undefined ? { failure: failed.failure ?? 'failed' } : {}),
    rounds: runs.length,
    cpuUsPerEvent: median(cpu),
    cpuUsPerEventRange: [Math.min(...cpu), Math.max(...cpu)],
    eventsPerSec: median(runs.map((r) => ((r.expectedEvents ?? NaN) * 1000) / (r.wallMs ?? NaN))),
    peakRssMB: median(runs.map((r) => (r.peakRssBytes ?? NaN) / 1048576)),
    rssPerStreamKB: median(runs.map((r) => ((r.peakRssBytes ?? NaN) - (r.baselineRssBytes ?? NaN)) / concurrent / 1024)),
    p50Ms: median(runs.map((r) => r.p50Ms ?? NaN)),
    p99Ms: median(runs.map((r) => r.p99Ms ?? NaN)),
    loopDelayP99Ms: median(runs.map((r) => r.loopDelayP99Ms ?? NaN)),
  };
}

function withRatios(rows: Row[]): Row[] {
  const floor = rows.find((r) => r.client === 'floor' && r.ok);
  if (floor === undefined) return rows;
  return rows.map((r) => (r.ok ? { ...r, cpuRatio: r.cpuUsPerEvent / floor.cpuUsPerEvent, rssRatio: r.rssPerStreamKB / floor.rssPerStreamKB } : r));
}

const fmt = (n: number | undefined, digits = 1): string => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));
const fmtInt = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const ratio = (n: number | undefined): string => (n === undefined || !Number.isFinite(n) ? '–' : `${n.toFixed(2)}×`);

function describeKind(scenario: Scenario): string {
  if (scenario.kind === 'whole') return `requests, each answered with one JSON body of ${scenario.deltas} tokens`;
  if (scenario.kind === 'tool' && scenario.api === 'gemini') return `streams × ${scenario.deltas} function calls (whole arguments, one per chunk)`;
  return `streams × ${scenario.deltas} ${scenario.kind === 'tool' ? 'tool-argument' : 'text'} deltas`;
}

/** Only llmux rows have targets; RSS per stream is judged where it is more than noise (many streams in flight). */
function targetsOf(scenario: Scenario, client: ClientName): { cpu: boolean; rss: boolean } {
  const llmux = client.startsWith('llmux-');
  return { cpu: llmux, rss: llmux && Math.min(scenario.concurrency, scenario.streams) >= 200 };
}

/** Which of a row's targets it misses: '' for a row without targets, 'met' or what missed. */
function misses(scenario: Scenario, r: Row): string[] | undefined {
  const t = targetsOf(scenario, r.client);
  if (!t.cpu && !t.rss) return undefined;
  if (!r.ok) return ['failed'];
  const out: string[] = [];
  if (t.cpu && !((r.cpuRatio ?? Infinity) <= CPU_TARGET)) out.push(`CPU ${ratio(r.cpuRatio)} > ${CPU_TARGET}×`);
  if (t.rss && !((r.rssRatio ?? Infinity) <= RSS_TARGET)) out.push(`RSS ${ratio(r.rssRatio)} > ${RSS_TARGET}×`);
  return out;
}

function verdict(scenario: Scenario, r: Row): string {
  const m = misses(scenario, r);
  if (m === undefined) return '';
  return m.length === 0 ? 'met' : `**missed**: ${m.join(', ')}`;
}

/** One line per client, one column per scenario: the ratios the README shows. */
function summaryTable(summary: readonly { scenario: Scenario; rows: Row[] }[]): string {
  const clients = [...new Set(summary.flatMap((s) => s.rows.map((r) => r.client)))];
  const head = `| client | ${summary.map((s) => s.scenario.id).join(' | ')} |`;
  const rule = `|---|${summary.map(() => '---:').join('|')}|`;
  const lines = clients.map((client) => {
    const cells = summary.map(({ scenario, rows }) => {
      const r = rows.find((row) => row.client === client);
      if (r === undefined) return '';
      if (!r.ok) return 'FAILED';
      const rss = Math.min(scenario.concurrency, scenario.streams) >= 200 ? ` (${ratio(r.rssRatio)})` : '';
      return `${ratio(r.cpuRatio)}${rss}`;
    });
    return `| ${client} | ${cells.join(' | ')} |`;
  });
  return [head, rule, ...lines].join('\n');
}

function table(scenario: Scenario, rows: Row[]): string {
  const concurrent = Math.min(scenario.concurrency, scenario.streams);
  const unit = scenario.kind === 'whole' ? 'request' : 'event';
  const head = [
    `### ${scenario.title}`,
    '',
    `\`${scenario.id}\`: ${fmtInt(scenario.streams)} ${describeKind(scenario)}, ` +
      `${fmtInt(concurrent)} in flight, ${API_NAMES[scenario.api]}, ` +
      `${scenario.paceMs > 0 ? `${scenario.paceMs} ms between deltas` : 'unpaced'}, ${scenario.coalesce} event(s) per write. Medians of ${ROUNDS} round(s).` +
      (QUICK ? ' Smoke sizes: RSS per stream is noise here.' : ''),
    '',
    `| client | CPU µs/${unit} | CPU ×floor | ${unit}s/s | peak RSS MB | RSS/stream KB | RSS ×floor | p50 ms | p99 ms | loop delay p99 ms | target |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  const body = rows.map((r) =>
    r.ok
      ? `| ${r.client} | ${fmt(r.cpuUsPerEvent, 2)} (${fmt(r.cpuUsPerEventRange[0], 2)}–${fmt(r.cpuUsPerEventRange[1], 2)}) | ${ratio(r.cpuRatio)} | ${fmtInt(r.eventsPerSec)} | ${fmt(r.peakRssMB)} | ${fmt(r.rssPerStreamKB, 1)} | ${ratio(r.rssRatio)} | ${fmt(r.p50Ms, 0)} | ${fmt(r.p99Ms, 0)} | ${fmt(r.loopDelayP99Ms, 1)} | ${verdict(scenario, r)} |`
      : `| ${r.client} | **FAILED** | | | | | | | | | missed |`,
  );
  const notes = rows
    .filter((r) => !r.ok)
    .map((r) => `- ${r.client} FAILED: ${(r.failure ?? '').replace(/\s+/g, ' ').slice(0, 400)}`);
  return [...head, ...body, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}

function versionOf(pkg: string): string {
  try {
    const file = join(BENCH_DIR, 'node_modules', pkg, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

function llmuxRevision(): string {
  const git = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: join(BENCH_DIR, '..'), encoding: 'utf8' });
  return git.status === 0 ? git.stdout.trim() : 'unknown';
}

const LOAD_AT_START = loadavg()[0] ?? NaN;

function environment(fdLimit: string): string {
  const cpu = cpus();
  return [
    `- llmux ${llmuxRevision()} (${process.env.BENCH_LLMUX_ENTRY ?? 'dist/src'}). Machine load average (1 min) at start / end: ${LOAD_AT_START.toFixed(2)} / ${(loadavg()[0] ?? NaN).toFixed(2)}; anything above ~1 means other work shared the cores, which shows in events/s and durations far more than in CPU/event.`,
    `- ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, loopback; open-files limit of each child: ${fdLimit}${fdLimit !== String(WANTED_FDS) ? ` (wanted ${WANTED_FDS}; the hard limit did not allow more)` : ''}.`,
    `- Peers: openai ${versionOf('openai')}, ai ${versionOf('ai')} + @ai-sdk/openai ${versionOf('@ai-sdk/openai')}, @anthropic-ai/sdk ${versionOf('@anthropic-ai/sdk')}, @google/genai ${versionOf('@google/genai')}; floor: undici ${versionOf('undici')} + eventsource-parser ${versionOf('eventsource-parser')}.`,
    `- Server: a separate Node process (node:http) generating OpenAI-, Anthropic- and Gemini-shaped SSE (one floor per wire format); each client runs in its own process, so CPU (user+system from process.cpuUsage()) and peak RSS (maxRSS) are the client's own.`,
    `- CPU µs/event (the stable number: the client's own CPU, in parentheses the range over rounds) = client CPU for the measured run / deltas delivered; events/s and stream durations are wall-clock and partly bound by the server, which shares the two cores; RSS/stream = (peak RSS − RSS after imports and a warm-up) / streams in flight. Every stream's text and tool-call arguments were checked byte for byte against the generator; a client with any wrong stream is shown as FAILED.`,
  ].join('\n');
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  if (!existsSync(LLMUX_ENTRY)) {
    process.stderr.write(`note: ${LLMUX_ENTRY} is missing (build llmux at the repo root); llmux rows will fail.\n`);
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const server = await startServer();
  const started = Date.now();
  try {
    if (PROFILE) await profile(server);
    else await measure(server);
  } finally {
    server.stop();
  }
  process.stderr.write(`done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

function configFor(scenario: Scenario, client: ClientName, port: number): HarnessConfig {
  return {
    client,
    port,
    api: scenario.api,
    kind: scenario.kind,
    deltas: scenario.deltas,
    paceMs: scenario.paceMs,
    coalesce: scenario.coalesce,
    streams: scenario.streams,
    concurrency: scenario.concurrency,
    warmupStreams: 16,
  };
}

async function measure(server: Server): Promise<void> {
  const sections: string[] = [];
  const missed: string[] = [];
  const summary: { scenario: Scenario; rows: Row[] }[] = [];
  const json: Record<string, unknown> = {};
  let fdLimit = '?';
  for (const scenario of scenarios()) {
    const clients = scenario.clients.filter((c) => ONLY_CLIENTS === undefined || ONLY_CLIENTS.includes(c));
    const runs = new Map<ClientName, RunResult[]>(clients.map((c) => [c, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Interleave: every round runs each client once, in a rotated order.
      const order = clients.map((_, i) => clients[(i + round) % clients.length] as ClientName);
      for (const client of order) {
        await settle(server);
        const t0 = Date.now();
        const before = (await server.stats()).connections;
        const result: RunResult = { ...(await runClient(configFor(scenario, client, server.port), scenario.timeoutMs)) };
        result.connections = (await server.stats()).connections - before;
        if (result.fdLimit !== undefined) fdLimit = result.fdLimit;
        runs.get(client)?.push(result);
        const cpu = ((result.cpuUserUs ?? NaN) + (result.cpuSystemUs ?? NaN)) / (result.expectedEvents ?? NaN);
        process.stderr.write(
          `${scenario.id} round ${round + 1}/${ROUNDS} ${client.padEnd(10)} ${result.ok ? `ok  ${fmt(cpu, 2)} µs/event  ${fmtInt(((result.expectedEvents ?? 0) * 1000) / (result.wallMs ?? NaN))} ev/s  peak ${fmt((result.peakRssBytes ?? NaN) / 1048576)} MB  ${result.connections} connections` : `FAILED: ${(result.failure ?? '').slice(0, 300)}`}  (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`,
        );
      }
    }
    const rows = withRatios(clients.map((c) => rowFor(scenario, c, runs.get(c) ?? [])));
    const section = table(scenario, rows);
    process.stdout.write(`\n${section}\n`);
    sections.push(section);
    summary.push({ scenario, rows });
    for (const r of rows) {
      const m = misses(scenario, r);
      if (m !== undefined && m.length > 0) missed.push(`- ${scenario.id} / ${r.client}: ${m.join(', ')}`);
    }
    json[scenario.id] = { scenario, rows, runs: Object.fromEntries(runs) };
  }
  const env = environment(fdLimit);
  const meta = { date: new Date().toISOString(), node: process.version, quick: QUICK, rounds: ROUNDS, scale: SCALE, environment: env };
  writeFileSync(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify({ meta, scenarios: json }, null, 2)}\n`);
  const overview = summaryTable(summary);
  writeFileSync(join(RESULTS_DIR, 'summary.md'), `${overview}\n`);
  const markdown = [
    '# llmux benchmark results',
    '',
    `Produced by \`make bench\`${QUICK ? ' with BENCH_QUICK=1 (smoke sizes: not representative)' : ''}${SCALE < 1 ? ` with BENCH_SCALE=${SCALE} (the unpaced scenarios ran ${SCALE}× their streams, same in-flight counts)` : ''}; see bench/README.md for the method.`,
    '',
    env,
    '',
    '### Summary: CPU per event ×floor (RSS per stream ×floor where ≥ 200 streams are in flight)',
    '',
    overview,
    '',
    ...sections.flatMap((s) => [s, '']),
    '### Rows that miss their target',
    '',
    `Targets (issue 15), llmux rows only: CPU per event ≤ ${CPU_TARGET}× the floor; RSS per stream ≤ ${RSS_TARGET}× the floor where at least 200 streams are in flight (below that the RSS difference is noise).`,
    '',
    ...(missed.length > 0 ? missed : ['- none']),
    '',
  ].join('\n');
  process.stdout.write(`\nRows that miss their target:\n${missed.length > 0 ? missed.join('\n') : '- none'}\n`);
  // Only a full default run may replace the committed results; any knob makes it partial.
  const knobs = ['BENCH_QUICK', 'BENCH_SCENARIOS', 'BENCH_CLIENTS', 'BENCH_ROUNDS', 'BENCH_LLMUX_ENTRY', 'BENCH_CORRUPT_STREAM', 'BENCH_SCALE'];
  const partial = knobs.some((name) => process.env[name] !== undefined && process.env[name] !== '');
  const target = partial ? join(RESULTS_DIR, 'RESULTS.partial.md') : join(BENCH_DIR, 'RESULTS.md');
  writeFileSync(target, markdown);
  process.stderr.write(`wrote ${join(RESULTS_DIR, 'latest.json')} and ${target}\n`);
}

async function profile(server: Server): Promise<void> {
  const clients = (ONLY_CLIENTS ?? ['llmux-run']) as ClientName[];
  const out: string[] = [];
  for (const scenario of scenarios()) {
    for (const client of clients) {
      await settle(server);
      const name = `${scenario.id}-${client}-${Date.now()}.cpuprofile`;
      const result = await runClient(configFor(scenario, client, server.port), scenario.timeoutMs, name);
      const file = join(RESULTS_DIR, name);
      if (!result.ok || !existsSync(file)) {
        process.stderr.write(`${scenario.id} ${client}: no profile (${result.failure ?? 'profile missing'})\n`);
        continue;
      }
      const text = formatSummary(`${scenario.id} / ${client}`, analyze(file, 15));
      process.stdout.write(`\n${text}\n\nprofile: ${file} (${(statSync(file).size / 1048576).toFixed(1)} MB)\n`);
      out.push(text);
    }
  }
  writeFileSync(join(RESULTS_DIR, 'profile.md'), `${out.join('\n\n')}\n`);
  const kept = readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.cpuprofile')).length;
  process.stderr.write(`wrote ${join(RESULTS_DIR, 'profile.md')}; ${kept} .cpuprofile file(s) in ${RESULTS_DIR}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
