// llmux's OpenAI provider, imported from the repo's compiled output (../dist/src/index.js,
// built by `npx tsc -p tsconfig.json` at the root). The ways to pump it:
//   run:          provider.run() pumps until every stream completed;
//   host:         the host loop calls perform() / infoRead() / wait(-1) itself;
//   host-timeout: the same loop sleeping wait(provider.timeout()) (the README's loop);
//   auto:         multi.autoPump() and one promise per request (promise-based apps);
//   complete:     await provider.complete() per request (non-streaming answers).
// New streams are started from completion callbacks so `concurrency` stay on the wire,
// the same shape as the other clients' worker pools.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MODEL } from '../wire.js';
import { ANTHROPIC_MODEL, GEMINI_MODEL } from '../wire-providers.js';
import { pool, PROMPT, streamHeaders, TOOL_NAMES, TOOL_PARAMETERS, type BenchClient, type RunContext } from './types.js';

// The slice of llmux's public surface the bench uses, declared here so the bench compiles
// on its own (bench/ is a separate package and does not depend on llmux).
export interface ResultLike<T, E> {
  isOk(): boolean;
  isErr(): boolean;
  readonly value: T;
  readonly error: E;
}
export interface ProviderErrorLike {
  readonly category: string;
  readonly message: string;
}
export type StreamEventLike =
  | { type: 'start' }
  | { type: 'text_delta'; index: number; text: string }
  | { type: 'thinking_delta' }
  | { type: 'tool_call_start'; index: number; id: string; name: string }
  | { type: 'tool_call_delta'; index: number; arguments: string }
  | { type: 'tool_call_done'; index: number; id: string; name: string; arguments: string }
  | { type: 'done' }
  | { type: 'error'; category: string; message: string };
export interface ProviderLike {
  stream?(request: unknown): AsyncIterable<StreamEventLike> & { readonly result: Promise<ResultLike<unknown, ProviderErrorLike>> };
  complete?(request: unknown): Promise<ResultLike<unknown, ProviderErrorLike>>;
  startRequest(request: unknown, onComplete: (result: ResultLike<unknown, ProviderErrorLike>) => void): ResultLike<{ id: number }, ProviderErrorLike>;
  autoPump(): () => void;
  startStream(
    request: unknown,
    onEvent: (event: StreamEventLike) => void,
    onComplete: (result: ResultLike<unknown, ProviderErrorLike>) => void,
  ): ResultLike<{ id: number }, ProviderErrorLike>;
  perform(): number;
  infoRead(): number;
  wait(ms: number): Promise<void>;
  timeout(): number;
  run(): Promise<void>;
  cleanup(): Promise<void>;
}
interface LlmuxModule {
  createProvider?: (name: string, options: Record<string, unknown>) => ResultLike<ProviderLike, ProviderErrorLike>;
  createAnthropic?: (options: Record<string, unknown>) => ProviderLike;
  createGemini?: (options: Record<string, unknown>) => ProviderLike;
}

/** bench/dist/clients/llmux.js -> <repo>/dist/src/index.js; BENCH_LLMUX_ENTRY overrides (another build). */
export const LLMUX_ENTRY = process.env.BENCH_LLMUX_ENTRY ?? fileURLToPath(new URL('../../../dist/src/index.js', import.meta.url));

export async function load(): Promise<LlmuxModule & Pick<Required<LlmuxModule>, 'createProvider'>> {
  if (!existsSync(LLMUX_ENTRY)) {
    throw new Error(`llmux is not built: ${LLMUX_ENTRY} is missing; run \`npx tsc -p tsconfig.json\` at the repo root`);
  }
  const mod = (await import(pathToFileURL(LLMUX_ENTRY).href)) as LlmuxModule;
  if (typeof mod.createProvider !== 'function') {
    throw new Error(`llmux's createProvider is not exported by ${LLMUX_ENTRY} yet (src/providers/factory.ts); llmux rows skipped`);
  }
  return { ...mod, createProvider: mod.createProvider };
}

interface Tool {
  name: string;
  arguments: string;
  done?: string;
}

export const TOOLS = TOOL_NAMES.map((name) => ({ name, description: `bench tool ${name}`, parameters: TOOL_PARAMETERS }));

type Outcome = (result: ResultLike<unknown, ProviderErrorLike>) => void;

/** What one request (stream or whole) collects, and how it reports to the harness. */
function collector(ctx: RunContext, stream: number): { onEvent: (event: StreamEventLike) => void; onComplete: Outcome; failedToStart: (message: string) => void } {
  let text = '';
  const tools: Tool[] = [];
  let deltas = 0;
  let streamError: string | undefined;
  return {
    onEvent(event) {
      switch (event.type) {
        case 'text_delta':
          text += event.text;
          deltas++;
          break;
        case 'tool_call_start':
          tools[event.index] = { name: event.name, arguments: '' };
          break;
        case 'tool_call_delta': {
          const tool = (tools[event.index] ??= { name: '', arguments: '' });
          tool.arguments += event.arguments;
          deltas++;
          break;
        }
        case 'tool_call_done': {
          const tool = (tools[event.index] ??= { name: event.name, arguments: '' });
          tool.done = event.arguments;
          break;
        }
        case 'error':
          streamError = `${event.category}: ${event.message}`;
          break;
        default:
          break;
      }
    },
    onComplete(result) {
      let error = result.isErr() ? `${result.error.category}: ${result.error.message}` : streamError;
      if (ctx.kind === 'whole' && result.isOk()) {
        // A whole answer has no deltas: its text is the response's, one event per request.
        text = (result.value as { text: string }).text;
        deltas = 1;
      }
      for (const [index, tool] of tools.entries()) {
        if (error === undefined && tool !== undefined && tool.done !== tool.arguments) {
          error = `tool_call_done(${index}).arguments differs from the concatenated tool_call_delta arguments`;
        }
      }
      ctx.finished(stream, { text, tools: tools.map((t) => ({ name: t.name, arguments: t.arguments })), deltas, ...(error !== undefined ? { error } : {}) });
    },
    failedToStart(message) {
      ctx.finished(stream, { text, tools: [], deltas, error: message });
    },
  };
}

