// One client run in its own process, so process.cpuUsage() and maxRSS are the client's own.
// argv[2] is a JSON HarnessConfig; the result is printed as one "@@RESULT {...}" line.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchClient, RunContext, StreamOutput } from './clients/types.js';
import { eventsPerStream, type ClientName, type HarnessConfig, type HarnessResult } from './protocol.js';
import { expectedFor, pathPrefix, type Api, type Expected } from './wire.js';

async function loadClient(name: ClientName, api: Api): Promise<BenchClient> {
  switch (name) {
    case 'floor':
      // One floor per wire format, so every scenario's ratios are to its own format's minimum.
      if (api === 'anthropic') return (await import('./clients/floor-providers.js')).anthropicFloor;
      if (api === 'gemini') return (await import('./clients/floor-providers.js')).geminiFloor;
      return (await import('./clients/floor.js')).client;
    case 'llmux-run':
      return (await import('./clients/llmux.js')).runClient;
    case 'llmux-host':
      return (await import('./clients/llmux.js')).hostClient;
    case 'llmux-host-timeout':
      return (await import('./clients/llmux.js')).hostTimeoutClient;
    case 'llmux-auto':
      return (await import('./clients/llmux.js')).autoClient;
    case 'llmux-complete':
      return (await import('./clients/llmux.js')).completeClient;
    case 'llmux-stream':
      return (await import('./clients/llmux-stream.js')).streamClient;
    case 'openai':
      return (await import('./clients/openai-sdk.js')).client;
    case 'ai-sdk':
      return (await import('./clients/ai-sdk.js')).client;
    case 'anthropic-sdk':
      return (await import('./clients/anthropic-sdk.js')).client;
    case 'genai':
      return (await import('./clients/genai-sdk.js')).client;
  }
}

function describeMismatch(stream: number, expected: Expected, output: StreamOutput): string | undefined {
  if (output.error !== undefined) return `stream ${stream}: ${output.error}`;
  if (output.text !== expected.text) {
    let at = 0;
    while (at < expected.text.length && output.text[at] === expected.text[at]) at++;
    return `stream ${stream}: text differs at char ${at} (got ${output.text.length} chars, want ${expected.text.length}): got ${JSON.stringify(output.text.slice(at, at + 24))}, want ${JSON.stringify(expected.text.slice(at, at + 24))}`;
  }
  if (output.tools.length !== expected.tools.length) {
    return `stream ${stream}: ${output.tools.length} tool calls, want ${expected.tools.length}`;
  }
  for (let k = 0; k < expected.tools.length; k++) {
    const got = output.tools[k];
    const want = expected.tools[k];
    if (got === undefined || want === undefined) return `stream ${stream}: tool call ${k} missing`;
    if (got.name !== want.name) return `stream ${stream}: tool call ${k} name ${JSON.stringify(got.name)}, want ${JSON.stringify(want.name)}`;
    if (got.arguments !== want.arguments) {
      return `stream ${stream}: tool call ${k} arguments differ: got ${JSON.stringify(got.arguments.slice(0, 60))}..., want ${JSON.stringify(want.arguments.slice(0, 60))}...`;
    }
  }
  return undefined;
}

interface Tally {
  verified: number;
  mismatched: number;
  errored: number;
  seen: number;
  failures: string[];
  durations: Float64Array;
}

async function runOnce(client: BenchClient, config: HarnessConfig, streams: number, concurrency: number, expected: Expected[]): Promise<Tally> {
  const startedAt = new Float64Array(streams);
  const done = new Uint8Array(streams);
  const tally: Tally = { verified: 0, mismatched: 0, errored: 0, seen: 0, failures: [], durations: new Float64Array(streams) };
  const ctx: RunContext = {
    baseURL: `http://127.0.0.1:${config.port}${pathPrefix(config)}/v1`,
    serverURL: `http://127.0.0.1:${config.port}${pathPrefix(config)}`,
    api: config.api,
    kind: config.kind,
    streams,
    concurrency,
    started(stream) {
      startedAt[stream] = performance.now();
    },
    finished(stream, output) {
      tally.durations[stream] = performance.now() - (startedAt[stream] as number);
      tally.seen += output.deltas;
      if (done[stream] === 1) {
        tally.mismatched++;
        if (tally.failures.length < 5) tally.failures.push(`stream ${stream}: finished twice`);
        return;
      }
      done[stream] = 1;
      const problem = describeMismatch(stream, expected[stream] as Expected, output);
      if (problem === undefined) tally.verified++;
      else {
        if (output.error !== undefined) tally.errored++;
        else tally.mismatched++;
        if (tally.failures.length < 5) tally.failures.push(problem);
      }
    },
  };
  await client.run(ctx);
  const missing = done.reduce((n, d) => n + (d === 1 ? 0 : 1), 0);
  if (missing > 0) {
    tally.mismatched += missing;
    tally.failures.push(`${missing} streams never finished`);
  }
  return tally;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as HarnessConfig;
  const fdLimit = process.env.BENCH_FD_LIMIT ?? 'unknown';
  const base = {
    client: config.client,
    streams: config.streams,
    expectedEvents: config.streams * eventsPerStream(config),
    fdLimit,
  };
  let client: BenchClient;
  try {
    client = await loadClient(config.client, config.api);
    // Warm-up: lazy module loading, first connections, first JIT tiers. Verified too.
    if (config.warmupStreams > 0) {
      const warm = Array.from({ length: config.warmupStreams }, (_, i) => expectedFor(config, i));
      const tally = await runOnce(client, config, config.warmupStreams, Math.min(config.concurrency, 8), warm);
      if (tally.verified !== config.warmupStreams) throw new Error(`warm-up failed: ${tally.failures.join('; ')}`);
    }
  } catch (error) {
    report({ ...base, ok: false, failure: error instanceof Error ? error.message : String(error) });
    return;
  }
  // Expected outputs are computed before the baseline, so they are in it, not in the run.
  const expected = Array.from({ length: config.streams }, (_, i) => expectedFor(config, i));
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await sleep(50);
  gc?.();
  const baselineRssBytes = process.memoryUsage.rss();
  // How late the client's own event loop ran its callbacks during the run (what an embedding host feels).
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let tally: Tally;
  try {
    tally = await runOnce(client, config, config.streams, config.concurrency, expected);
  } catch (error) {
    report({ ...base, ok: false, failure: error instanceof Error ? error.message : String(error) });
    return;
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  loopDelay.disable();
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const sorted = tally.durations.slice().sort();
  const ok = tally.verified === config.streams && tally.mismatched === 0 && tally.errored === 0;
  report({
    ...base,
    ok,
    ...(ok ? {} : { failure: `${config.streams - tally.verified} of ${config.streams} streams wrong: ${tally.failures.join('; ')}` }),
    verified: tally.verified,
    mismatched: tally.mismatched,
    errored: tally.errored,
    seenEvents: tally.seen,
    wallMs,
    cpuUserUs: cpu.user,
    cpuSystemUs: cpu.system,
    baselineRssBytes,
    peakRssBytes,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    maxMs: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : NaN,
  });
}

function report(result: Partial<HarnessResult> & { client: ClientName; ok: boolean }): void {
  process.stdout.write(`@@RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`harness crashed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(2);
});
