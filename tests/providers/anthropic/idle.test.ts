// Pings and the idle timeout. The engine re-arms its idle deadline on every body chunk, and
// llmux keeps it that way for Anthropic: a `ping` is the server saying the connection and
// the request are alive (it sends them while the model thinks), and the idle timeout is
// there to catch dead connections, not slow models. A model that pings forever is bounded
// by `totalMs`. These tests prove that documented behaviour on a virtual clock.
import t from 'tap';
import { parseCassette } from '../../../src/vcr/cassette.js';
import { errOf, okOf } from '../openai/helpers.js';
import { CASSETTE_API_KEY, CASSETTE_CASES } from './cassette-cases.js';
import { createAnthropicAdapter } from '../../../src/providers/anthropic/adapter.js';
import { redactHeaders } from '../../../src/vcr/redact.js';
import { replayCassette } from './replay.js';

const request = CASSETTE_CASES.find((c) => c.name === 'text')?.request ?? { messages: [] };
const prepared = okOf(createAnthropicAdapter({ apiKey: CASSETTE_API_KEY }).prepare(request, 'stream'));

const ev = (type: string, fields: Record<string, unknown> = {}): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;
const START = ev('message_start', { message: { id: 'msg_idle', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], usage: { input_tokens: 5, output_tokens: 1 } } });
const ANSWER = [
  ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Thought it through.' } }),
  ev('content_block_stop', { index: 0 }),
  ev('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 4 } }),
  ev('message_stop'),
].join('');

/** One exchange: chunks at the given times (ms since the request), then the given end. */
function cassette(chunks: readonly [number, string][], end: string) {
  const lines = [
    JSON.stringify({ _request: { method: 'POST', url: prepared.http.url, headers: redactHeaders(prepared.http.headers), body: JSON.parse(prepared.http.body ?? '{}') } }),
    JSON.stringify({ _response: { status: 200, headers: { 'content-type': 'text/event-stream' } }, t: 50 }),
    ...chunks.map(([at, chunk]) => JSON.stringify({ _chunk: chunk, t: at })),
    end,
  ];
  const parsed = parseCassette(lines.join('\n'), 'idle');
  if (parsed.isErr()) throw new Error(parsed.error.message);
  return parsed.value;
}

const IDLE_MS = 5000;
const pings = (from: number, count: number, every: number): [number, string][] =>
  Array.from({ length: count }, (_, i) => [from + (i + 1) * every, ev('ping')] as [number, string]);

t.test('pings inside the idle window keep a thinking stream alive past idleMs', async (t) => {
  const chunks: [number, string][] = [[100, START], ...pings(100, 6, 4000), [24_200, ANSWER]];
  const run = await replayCassette(cassette(chunks, JSON.stringify({ _end: 'ok', t: 24_300 })), 'text', {
    speed: 'recorded',
    timeouts: { idleMs: IDLE_MS },
    maxRetries: 0,
  });
  t.equal(okOf(run.result).text, 'Thought it through.');
  t.ok(run.elapsedMs >= 24_200, `the stream lasted ${run.elapsedMs} ms, far past idleMs`);
});

t.test('when the pings stop, the idle timeout fires one idleMs after the last one', async (t) => {
  const chunks: [number, string][] = [[100, START], ...pings(100, 2, 4000)];
  const run = await replayCassette(cassette(chunks, JSON.stringify({ _end: 'none' })), 'text', {
    speed: 'recorded',
    timeouts: { idleMs: IDLE_MS },
    maxRetries: 0,
  });
  const error = errOf(run.result);
  t.equal(error.category, 'timeout');
  t.equal(error.phase, 'idle');
  t.equal(run.elapsedMs, 8100 + IDLE_MS);
});