export function requestFor(ctx: RunContext, stream: number): Record<string, unknown> {
  return {
    model: ctx.api === 'anthropic' ? ANTHROPIC_MODEL : ctx.api === 'gemini' ? GEMINI_MODEL : MODEL,
    messages: [{ role: 'user', content: PROMPT }],
    extraHeaders: streamHeaders(stream),
    ...(ctx.kind === 'tool' ? { tools: TOOLS } : {}),
  };
}

export async function providerFor(ctx: RunContext): Promise<ProviderLike> {
  const llmux = await load();
  const engine = { maxInFlight: ctx.concurrency };
  if (ctx.api === 'anthropic' || ctx.api === 'gemini') {
    const create = ctx.api === 'anthropic' ? llmux.createAnthropic : llmux.createGemini;
    if (create === undefined) throw new Error(`this llmux build has no create${ctx.api === 'anthropic' ? 'Anthropic' : 'Gemini'}()`);
    // Both append their own paths: Anthropic v1/messages, Gemini models/<model>:streamGenerateContent.
    return create({ apiKey: 'bench', baseURL: ctx.api === 'anthropic' ? ctx.serverURL : `${ctx.serverURL}/v1beta`, env: {}, engine });
  }
  const created = llmux.createProvider('openai', { apiKey: 'bench', baseURL: ctx.baseURL, api: ctx.api, engine });
  if (created.isErr()) throw new Error(`createProvider failed: ${created.error.message}`);
  return created.value;
}

/** startStream, or startRequest for a whole answer; `then` runs once it finished (or failed to start). */
function startOne(provider: ProviderLike, ctx: RunContext, stream: number, then: () => void): void {
  const c = collector(ctx, stream);
  const onComplete: Outcome = (result) => {
    c.onComplete(result);
    then();
  };
  ctx.started(stream);
  const request = requestFor(ctx, stream);
  const handle = ctx.kind === 'whole' ? provider.startRequest(request, onComplete) : provider.startStream(request, c.onEvent, onComplete);
  if (handle.isErr()) {
    c.failedToStart(`start: ${handle.error.message}`);
    then();
  }
}

/**
 * run: provider.run(); host: perform/infoRead/wait(-1); host-timeout: the loop of llmux's
 * README, which sleeps wait(provider.timeout()), the curl-multi idiom. The next request
 * starts from each completion callback.
 */
function makeLoopClient(mode: 'run' | 'host' | 'host-timeout'): BenchClient {
  return {
    async run(ctx: RunContext) {
      const provider = await providerFor(ctx);
      let next = 0;
      let completed = 0;
      const then = (): void => {
        completed++;
        if (next < ctx.streams) startOne(provider, ctx, next++, then);
      };
      while (next < Math.min(ctx.concurrency, ctx.streams)) startOne(provider, ctx, next++, then);
      try {
        if (mode === 'run') {
          await provider.run();
        } else {
          while (completed < ctx.streams) {
            provider.perform();
            provider.infoRead();
            if (completed >= ctx.streams) break;
            await provider.wait(mode === 'host-timeout' ? provider.timeout() : -1);
          }
        }
        if (completed < ctx.streams) throw new Error(`the pump returned with ${ctx.streams - completed} streams not completed`);
      } finally {
        await provider.cleanup();
      }
    },
  };
}

/**
 * auto: what a promise-based application writes: one multi.autoPump() for the process and
 * one promise per request, resolved in its completion callback, awaited by a worker pool.
 */
export const autoClient: BenchClient = {
  async run(ctx: RunContext) {
    const provider = await providerFor(ctx);
    const stop = provider.autoPump();
    try {
      await pool(ctx.streams, ctx.concurrency, (stream) => new Promise<void>((resolve) => startOne(provider, ctx, stream, resolve)));
    } finally {
      stop();
      await provider.cleanup();
    }
  },
};

/** complete: `await provider.complete(request)` per request in a worker pool (whole answers only). */
export const completeClient: BenchClient = {
  async run(ctx: RunContext) {
    const provider = await providerFor(ctx);
    const complete = provider.complete?.bind(provider);
    if (complete === undefined) throw new Error('this llmux build has no provider.complete()');
    try {
      await pool(ctx.streams, ctx.concurrency, async (stream) => {
        const c = collector(ctx, stream);
        ctx.started(stream);
        c.onComplete(await complete(requestFor(ctx, stream)));
      });
    } finally {
      await provider.cleanup();
    }
  },
};

export const runClient = makeLoopClient('run');
export const hostClient = makeLoopClient('host');
export const hostTimeoutClient = makeLoopClient('host-timeout');
