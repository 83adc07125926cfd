// No Anthropic key in any cassette, log line or error: `x-api-key` is redacted when a live
// exchange is recorded, a key the server echoes back never reaches a message, and the
// recorder refuses to save a body that still holds an `sk-ant-` key.
import t from 'tap';
import type { Result } from 'neverthrow';
import type { ProviderError } from '../../src/errors/category.js';
import { createAnthropic } from '../../src/providers/factory.js';
import type { Provider } from '../../src/providers/provider.js';
import type { ChatResponse, StreamEvent } from '../../src/providers/types.js';
import { RecordingDispatcher } from '../../src/vcr/recording-dispatcher.js';
import { SSE_HEADERS, startLoopback } from '../helpers/loopback.js';

const KEY = 'sk-ant-api03-Zx8Qm2Lr7Tn4Vb1Kc9Hd3Js6Pw0Ya5UeQ1w2E3r4T5y6';

const ev = (type: string, fields: Record<string, unknown> = {}): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;
const STREAM = [
  ev('message_start', { message: { id: 'msg_live', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], usage: { input_tokens: 9, output_tokens: 1 } } }),
  ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  ev('ping'),
  ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hi there.' } }),
  ev('content_block_stop', { index: 0 }),
  ev('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 4 } }),
  ev('message_stop'),
];

interface Run {
  events: StreamEvent[];
  result: Result<ChatResponse, ProviderError> | undefined;
}

/** One stream with the key, through a recorder, logging: what could leak the key, all at once. */
async function streamRecorded(baseURL: string): Promise<{ run: Run; recorder: RecordingDispatcher; lines: string[] }> {
  const recorder = new RecordingDispatcher();
  const lines: string[] = [];
  const provider = createAnthropic({ apiKey: KEY, baseURL, engine: { dispatcher: recorder }, logger: (line) => lines.push(line) });
  const run = await stream(provider);
  await provider.cleanup();
  return { run, recorder, lines };
}

async function stream(provider: Provider): Promise<Run> {
  const run: Run = { events: [], result: undefined };
  const started = provider.startStream({ messages: [{ role: 'user', content: 'Hello' }] }, (event) => run.events.push(event), (result) => (run.result = result));
  if (started.isErr()) throw new Error(started.error.message);
  await provider.run();
  return run;
}

t.test('a recorded live exchange keeps no key; the log line names the provider', async (t) => {
  const seen: string[] = [];
  const server = await startLoopback((req, res) => {
    seen.push(String(req.headers['x-api-key']), String(req.headers['anthropic-version']));
    res.writeHead(200, SSE_HEADERS);
    res.end(STREAM.join(''));
  });
  t.teardown(() => server.close());
  const { run, recorder, lines } = await streamRecorded(server.url);
  t.equal(run.result?.isOk() ? run.result.value.text : '', 'Hi there.');
  t.same(seen, [KEY, '2023-06-01'], 'the server got the key and the version');
  const saved = recorder.toJSONL();
  t.ok(saved.isOk());
  const text = saved.isOk() ? saved.value : '';
  t.notMatch(text, KEY);
  t.match(text, /"x-api-key":"\[REDACTED\]"/);
  t.notMatch(lines.join('\n'), KEY);
  t.match(lines.join('\n'), /^Anthropic tokens: /m);
});

t.test('a key the server echoes never reaches the error, the events or the log; the recorder refuses it', async (t) => {
  const server = await startLoopback((req, res) => {
    res.writeHead(401, { 'content-type': 'application/json', 'request-id': 'req_echo' });
    res.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${String(req.headers['x-api-key'])}` } }));
  });
  t.teardown(() => server.close());
  const { run, recorder, lines } = await streamRecorded(server.url);
  const error = run.result?.isErr() ? run.result.error : undefined;
  t.equal(error?.category, 'auth');
  t.equal(error?.requestId, 'req_echo');
  t.notMatch(JSON.stringify(error), KEY);
  t.notMatch(JSON.stringify(run.events), KEY);
  t.notMatch(lines.join('\n'), KEY);
  const saved = recorder.toJSONL();
  t.ok(saved.isErr(), 'a body holding an sk-ant- key is not saved');
  t.notMatch(saved.isErr() ? saved.error.message : '', KEY);
});
