import t from 'tap';
import * as llmux from '../src/index.js';

t.test('the public surface exports the engine, providers, errors and VCR', async (t) => {
  const functions = [
    'createProvider', 'createOpenAI', 'createOpenAIAdapter', 'createAnthropic', 'createAnthropicAdapter', 'parseToolArguments', 'providerError',
    'categoryForStatus', 'classifyNetworkCode', 'isRetryableStatus', 'hintFor', 'parseRetryAfter',
    'HttpMulti', 'EngineProvider', 'RealClock', 'VirtualClock', 'SseDecoder',
    'RecordingDispatcher', 'ReplayDispatcher', 'withCassette', 'openCassette', 'parseCassette', 'parseFault',
  ] as const;
  for (const name of functions) t.equal(typeof llmux[name], 'function', name);
  t.equal(llmux.DEFAULT_OPENAI_MODEL, 'gpt-4o-mini');
  t.ok(llmux.RECOMMENDED_MODELS.length > 3);
  t.same(llmux.PROVIDER_NAMES, ['openai', 'anthropic', 'gemini']);
  t.equal(llmux.DEFAULT_ANTHROPIC_MODEL, 'claude-sonnet-4-5');
  t.ok(llmux.ANTHROPIC_MODELS.length > 3);
  t.same(llmux.NO_USAGE, { input: null, output: null, thinking: null, cached: null, cacheWrite: null, total: null });
  t.equal(llmux.DEFAULT_TIMEOUTS.connectMs, 10_000);
  t.equal(llmux.DEFAULT_RETRY_POLICY.maxRetryAfterMs, 60_000);
  t.equal(llmux.DEFAULT_SSE_LIMITS.maxLineLength, 4 * 1024 * 1024);
});

t.test('createOpenAI builds a provider whose missing key is an immediate, actionable error', async (t) => {
  const provider = llmux.createOpenAI({ env: {} });
  const started = provider.startStream({ messages: [{ role: 'user', content: 'hi' }] }, () => undefined, () => undefined);
  t.ok(started.isErr());
  t.match(started.isErr() ? started.error.message : '', /OPENAI_API_KEY/);
  t.equal(started.isErr() ? started.error.category : '', 'auth');
  await provider.cleanup();
});
