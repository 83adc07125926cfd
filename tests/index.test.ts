import t from 'tap';
import * as llmux from '../src/index.js';
import * as vcr from '../src/vcr.js';

t.test('the main entry exports the engine, providers, errors and types; llmux/vcr the cassettes and test helpers', async (t) => {
  const functions = [
    'createProvider', 'createOpenAI', 'createOpenAIAdapter', 'createAnthropic', 'createAnthropicAdapter', 'parseToolArguments', 'providerError',
    'categoryForStatus', 'classifyNetworkCode', 'isRetryableStatus', 'hintFor', 'parseRetryAfter',
    'HttpMulti', 'EngineProvider', 'RealClock', 'VirtualClock', 'SseDecoder', 'parseStructuredOutput', 'ok', 'err',
  ] as const;
  for (const name of functions) t.equal(typeof llmux[name], 'function', name);
  t.equal(typeof llmux.Result.combine, 'function', 'Result is neverthrow\'s, namespace included');
  const vcrFunctions = ['RecordingDispatcher', 'ReplayDispatcher', 'withCassette', 'expectOk', 'openCassette', 'parseCassette', 'parseFault', 'mulberry32', 'rechunkEveryByte'] as const;
  for (const name of vcrFunctions) t.equal(typeof vcr[name], 'function', `llmux/vcr: ${name}`);
  for (const name of ['withCassette', 'mulberry32', 'rechunkEveryByte', 'ReplayDispatcher']) t.notOk(name in llmux, `${name} is not in the main entry`);
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
