import t from 'tap';
import { EngineProvider } from '../../src/providers/provider.js';
import { createProvider } from '../../src/providers/factory.js';
import { usageLine } from '../../src/providers/log-lines.js';
import type { ChatRequest } from '../../src/providers/types.js';
import { fakeAdapter, fakeStream } from '../helpers/fake-adapter.js';
import { fakeProvider, HELLO, record } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';
import { BlackHoleDispatcher } from '../helpers/stub-dispatcher.js';

t.test('the logger gets one line per finished request, retry and error', async (t) => {
  let calls = 0;
  const server = await startLoopback((req, res) => {
    calls++;
    if (req.url === '/fail') {
      res.writeHead(401);
      return void res.end('bad key');
    }
    if (calls === 1) {
      res.writeHead(503, { 'retry-after-ms': '0' });
      return void res.end('busy');
    }
    res.writeHead(200, SSE_HEADERS);
    res.end(fakeStream(['hi']));
  });
  const lines: string[] = [];
  const provider = new EngineProvider(fakeAdapter(server.url), {
    logger: (line) => {
      lines.push(line);
      throw new Error('a broken logger is ignored');
    },
  });
  const ok = record(provider);
  await provider.run();
  const failed = record(provider, { messages: [{ role: 'user', content: 'x' }], extraBody: { path: '/fail' } });
  await provider.run();
  t.ok(ok.completions[0]?.isOk());
  t.ok(failed.completions[0]?.isErr());
  t.match(lines[0] ?? '', /^Fake retry: attempt 2 in 0 ms after server: HTTP 503/);
  t.equal(lines[1], 'Fake tokens: prompt=?, completion=?, total=? (model fake-model, finish stop), cost unknown');
  t.match(lines[2] ?? '', /^Fake request failed: category=auth status=401 \(model fake-model\): HTTP 401: bad key/);
  await provider.cleanup();
  await server.close();
});

t.test('usage lines show cached and reasoning counts when reported', async (t) => {
  const line = usageLine('OpenAI', {
    model: 'o4-mini',
    content: [],
    text: '',
    toolCalls: [],
    finishReason: 'tool_use',
    usage: { input: 10, output: 20, thinking: 5, cached: 4, cacheWrite: null, total: 30 },
  });
  t.equal(line, 'OpenAI tokens: prompt=10, completion=20, total=30, cached=4, reasoning=5 (model o4-mini, finish tool_use)');
});

t.test('the logged usage line carries the cost from the price option, or says it is unknown', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ text: 'hi' }));
  });
  const lines: string[] = [];
  const seen: string[] = [];
  const provider = new EngineProvider(fakeAdapter(server.url), {
    logger: (line) => lines.push(line),
    price: (name, model, _usage, options) => {
      seen.push(`${name} ${model} ${options.batch}`);
      return 0.0042;
    },
  });
  await provider.complete(HELLO);
  t.same(seen, ['fake fake-model false']);
  t.match(lines.at(-1), /\(model fake-model, finish stop\), cost \$0\.0042$/);
  await provider.cleanup();
  await server.close();
});

t.test('non-streaming requests: HTML, oversized bodies, bad JSON, HTTP errors, cancel', async (t) => {
  const server = await startLoopback((req, res) => {
    if (req.url === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<html></html>');
    }
    if (req.url === '/bad') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{');
    }
    if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('x'.repeat(4096));
    }
    res.writeHead(404);
    res.end('no such model');
  });
  const provider = fakeProvider(server.url, { maxRetries: 0 });
  const outcomes = new Map<string, string>();
  for (const path of ['/html', '/bad', '/missing']) {
    const request: ChatRequest = { messages: [{ role: 'user', content: 'x' }], extraBody: { path } };
    provider.startRequest(request, (result) => outcomes.set(path, result.isErr() ? `${result.error.category}: ${result.error.message}` : 'ok'));
  }
  await provider.run();
  t.match(outcomes.get('/html'), /^protocol: expected JSON but the server sent text\/html/);
  t.match(outcomes.get('/bad'), /^protocol: bad json/);
  t.match(outcomes.get('/missing'), /^not_found: HTTP 404/);
  await provider.cleanup();

  const { RequestSession } = await import('../../src/providers/request-session.js');
  const small = new RequestSession(fakeAdapter(server.url), { http: { method: 'POST', url: server.url, headers: {} }, model: 'm', api: 'fake' }, () => undefined, 10);
  t.equal(small.onData(Buffer.alloc(8)), undefined);
  t.match(small.onData(Buffer.alloc(8))?.message ?? '', /larger than 10 bytes/);
  small.reset();
  t.equal(small.onData(Buffer.alloc(8)), undefined, 'a retry starts from zero');

  const cancelling = fakeProvider(server.url, { dispatcher: new BlackHoleDispatcher() });
  const results: string[] = [];
  const started = cancelling.startRequest(HELLO, (result) => results.push(result.isErr() ? result.error.category : 'ok'));
  t.ok(started.isOk() && cancelling.cancel(started.value));
  cancelling.infoRead();
  t.same(results, ['cancelled']);
  await cancelling.cleanup();
  await server.close();
});

t.test('a start call never throws, even for input that defies the types', async (t) => {
  const provider = fakeProvider('http://127.0.0.1:9', { dispatcher: new BlackHoleDispatcher() });
  const broken = { messages: null } as unknown as ChatRequest;
  const started = provider.startStream(broken, () => undefined, () => undefined);
  t.ok(started.isErr());
  t.match(started.isErr() ? started.error.message : '', /could not be serialized/);
  await provider.cleanup();
});

t.test('providers can share one engine; cleanup leaves a shared engine to its owner', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    res.end(fakeStream(['shared']));
  });
  const owner = fakeProvider(server.url);
  const guest = new EngineProvider(fakeAdapter(server.url), { multi: owner.multi });
  const a = record(owner);
  const b = record(guest);
  t.equal(guest.multi.running, 2, 'both transfers live in one engine');
  await guest.cleanup();
  await guest.run();
  t.ok(a.completions[0]?.isOk() && b.completions[0]?.isOk());
  t.equal(guest.timeout(), -1);
  t.equal(guest.cancelAll(), 0);
  await owner.cleanup();
  await server.close();
});

t.test('the factory knows its providers by name', async (t) => {
  const unknown = createProvider('nope');
  t.ok(unknown.isErr());
  t.match(unknown.isErr() ? unknown.error.message : '', /unknown provider "nope"; known providers: openai/);
  const openai = createProvider('openai', { apiKey: 'sk-test', engine: { dispatcher: new BlackHoleDispatcher() } });
  t.ok(openai.isOk());
  if (openai.isOk()) {
    t.equal(openai.value.name, 'openai');
    await openai.value.cleanup();
  }
});
