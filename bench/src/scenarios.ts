// The bench's scenarios: what each one streams, how many at once, and which clients run it.
import type { ClientName } from './protocol.js';
import type { Api, Kind } from './wire.js';

export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly api: Api;
  readonly kind: Kind;
  readonly deltas: number;
  readonly paceMs: number;
  readonly coalesce: number;
  readonly streams: number;
  readonly concurrency: number;
  readonly clients: readonly ClientName[];
  readonly timeoutMs: number;
}

/** Every way to pump llmux that streams (complete() has no stream, so it is in WHOLE only). */
const LLMUX_STREAMING: readonly ClientName[] = ['llmux-run', 'llmux-host', 'llmux-host-timeout', 'llmux-auto', 'llmux-stream'];
const ALL: readonly ClientName[] = ['floor', ...LLMUX_STREAMING, 'openai', 'ai-sdk'];
const WHOLE: readonly ClientName[] = ['floor', 'llmux-run', 'llmux-host', 'llmux-host-timeout', 'llmux-auto', 'llmux-complete', 'openai', 'ai-sdk'];
const LLMUX_ONLY: readonly ClientName[] = ['floor', ...LLMUX_STREAMING];
/** The other wire formats: their own floor (harness.ts picks it by api), every llmux mode, the official SDK. */
const ANTHROPIC: readonly ClientName[] = ['floor', ...LLMUX_STREAMING, 'anthropic-sdk'];
const GEMINI: readonly ClientName[] = ['floor', ...LLMUX_STREAMING, 'genai'];
export const API_NAMES: Readonly<Record<Api, string>> = { chat: 'Chat Completions', responses: 'Responses API', anthropic: 'Anthropic Messages', gemini: 'Gemini streamGenerateContent (SSE)' };


/** The scenario list: smoke sizes when quick; scale shrinks the unpaced ones' stream counts (same in-flight counts). */
export function scenarios(quick: boolean, scale: number, only: readonly string[] | undefined): Scenario[] {
  const q = quick;
  const list: Scenario[] = [
    {
      id: 'throughput',
      title: 'Throughput: Chat Completions text',
      api: 'chat',
      kind: 'text',
      deltas: q ? 50 : 200,
      paceMs: 0,
      coalesce: 1,
      streams: q ? 300 : 2000,
      concurrency: q ? 50 : 200,
      clients: ALL,
      timeoutMs: 240_000,
    },
    {
      id: 'slow',
      title: 'Many slow concurrent streams (all at once, paced deltas)',
      api: 'chat',
      kind: 'text',
      deltas: q ? 10 : 20,
      paceMs: q ? 50 : 100,
      coalesce: 1,
      streams: q ? 500 : 5000,
      concurrency: q ? 500 : 5000,
      clients: ALL,
      timeoutMs: 240_000,
    },
    {
      id: 'tool',
      title: 'Tool-call argument streams (Chat Completions, two parallel calls)',
      api: 'chat',
      kind: 'tool',
      deltas: q ? 40 : 100,
      paceMs: 0,
      coalesce: 1,
      streams: q ? 300 : 1000,
      concurrency: q ? 50 : 200,
      clients: ALL,
      timeoutMs: 240_000,
    },
    {
      id: 'responses-tool',
      title: 'Tool-call argument streams (Responses API, two calls)',
      api: 'responses',
      kind: 'tool',
      deltas: q ? 40 : 100,
      paceMs: 0,
      coalesce: 1,
      streams: q ? 300 : 1000,
      concurrency: q ? 50 : 200,
      clients: ALL,
      timeoutMs: 240_000,
    },
    {
      id: 'responses',
      title: 'Responses API text streams',
      api: 'responses',
      kind: 'text',
      deltas: q ? 50 : 200,
      paceMs: 0,
      coalesce: 1,
      streams: q ? 300 : 1000,
      concurrency: q ? 50 : 200,
      clients: ALL,
      timeoutMs: 240_000,
    },
    {
      id: 'anthropic',
      title: 'Anthropic Messages text streams',
      api: 'anthropic',
      kind: 'text',
      deltas: q ? 50 : 200,
      paceMs: 0,
      coalesce: 1,
      streams: q ? 300 : 1000,
      concurrency: q ? 50 : 200,
      clients: ANTHROPIC,
      timeoutMs: 240_000,
    },
    {
      id: 'anthropic-tool',
      title: 'Tool-call argument streams (Anthropic Messages, two tool_use blocks)',
      api: 'anthropic',
      kind: 'tool',
      deltas: q ? 40 : 100,
      paceMs: 0,
      coalesce: 1,
      streams: q ? 300 : 1000,
      concurrency: q ? 50 : 200,
      clients: ANTHROPIC,
      timeoutMs: 240_000,
    },
    {
      id: 'gemini',
      title: 'Gemini text streams (streamGenerateContent?alt=sse)',
      api: 'gemini',
      kind: 'text',
      deltas: q ? 50 : 200,
      paceMs: 0,
      coalesce: 1,
      streams: q ? 300 : 1000,
      concurrency: q ? 50 : 200,
      clients: GEMINI,
      timeoutMs: 240_000,
    },
    {
      id: 'gemini-tool',
      title: 'Gemini function calls (whole arguments, one call per chunk)',
      api: 'gemini',
      kind: 'tool',
      deltas: q ? 10 : 20,
      paceMs: 0,
      coalesce: 1,
      streams: q ? 300 : 1000,
      concurrency: q ? 50 : 200,
      clients: GEMINI,
      timeoutMs: 240_000,
    },
    {
      id: 'short',
      title: 'Short streams: one delta each, keep-alive',
      api: 'chat',
      kind: 'text',
      deltas: 1,
      paceMs: 0,
      coalesce: 1,
      streams: q ? 500 : 3000,
      concurrency: 50,
      clients: ALL,
      timeoutMs: 240_000,
    },
    {
      id: 'whole',
      title: 'Non-streaming requests (one JSON answer each), keep-alive',
      api: 'chat',
      kind: 'whole',
      deltas: 20,
      paceMs: 0,
      coalesce: 1,
      streams: q ? 500 : 3000,
      concurrency: 50,
      clients: WHOLE,
      timeoutMs: 240_000,
    },
    {
      id: 'c10k',
      title: '10,000 concurrent streams in one process (llmux; floor for reference)',
      api: 'chat',
      kind: 'text',
      deltas: q ? 10 : 20,
      paceMs: q ? 50 : 100,
      coalesce: 1,
      streams: q ? 1000 : 10_000,
      concurrency: q ? 1000 : 10_000,
      clients: LLMUX_ONLY,
      timeoutMs: 300_000,
    },
  ];
  return list
    .map((s) => (s.paceMs > 0 || scale === 1 ? s : { ...s, streams: Math.max(s.concurrency, Math.round(s.streams * scale)) }))
    .filter((s) => only === undefined || only.includes(s.id));
}
