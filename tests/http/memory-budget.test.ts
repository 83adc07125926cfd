import t from 'tap';
import type { Result } from 'neverthrow';
import type { ProviderError } from '../../src/errors/category.js';
import { VirtualClock } from '../../src/http/clock.js';
import { HttpMulti } from '../../src/http/multi.js';
import { EngineProvider } from '../../src/providers/provider.js';
import type { ChatResponse, StreamEvent } from '../../src/providers/types.js';
import { fakeAdapter } from '../helpers/fake-adapter.js';
import { HELLO } from '../helpers/harness.js';
import { ManualDispatcher } from '../helpers/manual-dispatcher.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

function setup(memoryBudget: number): { provider: EngineProvider; multi: HttpMulti; dispatcher: ManualDispatcher } {
  const dispatcher = new ManualDispatcher();
  const multi = new HttpMulti({ dispatcher, clock: new VirtualClock(), memoryBudget, governor: false, maxRetries: 0, random: () => 0 });
  return { provider: new EngineProvider(fakeAdapter('http://127.0.0.1:9'), { multi }), multi, dispatcher };
}

function pump(provider: EngineProvider): void {
  provider.perform();
  provider.infoRead();
}

function describe(result: Result<ChatResponse, ProviderError> | undefined): string {
  if (result === undefined) return 'pending';
  return result.isOk() ? `ok ${result.value.text.length}` : `${result.error.category}: ${result.error.message}`;
}

function request(provider: EngineProvider): { result: Result<ChatResponse, ProviderError> | undefined } {
  const seen: { result: Result<ChatResponse, ProviderError> | undefined } = { result: undefined };
  const started = provider.startRequest(HELLO, (result) => (seen.result = result));
  if (started.isErr()) throw new Error(started.error.message);
  return seen;
}

function stream(provider: EngineProvider): { result: Result<ChatResponse, ProviderError> | undefined; events: StreamEvent[] } {
  const seen: { result: Result<ChatResponse, ProviderError> | undefined; events: StreamEvent[] } = { result: undefined, events: [] };
  const started = provider.startStream(
    HELLO,
    (event) => seen.events.push(event),
    (result) => (seen.result = result),
  );
  if (started.isErr()) throw new Error(started.error.message);
  return seen;
}

