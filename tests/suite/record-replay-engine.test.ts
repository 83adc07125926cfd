// Issue-level guarantees of the VCR through the whole engine: a live run recorded and
// replayed gives the same events with the same chunk boundaries, and a key given to a
// provider never reaches a cassette, a log line or an error message.
import t from 'tap';
import type { ServerResponse } from 'node:http';
import { VirtualClock } from '../../src/http/clock.js';
import { createOpenAI } from '../../src/providers/factory.js';
import type { Provider } from '../../src/providers/provider.js';
import type { ChatResponse, StreamEvent } from '../../src/providers/types.js';
import type { Result } from 'neverthrow';
import type { ProviderError } from '../../src/errors/category.js';
import { parseCassette } from '../../src/vcr/cassette.js';
import { RecordingDispatcher } from '../../src/vcr/recording-dispatcher.js';
import { ReplayDispatcher } from '../../src/vcr/replay-dispatcher.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';

const KEY = 'sk-proj-Zx8Qm2Lr7Tn4Vb1Kc9Hd3Js6Pw0Ya5Ue';

const CHUNKS = [
  'data: {"id":"chatcmpl-r1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n',
  'data: {"id":"chatcmpl-r1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Grüße "},"finish_reason":null}]}\n\ndata: {"id":"chatcmpl-r1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"aus"},"finish_reason":null}]}\n',
  '\ndata: {"id":"chatcmpl-r1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":" 東京"},"finish_reason":"stop"}]}\n\n',
  'data: {"id":"chatcmpl-r1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}}\n\ndata: [DONE]\n\n',
];

interface Run {
  events: StreamEvent[];
  result: Result<ChatResponse, ProviderError> | undefined;
}

async function stream(provider: Provider): Promise<Run> {
  const run: Run = { events: [], result: undefined };
  const started = provider.startStream(
    { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Grüß mich' }] },
    (event) => run.events.push(event),
    (result) => (run.result = result),
  );
  if (started.isErr()) throw new Error(started.error.message);
  await provider.run();
  return run;
}

t.test('record live through the engine, replay: same events, same chunk boundaries', async (t) => {
  const server = await startLoopback((_req, res: ServerResponse) => {
    res.writeHead(200, SSE_HEADERS);
    let i = 0;
    const next = (): void => {
      if (i === CHUNKS.length) return void res.end();
      res.write(CHUNKS[i++] as string, () => setImmediate(next));
    };
    next();
  });
  const recorder = new RecordingDispatcher();
  const lines: string[] = [];
  const live = createOpenAI({ apiKey: KEY, baseURL: `${server.url}/v1`, engine: { dispatcher: recorder }, logger: (line) => lines.push(line) });
  const liveRun = await stream(live);
  await live.cleanup();
  const saved = recorder.toJSONL();
  t.ok(saved.isOk(), 'the recording saves');
  const text = saved.isOk() ? saved.value : '';
  t.notMatch(text, KEY, 'the key is not in the cassette');
  t.match(text, /\[REDACTED\]/);
  const cassette = parseCassette(text, 'recorded');
  if (cassette.isErr()) return void t.fail(cassette.error.message);
  const recordedChunks = cassette.value.exchanges[0]?.chunks.map((chunk) => Buffer.from(chunk.bytes).toString('utf8')) ?? [];
  t.same(recordedChunks, CHUNKS, 'the cassette keeps each socket chunk as it came');

  const clock = new VirtualClock();
  const replay = new ReplayDispatcher(cassette.value, { clock, speed: 'instant' });
  const replayed = createOpenAI({ apiKey: KEY, baseURL: `${server.url}/v1`, engine: { dispatcher: replay, clock } });
  const replayRun = await stream(replayed);
  await replayed.cleanup();
  t.same(replayRun.events, liveRun.events, 'the same events');
  t.same(replayRun.result?.isOk() ? replayRun.result.value : null, liveRun.result?.isOk() ? liveRun.result.value : undefined);
  t.equal(liveRun.result?.isOk() ? liveRun.result.value.text : '', 'Grüße aus 東京');
  t.same(replay.unusedExchanges(), []);
  t.notMatch(lines.join('\n'), KEY, 'the key is not in a log line');
  await server.close();
});

t.test('a key never appears in an error message or log line, even when the server echoes it', async (t) => {
  const server = await startLoopback((req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${String(req.headers.authorization)}`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
  });
  const lines: string[] = [];
  const recorder = new RecordingDispatcher();
  const provider = createOpenAI({ apiKey: KEY, baseURL: `${server.url}/v1`, engine: { dispatcher: recorder }, logger: (line) => lines.push(line) });
  const run = await stream(provider);
  await provider.cleanup();
  const error = run.result?.isErr() ? run.result.error : undefined;
  t.equal(error?.category, 'auth');
  t.notMatch(JSON.stringify(error), KEY, 'not in the error');
  t.notMatch(JSON.stringify(run.events), KEY, 'not in the error event');
  t.notMatch(lines.join('\n'), KEY, 'not in the log');
  const saved = recorder.toJSONL();
  t.ok(saved.isErr(), 'the recorder refuses to save a body that still holds the key');
  t.notMatch(saved.isErr() ? saved.error.message : '', KEY, 'and its refusal does not print it');
  await server.close();
});
