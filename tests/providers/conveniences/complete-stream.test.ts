// complete() and stream(): one request as a promise or an async iterator, on the engine.
import t from 'tap';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createOpenAI, HttpMulti, createAnthropic } from '../../../src/index.js';
import type { StreamEvent } from '../../../src/providers/types.js';
import { startLoopback } from '../../helpers/loopback.js';
import { ask, sendCompletion, sendStream } from './helpers.js';

function question(body: string): string {
  const parsed = JSON.parse(body) as { messages: { content: string }[] };
  return parsed.messages.at(-1)?.content ?? '';
}

t.test('complete() resolves with the response, request id and headers; stream() yields events then ends', async (t) => {
  const server = await startLoopback((_req, res, body) => {
    const stream = (JSON.parse(body) as { stream?: boolean }).stream === true;
    if (stream) sendStream(res, ['Sockets ', 'hum']);
    else sendCompletion(res, `answer to ${question(body)}`);
  });
  t.teardown(() => server.close());
  const openai = createOpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1` });
  const result = await openai.complete(ask('one'));
  t.ok(result.isOk());
  t.equal(result.isOk() && result.value.text, 'answer to one');
  t.equal(result.isOk() && result.value.requestId, 'req_complete');
  const stream = openai.stream(ask('two'));
  const seen: StreamEvent['type'][] = [];
  let text = '';
  for await (const event of stream) {
    seen.push(event.type);
    if (event.type === 'text_delta') text += event.text;
  }
  t.equal(text, 'Sockets hum');
  t.equal(seen.at(-1), 'done', 'the terminal event is the last one, then iteration ends');
  const final = await stream.result;
  t.equal(final.isOk() && final.value.text, 'Sockets hum');
  t.equal(final.isOk() && final.value.requestId, 'req_stream');
  t.equal(openai.multi.running, 0);
  await openai.cleanup();
});

t.test('many requests on one engine: the fast one resolves while the slow one is still open', async (t) => {
  const held: ServerResponse[] = [];
  const server = await startLoopback((_req: IncomingMessage, res, body) => {
    if (question(body) === 'slow') held.push(res);
    else sendCompletion(res, 'fast');
  });
  t.teardown(() => server.close());
  const multi = new HttpMulti();
  const openai = createOpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, multi });
  const other = createOpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, multi });
  const slow = openai.complete(ask('slow'));
  const slowStream = other.stream(ask('slow'));
  const fast = await other.complete(ask('fast'));
  t.equal(fast.isOk() && fast.value.text, 'fast', 'resolved without waiting for the slow ones');
  t.equal(multi.running, 2, 'the slow ones are still running');
  for (const res of held.splice(0)) {
    if (res.req.headers['accept']?.includes('text/event-stream') === true) sendStream(res, ['late']);
    else sendCompletion(res, 'slow');
  }
  const slowResult = await slow;
  t.equal(slowResult.isOk() && slowResult.value.text, 'slow');
  const streamed = await slowStream.result;
  t.ok(streamed.isOk(), 'the stream completes although nobody iterated it');
  await multi.close();
});

t.test('break out of a stream cancels it and releases the socket', async (t) => {
  let response: ServerResponse | undefined;
  const server = await startLoopback((_req, res) => {
    response = res;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'first' }, finish_reason: null }] })}\n\n`);
  });
  t.teardown(() => server.close());
  const openai = createOpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1` });
  const closed = server.socketClosed();
  const stream = openai.stream(ask('x'));
  const types: string[] = [];
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'text_delta') break;
  }
  t.same(types, ['start', 'text_delta']);
  const result = await stream.result;
  t.equal(result.isErr() && result.error.category, 'cancelled');
  await closed;
  t.ok(response !== undefined, 'the server saw the request');
  t.equal(openai.multi.running, 0);
  await openai.cleanup();
});

t.test('a request the start call refuses: complete() resolves with the error, stream() yields it and ends', async (t) => {
  const anthropic = createAnthropic({ apiKey: 'sk-ant-test', baseURL: 'http://127.0.0.1:9' });
  const refused = { messages: [{ role: 'user' as const, content: 'x' }], seed: 1 };
  const result = await anthropic.complete(refused);
  t.equal(result.isErr() && result.error.category, 'invalid_arg');
  const stream = anthropic.stream(refused);
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  t.same(events.map((e) => e.type), ['error']);
  t.equal((await stream.result).isErr(), true);
  await anthropic.cleanup();
});

t.test('stream().cancel() before anything arrived ends iteration; an HTTP error ends it with an error event', async (t) => {
  const server = await startLoopback((_req, res) => {
    res.writeHead(400, { 'content-type': 'application/json', 'x-request-id': 'req_bad' });
    res.end(JSON.stringify({ error: { message: 'bad model', type: 'invalid_request_error', code: 'model_not_found' } }));
  });
  t.teardown(() => server.close());
  const openai = createOpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1` });
  const cancelled = openai.stream(ask('x'));
  cancelled.cancel();
  const none: StreamEvent[] = [];
  for await (const event of cancelled) none.push(event);
  t.same(none, []);
  t.equal((await cancelled.result).isErr(), true);
  const failing = openai.stream(ask('y'));
  const events: StreamEvent[] = [];
  for await (const event of failing) events.push(event);
  t.equal(events.at(-1)?.type, 'error');
  const result = await failing.result;
  t.equal(result.isErr() && result.error.requestId, 'req_bad');
  await openai.cleanup();
});