t.test('non-streaming bodies: the largest holder fails when the sum passes the budget, the others complete', async (t) => {
  const { provider, multi, dispatcher } = setup(1000);
  const a = request(provider);
  const b = request(provider);
  const c = request(provider);
  const wa = dispatcher.at(0).start().respond(200, JSON_HEADERS).data(`{"text":"${'a'.repeat(391)}`);
  const wb = dispatcher.at(1).start().respond(200, JSON_HEADERS).data(`{"text":"${'b'.repeat(291)}`);
  const wc = dispatcher.at(2).start().respond(200, JSON_HEADERS).data(`{"text":"${'c'.repeat(191)}`);
  t.equal(multi.heldBytes, 900, 'queued chunks are counted on arrival');
  pump(provider);
  t.equal(multi.heldBytes, 900, 'handed to the sinks they are still held');
  t.notOk(wa.paused || wb.paused || wc.paused, 'under the budget nothing pauses');

  wa.data('a'.repeat(200));
  t.ok(wa.paused, 'an arrival over the budget pauses its socket until the next pump');
  t.equal(a.result, undefined, 'nothing fails outside a pump');
  pump(provider);
  t.match(describe(a.result), /^protocol: the engine's memory budget of 1000 bytes \(engine option memoryBudget\) was exceeded: 1100 bytes held by its transfers; this one held 600/);
  t.equal(a.result?.isErr() === true ? a.result.error.retryable : true, false, 'not retried: the same answer would do the same');
  t.ok(wa.aborted, "the largest holder's socket is released");
  t.notOk(wb.aborted || wc.aborted, 'the smaller ones go on');
  t.equal(multi.heldBytes, 500, 'its bytes left the books');

  wb.data('"}').end();
  wc.data('"}').end();
  pump(provider);
  t.equal(describe(b.result), 'ok 291');
  t.equal(describe(c.result), 'ok 191');
  t.equal(multi.heldBytes, 0, 'finished transfers hold nothing');
  await provider.cleanup();
});

t.test('enough victims are failed, largest first, to get back under the budget', async (t) => {
  const { provider, multi, dispatcher } = setup(1000);
  const seen = [request(provider), request(provider), request(provider), request(provider)];
  const sizes = [300, 450, 350, 250];
  sizes.forEach((size, i) => dispatcher.at(i).start().respond(200, JSON_HEADERS).data('x'.repeat(size)));
  pump(provider);
  t.same(
    seen.map((s) => s.result?.isErr() === true),
    [false, true, false, false],
    'the 450 fails once the sinks keep 1100 bytes; what the others keep (900) fits',
  );
  t.equal(multi.heldBytes, 900);
  dispatcher.at(0).data('x'.repeat(300));
  dispatcher.at(2).data('x'.repeat(400));
  pump(provider);
  t.same(
    seen.map((s) => s.result?.isErr() === true),
    [true, true, false, false],
    'pumped first, the 600 makes 1200 kept and fails; the 750 then makes exactly 1000, which fits',
  );
  t.equal(multi.heldBytes, 1000);
  await multi.close();
  t.equal(multi.heldBytes, 0, 'cancelled transfers hold nothing');
});

t.test('a stream whose host has not pumped is paused, not failed: its queued chunks are backlog', async (t) => {
  const { provider, multi, dispatcher } = setup(1000);
  const s = stream(provider);
  const wire = dispatcher.at(0).start().respond();
  const event = `data: ${JSON.stringify({ text: 'y'.repeat(480) })}\n\n`;
  wire.data(event).data(event).data(event);
  t.ok(wire.paused, 'the socket waits for the host');
  t.ok(multi.heldBytes > 1000);
  pump(provider);
  t.equal(s.result, undefined, 'nothing failed');
  t.equal(s.events.filter((e) => e.type === 'text_delta').length, 3, 'every queued event was delivered');
  t.equal(multi.heldBytes, 0, 'whole events leave nothing behind in the decoder');
  t.notOk(wire.paused, 'drained under the budget, the socket resumes');
  wire.data('data: [DONE]\n\n').end();
  pump(provider);
  t.equal(describe(s.result), 'ok 1440');
  await provider.cleanup();
});

t.test('SSE partial lines count: a line flood past the budget fails with protocol, another stream goes on', async (t) => {
  const { provider, multi, dispatcher } = setup(1000);
  const flood = stream(provider);
  const calm = stream(provider);
  const wf = dispatcher.at(0).start().respond();
  const wc = dispatcher.at(1).start().respond();
  wf.data(`data: {"text":"${'f'.repeat(600)}`);
  wc.data(`data: {"text":"${'c'.repeat(200)}`);
  pump(provider);
  t.equal(multi.heldBytes, 615 + 215, 'the decoders hold the partial lines');
  wf.data('f'.repeat(300));
  pump(provider);
  t.match(describe(flood.result), /^protocol: the engine's memory budget of 1000 bytes/);
  t.same(flood.events.map((e) => e.type), ['error'], 'the stream ends with its error event');
  t.equal(calm.result, undefined);
  wc.data('"}\n\ndata: [DONE]\n\n').end();
  pump(provider);
  t.equal(describe(calm.result), 'ok 200');
  t.equal(multi.heldBytes, 0);
  await provider.cleanup();
});

t.test('an error body is cut short once the engine is over its budget; the status still tells the story', async (t) => {
  const { provider, dispatcher } = setup(1000);
  const big = stream(provider);
  const failing = request(provider);
  dispatcher.at(0).start().respond().data(`data: {"text":"${'b'.repeat(900)}`);
  pump(provider);
  const wire = dispatcher.at(1).start().respond(503, { 'content-type': 'text/plain' }).data('overloaded '.repeat(20));
  t.ok(wire.aborted, 'the rest of the error page is not read');
  pump(provider);
  t.match(describe(failing.result), /^server: HTTP 503: overloaded/);
  t.equal(big.result, undefined, 'the stream is not failed for an error body that was cut');
  await provider.cleanup();
});

t.test('a retry starts with empty books', async (t) => {
  const dispatcher = new ManualDispatcher();
  const clock = new VirtualClock();
  const multi = new HttpMulti({ dispatcher, clock, memoryBudget: 1000, governor: false, maxRetries: 1, random: () => 0 });
  const provider = new EngineProvider(fakeAdapter('http://127.0.0.1:9'), { multi });
  const seen = request(provider);
  dispatcher.at(0).start().respond(200, JSON_HEADERS).data('{"text":"' + 'r'.repeat(500));
  pump(provider);
  t.equal(multi.heldBytes, 509);
  dispatcher.at(0).fail(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
  pump(provider);
  t.equal(multi.heldBytes, 0, 'the failed attempt let go of its body');
  clock.advance(10_000);
  pump(provider);
  dispatcher.at(1).start().respond(200, JSON_HEADERS).data('{"text":"ok"}').end();
  pump(provider);
  t.equal(describe(seen.result), 'ok 2');
  t.equal(multi.heldBytes, 0);
  await provider.cleanup();
});
