import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import type { GovernorOptions } from '../../src/http/governor/types.js';
import { createAnthropicAdapter } from '../../src/providers/anthropic/adapter.js';
import { createOpenAIAdapter } from '../../src/providers/openai/adapter.js';
import { EngineProvider } from '../../src/providers/provider.js';
import { RateLimitedDispatcher, type HeaderStyle, type RateLimits } from '../helpers/rate-limited-dispatcher.js';
import { driveVirtual } from '../helpers/virtual-drive.js';

const START = Date.UTC(2026, 0, 1);

interface Run {
  readonly ok: number;
  readonly failed: number;
  readonly rateLimited: number;
  readonly answers: number;
  readonly tooMany: number;
  readonly elapsedMs: number;
}

async function burst(count: number, limits: RateLimits, style: Exclude<HeaderStyle, 'none'>, governor: GovernorOptions | false, maxOutputTokens?: number): Promise<Run> {
  const clock = new VirtualClock(START);
  const dispatcher = new RateLimitedDispatcher(clock, limits, style);
  const engine = { clock, dispatcher, governor, maxInFlight: 10_000, random: () => 0.5 };
  const adapter =
    style === 'openai'
      ? createOpenAIAdapter({ apiKey: 'sk-test-governor', baseURL: 'http://127.0.0.1:9/v1', env: {} })
      : createAnthropicAdapter({ apiKey: 'sk-ant-test-governor', baseURL: 'http://127.0.0.1:9', env: {} });
  const provider = new EngineProvider(adapter, { engine });
  let ok = 0;
  let failed = 0;
  let rateLimited = 0;
  for (let i = 0; i < count; i++) {
    const started = provider.startRequest(
      { model: style === 'openai' ? 'gpt-test' : 'claude-test', messages: [{ role: 'user', content: `question ${i % 10}` }], ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }) },
      (result) => {
        if (result.isOk()) ok++;
        else {
          failed++;
          if (result.error.category === 'rate_limit') rateLimited++;
        }
      },
    );
    if (started.isErr()) throw new Error(started.error.message);
  }
  await driveVirtual(provider.multi, clock, () => ok + failed === count);
  await provider.cleanup();
  const lastOk = dispatcher.okTimes.at(-1) ?? START;
  return { ok, failed, rateLimited, answers: dispatcher.answers, tooMany: dispatcher.tooMany, elapsedMs: lastOk - START };
}

t.test('300 requests against 60 per 4 s, OpenAI-style headers: every one succeeds, almost no 429, near the limit time', async (t) => {
  const limits = { windowMs: 4000, requests: 60 };
  const on = await burst(300, limits, 'openai', {});
  t.equal(on.ok, 300, 'every request succeeds');
  t.ok(on.tooMany / on.answers < 0.01, `429 share ${on.tooMany}/${on.answers} under 1%`);
  // Five windows: the last batch may go when the fifth opens, 16 s after the first.
  t.ok(on.elapsedMs <= 1.25 * 16_000, `took ${on.elapsedMs} ms of virtual time`);

  const off = await burst(300, limits, 'openai', false);
  t.equal(off.tooMany, 540, 'without the governor: the storm measured in the issue (540 of 720 answers were 429)');
  t.equal(off.answers, 720);
  t.equal(off.rateLimited, 120, '120 requests fail with rate_limit after their retries');
});

for (const style of ['openai', 'anthropic'] as const) {
  t.test(`5,000 requests against 1,200 rpm and 200,000 tpm (${style}-style headers)`, async (t) => {
    const limits = { windowMs: 60_000, requests: 1200, tokens: 200_000 };
    // About 30 input tokens + 150 output: the token limit binds before the request limit.
    const on = await burst(5000, limits, style, {}, 150);
    t.equal(on.ok, 5000, 'every request succeeds');
    t.ok(on.tooMany / on.answers < 0.01, `429 share ${on.tooMany}/${on.answers} under 1%`);
    const perWindow = Math.min(1200, Math.floor(200_000 / (style === 'openai' ? 180 : 150)));
    const allowedMs = Math.ceil(5000 / perWindow - 1) * 60_000;
    t.ok(on.elapsedMs <= 1.1 * allowedMs, `took ${on.elapsedMs} ms, the limits allow ${allowedMs} ms`);

    const off = await burst(5000, limits, style, false, 150);
    t.ok(off.tooMany / off.answers > 0.5, `without the governor the storm: ${off.tooMany}/${off.answers} answers were 429`);
    t.ok(off.failed > 0, `${off.failed} requests failed`);
  });
}
