import t from 'tap';
import { Dispatcher } from 'undici';
import { VirtualClock } from '../../src/http/clock.js';
import { createAnthropicAdapter } from '../../src/providers/anthropic/adapter.js';
import { EngineProvider } from '../../src/providers/provider.js';
import { cacheablePrefix } from '../../src/providers/rate-ticket.js';
import type { ChatRequest } from '../../src/providers/types.js';
import { driveVirtual } from '../helpers/virtual-drive.js';

/**
 * An Anthropic-like prompt cache: a request that arrives before any write of its prefix has
 * completed writes it (cache_creation_input_tokens); one that arrives after reads it.
 */
class CachingServer extends Dispatcher {
  written = new Set<string>();
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const body = JSON.parse(String(options.body)) as { system?: Array<{ text: string }> };
    const prefix = body.system?.[0]?.text ?? '';
    const hit = this.written.has(prefix);
    const controller = { aborted: false, paused: false, reason: null, abort: () => undefined, pause: () => undefined, resume: () => undefined };
    queueMicrotask(() => {
      handler.onRequestStart?.(controller, {});
      handler.onResponseStart?.(controller, 200, { 'content-type': 'application/json' }, '');
      this.written.add(prefix);
      const usage = { input_tokens: 5, output_tokens: 2, cache_creation_input_tokens: hit ? 0 : 1000, cache_read_input_tokens: hit ? 1000 : 0 };
      handler.onResponseData?.(controller, Buffer.from(JSON.stringify({ id: 'm', type: 'message', role: 'assistant', model: 'claude-test', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', usage })));
      handler.onResponseEnd?.(controller, {});
    });
    return true;
  }
  override close(): Promise<void> {
    return Promise.resolve();
  }
  override destroy(): Promise<void> {
    return Promise.resolve();
  }
}

const SYSTEM = 'You are a careful reviewer. '.repeat(200);

async function parallel(cacheGate: boolean, count: number): Promise<{ writes: number; reads: number }> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const provider = new EngineProvider(createAnthropicAdapter({ apiKey: 'sk-ant-cache', baseURL: 'http://127.0.0.1:9', env: {} }), {
    engine: { clock, dispatcher: new CachingServer(), governor: { cacheGate, slowStart: 100 } },
  });
  let writes = 0;
  let reads = 0;
  let done = 0;
  for (let i = 0; i < count; i++) {
    const request: ChatRequest = { model: 'claude-test', system: SYSTEM, cache: { system: {} }, maxOutputTokens: 100, messages: [{ role: 'user', content: `Review part ${i}` }] };
    provider.startRequest(request, (result) => {
      done++;
      if (result.isOk()) {
        writes += result.value.usage?.cacheWrite ?? 0;
        reads += result.value.usage?.cached ?? 0;
      }
    });
  }
  await driveVirtual(provider.multi, clock, () => done === count);
  await provider.cleanup();
  return { writes, reads };
}

t.test('cache gating: N parallel requests sharing a cached prefix pay one cache write instead of N', async (t) => {
  const off = await parallel(false, 10);
  t.equal(off.writes, 10_000, 'without gating every request writes the prefix');
  const on = await parallel(true, 10);
  t.equal(on.writes, 1000, 'with gating one request writes it');
  t.equal(on.reads, 9000, 'and the other nine read it');
});

t.test('the cacheable prefix covers breakpoints only', async (t) => {
  t.equal(cacheablePrefix({ messages: [{ role: 'user', content: 'hi' }] }), undefined, 'no breakpoint, no gate');
  const a = cacheablePrefix({ system: 'S', cache: { system: {} }, messages: [{ role: 'user', content: 'one' }] });
  const b = cacheablePrefix({ system: 'S', cache: { system: {} }, messages: [{ role: 'user', content: 'two' }] });
  t.equal(a, b, 'requests differing after the breakpoint share the prefix');
  const withPart = cacheablePrefix({
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'long document', cache: {} }] },
      { role: 'user', content: 'question' },
    ],
  });
  t.match(withPart ?? '', /long document/);
  t.notMatch(withPart ?? '', /question/);
});
