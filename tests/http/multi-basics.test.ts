import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { fakeStream } from '../helpers/fake-adapter.js';
import { eventTypes, fakeProvider, pumpUntil, record } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';

t.test('start returns synchronously and no callback runs before the pump', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    res.end(fakeStream(['Hel', 'lo']));
  });
  const provider = fakeProvider(server.url, { clock: new VirtualClock() });
  const run = record(provider);
  t.same(run.events, [], 'no event inside startStream');
  t.same(run.completions, [], 'no completion inside startStream');
  // Bytes arrive and wake wait(), yet nothing reaches user code until the pump.
  await provider.wait(-1);
  t.ok(provider.timeout() === 0, 'the engine reports work ready');
  t.same(run.events, [], 'bytes queue until perform()');
  provider.perform();
  t.ok(run.events.length > 0, 'events arrive inside perform()');
  t.same(run.completions, [], 'completion waits for infoRead()');
  await pumpUntil(provider, () => run.completions.length > 0);
  t.same(eventTypes(run.events), ['start', 'text_delta', 'text_delta', 'done']);
  t.equal(run.completions.length, 1);
  const result = run.completions[0];
  t.ok(result?.isOk());
  t.equal(result?.isOk() ? result.value.text : '', 'Hello');
  await provider.cleanup();
  await server.close();
});

t.test('an immediate error comes back from start, with no callback', async (t) => {
  const provider = fakeProvider('http://127.0.0.1:1');
  let called = false;
  const started = provider.startStream({ messages: [] }, () => (called = true), () => (called = true));
  t.ok(started.isErr());
  t.equal(started.isErr() ? started.error.category : '', 'invalid_arg');
  provider.perform();
  provider.infoRead();
  t.equal(called, false);
  await provider.cleanup();
});

t.test('a non-streaming request buffers the body and completes once', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"text":');
    res.end('"whole"}');
  });
  const provider = fakeProvider(server.url);
  const results: string[] = [];
  const started = provider.startRequest({ messages: [{ role: 'user', content: 'x' }] }, (result) =>
    results.push(result.isOk() ? result.value.text : result.error.category),
  );
  t.ok(started.isOk());
  await provider.run();
  t.same(results, ['whole']);
  await provider.cleanup();
  await server.close();
});

t.test('1,000 concurrent streams each get exactly one completion, events in order', async (t) => {
  const server = await startLoopback((req, res) => {
    const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n'));
    res.writeHead(200, SSE_HEADERS);
    res.write(`data: ${JSON.stringify({ text: `${n}:a,` })}\n\n`);
    setImmediate(() => res.end(fakeStream([`${n}:b,`, `${n}:c`])));
  });
  const provider = fakeProvider(server.url, { maxInFlight: 250 });
  const runs = Array.from({ length: 1000 }, (_, n) =>
    record(provider, { messages: [{ role: 'user', content: 'x' }], extraBody: { path: `/stream?n=${n}` } }),
  );
  await provider.run();
  let ordered = 0;
  runs.forEach((run, n) => {
    const text = run.events.flatMap((event) => (event.type === 'text_delta' ? [event.text] : [])).join('');
    const types = eventTypes(run.events);
    if (
      run.completions.length === 1 &&
      run.completions[0]?.isOk() &&
      text === `${n}:a,${n}:b,${n}:c` &&
      types[0] === 'start' &&
      types.at(-1) === 'done' &&
      types.filter((type) => type === 'done').length === 1
    ) {
      ordered++;
    }
  });
  t.equal(ordered, 1000, 'every stream complete, once, in order');
  t.equal(provider.multi.running, 0);
  await provider.cleanup();
  await server.close();
});
