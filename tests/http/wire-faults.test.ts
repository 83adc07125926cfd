import t from 'tap';
import { Agent } from 'undici';
import { EngineProvider } from '../../src/providers/provider.js';
import { fakeAdapter } from '../helpers/fake-adapter.js';
import { eventTypes, fakeProvider, record, type Recorded } from '../helpers/harness.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';

/** Serves `chunks` as separate writes (each flushed in its own I/O turn) and returns the run. */
async function serve(chunks: readonly (string | Buffer)[], headers: Record<string, string> = SSE_HEADERS): Promise<Recorded> {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, headers);
    let i = 0;
    const next = (): void => {
      if (i === chunks.length) return void res.end();
      res.write(chunks[i++] as string | Buffer, () => setImmediate(next));
    };
    next();
  });
  const provider = fakeProvider(server.url, { maxRetries: 0, maxErrorBodyBytes: 1024 });
  const run = record(provider);
  await provider.run();
  await provider.cleanup();
  await server.close();
  return run;
}

function text(run: Recorded): string {
  return run.events.flatMap((event) => (event.type === 'text_delta' ? [event.text] : [])).join('');
}

function failure(run: Recorded): string {
  const result = run.completions[0];
  return result?.isErr() ? `${result.error.category}: ${result.error.message}` : 'ok';
}

t.test('a character split across two chunks comes out whole', async (t) => {
  const bytes = Buffer.from('data: {"text":"h€llo 🌍"}\n\ndata: [DONE]\n\n');
  const euro = bytes.indexOf(Buffer.from('€'));
  const globe = bytes.indexOf(Buffer.from('🌍'));
  const run = await serve([bytes.subarray(0, euro + 1), bytes.subarray(euro + 1, globe + 2), bytes.subarray(globe + 2)]);
  t.equal(text(run), 'h€llo 🌍');
  t.equal(failure(run), 'ok');
});

t.test('CRLF and CR line ends, comments, event names and multi-line data', async (t) => {
  const run = await serve([
    ': this is a comment\r\n\r\n',
    'event: message\r\ndata: {"text":\r',
    '\ndata: "a"}\r\n\r\n',
    'data: {"text":"b"}\r\rdata: [DONE]\r\n\r\n',
  ]);
  t.equal(text(run), 'ab');
  t.same(eventTypes(run.events), ['start', 'text_delta', 'text_delta', 'done']);
});

t.test('the last event is kept when the body ends without a blank line', async (t) => {
  const run = await serve(['data: {"text":"x"}\n\ndata: [DONE]\n']);
  t.equal(failure(run), 'ok');
  const cut = await serve(['data: {"text":"x"}\n\ndata: {"text":"cut mid-li']);
  t.match(failure(cut), /^protocol: stream ended before \[DONE\]/, 'a line cut mid-way reads as a cut stream');
});

t.test('an over-long line fails the transfer with a protocol error', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    res.write('data: {"text":"');
    res.write('y'.repeat(4096));
    res.write('y'.repeat(4096));
  });
  const provider = new EngineProvider(fakeAdapter(server.url), { sseLimits: { maxLineLength: 5000, maxEventLength: 100_000 } });
  const run = record(provider);
  const closed = server.socketClosed();
  await provider.run();
  t.match(failure(run), /^protocol: SSE line longer than 5000/);
  t.same(eventTypes(run.events), ['error']);
  await closed;
  t.pass('the connection was closed rather than read to the end');
  await provider.cleanup();
  await server.close();
});

t.test('an over-long multi-line event fails too', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    for (let i = 0; i < 50; i++) res.write(`data: ${'z'.repeat(100)}\n`);
  });
  const provider = new EngineProvider(fakeAdapter(server.url), { sseLimits: { maxLineLength: 5000, maxEventLength: 2_000 } });
  const run = record(provider);
  await provider.run();
  t.match(failure(run), /^protocol: SSE event longer than 2000/);
  await provider.cleanup();
  await server.close();
});

t.test('an HTML page where the stream was due is a protocol error naming it', async (t) => {
  const run = await serve(['<html><body>Proxy login</body></html>'], { 'content-type': 'text/html; charset=utf-8' });
  t.match(failure(run), /protocol: expected an event stream but the server sent text\/html/);
  t.same(eventTypes(run.events), ['error']);
});

t.test('a body that is not SSE at all, without a content type, ends as a truncated stream', async (t) => {
  const run = await serve(['<html>\n<body>oops</body>\n</html>\n'], {});
  t.match(failure(run), /^protocol: stream ended before \[DONE\]/);
});

t.test('malformed event data is a protocol error', async (t) => {
  const run = await serve(['data: {"text": nope}\n\n']);
  t.match(failure(run), /^protocol: not JSON/);
});

t.test('an in-band error event ends the stream with that error', async (t) => {
  const run = await serve(['data: {"text":"a"}\n\ndata: {"error":"overloaded"}\n\ndata: {"text":"never"}\n\n']);
  t.same(eventTypes(run.events), ['start', 'text_delta', 'error']);
  t.match(failure(run), /^server: overloaded/);
});

t.test('connection refused and reset before headers are network errors', async (t) => {
  const refusedServer = await startLoopback(() => undefined);
  const url = refusedServer.url;
  await refusedServer.close();
  const refused = fakeProvider(url, { maxRetries: 0 });
  const refusedRun = record(refused);
  await refused.run();
  t.match(failure(refusedRun), /^network: connection refused .*ECONNREFUSED/);
  await refused.cleanup();

  const server = await startLoopback((req) => req.socket.destroy());
  const provider = fakeProvider(server.url, { maxRetries: 0 });
  const run = record(provider);
  await provider.run();
  t.match(failure(run), /^network: /);
  t.same(eventTypes(run.events), ['error']);
  await provider.cleanup();
  await server.close();
});

t.test('a reset after the first event is a network error, not retried', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(200, SSE_HEADERS);
    res.write('data: {"text":"partial"}\n\n', () => setImmediate(() => res.socket?.destroy()));
  });
  const provider = fakeProvider(server.url, { maxRetries: 3 });
  const run = record(provider);
  await provider.run();
  t.equal(text(run), 'partial', 'what arrived is kept');
  t.match(failure(run), /^network: /);
  t.equal(server.requests.length, 1);
  await provider.cleanup();
  await server.close();
});

t.test('a DNS failure is a network error that names DNS', async (t) => {
  const dispatcher = new Agent({
    connect: {
      lookup: (hostname, _options, callback) => {
        const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
        callback(error, '', 4);
      },
    },
  });
  const provider = fakeProvider('http://api.nowhere.invalid', { dispatcher, maxRetries: 0 });
  const run = record(provider);
  await provider.run();
  t.match(failure(run), /^network: host name not found \(DNS\) talking to api\.nowhere\.invalid/);
  await provider.cleanup();
  await dispatcher.close();
});

t.test('an HTTP error body is read, bounded, into the error', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('e'.repeat(10_000));
  });
  const provider = fakeProvider(server.url, { maxRetries: 0, maxErrorBodyBytes: 100 });
  const run = record(provider);
  await provider.run();
  const result = run.completions[0];
  t.equal(result?.isErr() ? result.error.httpStatus : 0, 500);
  t.equal(result?.isErr() ? result.error.category : '', 'server');
  await provider.cleanup();
  await server.close();
});
