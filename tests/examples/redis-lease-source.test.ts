// Two engines (standing in for two processes) share one account's limits through a real
// redis-server that this test starts on a free port and stops. Skipped, with the reason, when
// no redis-server binary is installed (.ci/run installs Debian's).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import t from 'tap';
import { Redis } from 'ioredis';
import { RedisLeaseSource } from '../../examples/redis-lease-source.js';
import { VirtualClock } from '../../src/http/clock.js';
import { createOpenAIAdapter } from '../../src/providers/openai/adapter.js';
import { EngineProvider } from '../../src/providers/provider.js';
import { RateLimitedDispatcher } from '../helpers/rate-limited-dispatcher.js';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function startRedis(): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (data: Buffer) => {
      seen += data.toString();
      if (seen.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${String(code)}`)));
  });
  return { port, child };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

t.test('two processes share 60 requests per 4 s through Redis: every request succeeds, no window is overrun', { skip: hasRedis ? false : 'no redis-server binary installed (apt-get install redis-server)' }, async (t) => {
  const { port, child } = await startRedis();
  const clients: Redis[] = [];
  try {
    const start = Date.UTC(2026, 0, 1);
    const clock = new VirtualClock(start);
    // One provider account: both engines send to the same rate-limited server.
    const account = new RateLimitedDispatcher(clock, { windowMs: 4000, requests: 60 }, 'openai');
    const engines = [0, 1].map(() => {
      const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: false });
      clients.push(redis);
      const source = new RedisLeaseSource(redis, { now: () => clock.now(), windowMs: 4000, chunkFraction: 1 / 6 });
      const provider = new EngineProvider(createOpenAIAdapter({ apiKey: 'sk-shared-account', baseURL: 'http://127.0.0.1:9/v1', env: {} }), {
        engine: { clock, dispatcher: account, random: () => 0.5, governor: { leaseSource: source } },
      });
      return { source, provider };
    });
    let ok = 0;
    let failed = 0;
    for (const { provider } of engines) {
      for (let i = 0; i < 150; i++) provider.startRequest({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }, (result) => (result.isOk() ? ok++ : failed++));
    }
    // The host loop of each process: pump, refill leases between pumps, sleep to the next deadline.
    for (let round = 0; ok + failed < 300 && round < 100_000; round++) {
      for (const { provider } of engines) {
        provider.perform();
        provider.infoRead();
      }
      await Promise.all(engines.map(({ source }) => source.refill()));
      await tick();
      const waits = engines.map(({ provider }) => provider.timeout()).filter((ms) => ms >= 0);
      const wait = waits.length === 0 ? -1 : Math.min(...waits);
      if (wait > 0) clock.advance(wait);
      if (wait < 0 && ok + failed < 300) throw new Error('stuck');
    }
    t.equal(ok, 300, 'every request of both processes succeeds');
    t.equal(failed, 0);
    t.ok(account.tooMany / account.answers < 0.01, `${account.tooMany} of ${account.answers} answers were 429`);
    const perWindow = new Map<number, number>();
    for (const at of account.dispatchTimes) perWindow.set(Math.floor((at - start) / 4000), (perWindow.get(Math.floor((at - start) / 4000)) ?? 0) + 1);
    t.ok([...perWindow.values()].every((count) => count <= 60), `requests per window: ${[...perWindow.values()].join(', ')}`);
    const keys = await clients[0]!.keys('llmux:lease:*');
    t.ok(keys.length > 0, 'the shared counters live in Redis');
    const ttl = await clients[0]!.pttl(keys[0]!);
    t.ok(ttl > 0, `and expire (${ttl} ms left)`);
    for (const { provider } of engines) await provider.cleanup();
  } finally {
    for (const redis of clients) redis.disconnect();
    child.kill('SIGTERM');
  }
});
