import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { createGeminiAdapter } from '../../src/providers/gemini/adapter.js';
import { EngineProvider } from '../../src/providers/provider.js';
import { PathScriptDispatcher } from '../helpers/path-script-dispatcher.js';
import { driveVirtual } from '../helpers/virtual-drive.js';

const reply = JSON.stringify({
  candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP', index: 0 }],
  usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1, totalTokenCount: 4 },
  modelVersion: 'gemini-test',
});
const exhausted = JSON.stringify({
  error: {
    code: 429,
    message: 'Resource has been exhausted (e.g. check quota).',
    status: 'RESOURCE_EXHAUSTED',
    details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }],
  },
});

t.test("Gemini sends no rate headers: a 429's RetryInfo.retryDelay pauses the whole bucket", async (t) => {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const dispatcher = new PathScriptDispatcher();
  const times: number[] = [];
  const original = dispatcher.dispatch.bind(dispatcher);
  dispatcher.dispatch = (options, handler) => {
    times.push(clock.now());
    return original(options, handler);
  };
  dispatcher.scripts.set('/', [{ status: 200, body: reply }, { status: 429, body: exhausted }, ...Array.from({ length: 6 }, () => ({ status: 200, body: reply }))]);
  const provider = new EngineProvider(createGeminiAdapter({ apiKey: 'gemini-test-key', baseURL: 'http://127.0.0.1:9', env: {} }), { engine: { clock, dispatcher, random: () => 0.5 } });
  let done = 0;
  const start = () => provider.startRequest({ model: 'gemini-test', messages: [{ role: 'user', content: 'hi' }] }, (result) => {
    done++;
    t.ok(result.isOk());
  });
  start();
  await driveVirtual(provider.multi, clock, () => done === 1);
  start();
  while (dispatcher.paths.length < 2 || provider.multi.limits()[0]?.pausedForMs === 0) {
    provider.perform();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const pausedAt = clock.now();
  t.equal(provider.multi.limits()[0]?.pausedForMs, 7000);
  for (let i = 0; i < 5; i++) start();
  await driveVirtual(provider.multi, clock, () => done === 7);
  t.ok(times.slice(2).every((at) => at >= pausedAt + 7000), 'nothing went before the retry delay was over');
  t.equal(times.length, 8);
  await provider.cleanup();
});
