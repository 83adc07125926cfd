import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ansi, stripAnsi } from '../../src/cli/ansi.js';
import { main } from '../../src/cli/run.js';
import { packageRoot, packageVersion } from '../../src/cli/paths.js';
import { startControlled, startFixed } from './helpers/controlled-server.js';
import { fakeIo, until } from './helpers/fake-io.js';
import { errorBody, sseAnswer, SSE_HEADERS, sseFinish, sseStart, sseText } from './helpers/openai-sse.js';

const KEY = { OPENAI_API_KEY: 'sk-test-key-for-loopback' };
const FIXTURES = join(packageRoot(), 'vcr-fixtures', 'openai');

t.test('help, version and usage errors', async (t) => {
  let io = fakeIo();
  t.equal(await main(['--help'], io), 0);
  t.match(io.stdout.text, /Usage:[\s\S]*llmux demo[\s\S]*Exit codes:[\s\S]*130\s+cancelled/);
  io = fakeIo();
  t.equal(await main([], io), 0, 'bare llmux shows help');
  t.match(io.stdout.text, /Usage:/);
  io = fakeIo();
  t.equal(await main(['help', 'chat'], io), 0);
  t.match(io.stdout.text, /Usage: llmux chat/);
  t.match(io.stdout.text, /--fault SPEC +replay with a fault/, 'the chat help lists --fault');
  t.match(io.stdout.text, /--timeout SECONDS[\s\S]*applies per attempt, and a timed-out attempt is retried[\s\S]*\(retries \+ 1\) x SECONDS/, '--timeout says it is per attempt and retried');
  t.match(io.stdout.text, /--record FILE[\s\S]*unless --force overwrites it/);
  io = fakeIo();
  t.equal(await main(['demo', '--help'], io), 0);
  t.match(io.stdout.text, /Usage: llmux demo/);
  io = fakeIo();
  t.equal(await main(['--version'], io), 0);
  t.equal(io.stdout.text, `llmux ${packageVersion()}\n`);
  io = fakeIo();
  t.equal(await main(['chat', '--temperature', 'hot', 'q'], io), 2);
  t.match(io.stderr.text, /^llmux: --temperature must be a number from 0 to 2, not "hot"\nRun "llmux --help"/);
});

t.test('chat streams plain text to a pipe and prints usage on stderr', async (t) => {
  const server = await startControlled();
  t.teardown(() => server.close());
  const io = fakeIo({ env: KEY });
  const run = main(['chat', '--base-url', server.baseUrl, '-m', 'gpt-4.1-mini', '-s', 'Be brief.', '--max-tokens', '50', '-t', '0.2', 'What', 'is', 'SSE?'], io);
  const { req, res, body } = await server.next();
  t.equal(req.url, '/v1/chat/completions');
  t.equal(req.headers.authorization, `Bearer ${KEY.OPENAI_API_KEY}`);
  t.match(JSON.parse(body), {
    model: 'gpt-4.1-mini',
    messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What is SSE?' }],
    max_completion_tokens: 50,
    temperature: 0.2,
    stream: true,
  });
  res.writeHead(200, SSE_HEADERS);
  res.write(sseStart() + sseText('Server-Sent **Events**'));
  await until(() => server.count === 1 && io.stdout.text === '' && res.writableLength === 0, 'the first chunk to be sent');
  t.equal(io.stdout.text, '', 'a pipe gets whole lines only');
  res.end(sseText('\nare one-way.') + sseFinish('stop', 12, 6));
  t.equal(await run, 0);
  t.equal(io.stdout.text, 'Server-Sent **Events**\nare one-way.\n', 'plain: markdown left as is');
  t.equal(io.stderr.text, 'tokens: prompt=12, completion=6, total=18 (model gpt-4o-mini-2024-07-18), cost $0.0000054\n');
  t.equal(io.sigintListeners, 0, 'no SIGINT handler left behind');
});

t.test('--json writes normalized events then one completion line', async (t) => {
  const server = await startControlled();
  t.teardown(() => server.close());
  const io = fakeIo({ env: KEY });
  const run = main(['chat', '--json', '--base-url', server.baseUrl, 'hi'], io);
  const { res } = await server.next();
  res.writeHead(200, SSE_HEADERS);
  res.end(sseAnswer(['Hel', 'lo']));
  t.equal(await run, 0);
  const lines = io.stdout.text.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string });
  t.same(lines.map((line) => line.type), ['start', 'text_delta', 'text_delta', 'done', 'completion']);
  t.match(lines[4], { type: 'completion', ok: true, response: { text: 'Hello', finishReason: 'stop', usage: { input: 5, output: 7, total: 12 } } });
  t.match(io.stderr.text, /^tokens: prompt=5/);
});

t.test('the question can come on stdin', async (t) => {
  const server = await startControlled();
  t.teardown(() => server.close());
  const io = fakeIo({ env: KEY, input: '  from stdin\n' });
  const run = main(['chat', '--base-url', server.baseUrl], io);
  const { res, body } = await server.next();
  t.match(JSON.parse(body), { messages: [{ role: 'user', content: 'from stdin' }] });
  res.writeHead(200, SSE_HEADERS);
  res.end(sseAnswer(['ok']));
  t.equal(await run, 0);
  const empty = fakeIo({ env: KEY, input: '   ' });
  t.equal(await main(['chat'], empty), 2);
  t.match(empty.stderr.text, /no question/);
});

interface ErrorCase {
  readonly name: string;
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: string;
  readonly code: number;
  readonly line: RegExp;
}

const ERROR_CASES: readonly ErrorCase[] = [
  { name: '401', status: 401, body: errorBody('Incorrect API key provided: sk-te**ey.', 'invalid_request_error', 'invalid_api_key'), code: 3, line: /^error \(auth\): .*Incorrect API key.* — the server at 127\.0\.0\.1:\d+ refused the key; set the key that server expects \(OPENAI_API_KEY/ },
  {
    name: '429 with Retry-After',
    status: 429,
    headers: { 'retry-after': '120' },
    body: errorBody('Rate limit reached for requests', 'requests', 'rate_limit_exceeded'),
    code: 4,
    line: /^error \(rate_limit\): .*Rate limit reached for requests.* \(retry in 120 s\) — /,
  },
  { name: '500', status: 500, body: errorBody('The server had an error', 'server_error', null), code: 8, line: /^error \(server\): .*The server had an error.* — / },
  { name: '404', status: 404, body: errorBody('The model `nope` does not exist', 'invalid_request_error', 'model_not_found'), code: 5, line: /^error \(not_found\): / },
  { name: '400', status: 400, body: errorBody('Bad temperature', 'invalid_request_error', null), code: 5, line: /^error \(invalid_arg\): / },
];

for (const c of ERROR_CASES) {
  t.test(`HTTP ${c.name}: one clear line and its exit code`, async (t) => {
    const server = await startFixed(c.status, { 'content-type': 'application/json', ...c.headers }, c.body);
    t.teardown(() => server.close());
    const io = fakeIo({ env: KEY });
    t.equal(await main(['chat', '--retries', '0', '--base-url', `${server.url}/v1`, 'hi'], io), c.code);
    t.equal(io.stdout.text, '');
    t.match(io.stderr.text, c.line);
    t.equal(io.stderr.text.trimEnd().split('\n').length, 1, 'one line');
  });
}

t.test('a 200 that is not an event stream is a protocol error', async (t) => {
  const server = await startFixed(200, { 'content-type': 'text/html' }, '<html>login</html>');
  t.teardown(() => server.close());
  const io = fakeIo({ env: KEY });
  t.equal(await main(['chat', '--retries', '0', '--base-url', `${server.url}/v1`, 'hi'], io), 10);
  t.match(io.stderr.text, /^error \(protocol\): /);
});

t.test('network and timeout errors', async (t) => {
  const closed = await startFixed(200, {}, '');
  const url = `${closed.url}/v1`;
  await closed.close();
  let io = fakeIo({ env: KEY });
  t.equal(await main(['chat', '--retries', '0', '--base-url', url, 'hi'], io), 6);
  t.match(io.stderr.text, /^error \(network\): .*ECONNREFUSED.* — Check the network/);

  const server = await startControlled();
  t.teardown(() => server.close());
  io = fakeIo({ env: KEY });
  const run = main(['chat', '--retries', '0', '--timeout', '0.05', '--base-url', server.baseUrl, 'hi'], io);
  await server.next();
  t.equal(await run, 7);
  t.match(io.stderr.text, /^error \(timeout\): timed out waiting for response headers .* — /);
});

t.test('a stream that fails midway keeps the partial answer and reports the error', async (t) => {
  const server = await startControlled();
  t.teardown(() => server.close());
  const io = fakeIo({ env: KEY });
  const run = main(['chat', '--base-url', server.baseUrl, 'hi'], io);
  const { res } = await server.next();
  res.writeHead(200, SSE_HEADERS);
  res.end(sseStart() + sseText('half an ans'));
  t.equal(await run, 10);
  t.equal(io.stdout.text, 'half an ans\n');
  t.match(io.stderr.text, /^error \(protocol\): /);
});

t.test('missing key: the provider says which variable, and the demo is suggested', async (t) => {
  let io = fakeIo({ env: {} });
  t.equal(await main(['chat', 'hi'], io), 3);
  t.match(io.stderr.text, /^error \(auth\): No OpenAI API key: set the OPENAI_API_KEY environment variable/);
  t.match(io.stderr.text, /llmux demo/);
  t.equal(io.stdout.text, '');
  io = fakeIo({ env: {} });
  t.equal(await main(['chat', '--json', 'hi'], io), 3);
  t.match(JSON.parse(io.stdout.text), { type: 'completion', ok: false, error: { category: 'auth' } }, '--json still ends with a completion line');
});

t.test('bad configuration from the provider', async (t) => {
  const io = fakeIo({ env: KEY });
  t.equal(await main(['chat', '--base-url', 'ftp://example.com', 'hi'], io), 5);
  t.match(io.stderr.text, /^error \(invalid_arg\): Invalid OpenAI base URL/);
});

t.test('--replay plays a cassette with no key and no network', async (t) => {
  const io = fakeIo({ env: {} });
  t.equal(await main(['chat', '--replay', join(FIXTURES, 'chat-429-then-200.jsonl'), '--speed', 'instant', 'Hello!'], io), 0);
  t.equal(io.stdout.text, 'Hi! How can I help?\n');
  t.match(io.stderr.text, /^tokens: prompt=9, completion=7, total=16/);

  const failing = fakeIo({ env: {} });
  t.equal(await main(['chat', '--replay', join(FIXTURES, 'chat-500.jsonl'), '--speed', 'instant', 'Hello!'], failing), 8, 'no retry beyond the recording');
  t.match(failing.stderr.text, /^error \(server\): /);
  t.equal(failing.stderr.text.trimEnd().split('\n').length, 1);

  const mismatch = fakeIo({ env: {} });
  t.equal(await main(['chat', '--replay', join(FIXTURES, 'chat-401.jsonl'), '--speed', 'instant', 'Something else'], mismatch), 2, 'a request the cassette does not hold is a usage error');
  t.match(mismatch.stderr.text, /recorded "Hello!", got "Something else"/, 'it says what differed');
  t.match(mismatch.stderr.text, /a replay must send what was recorded: the same URL .*model .*and question/);
  t.notMatch(mismatch.stderr.text, /model name/, 'not the provider hint about model names');
  t.match(mismatch.stderr.text, /no recorded exchange matches/);

  const missing = fakeIo({ env: {} });
  t.equal(await main(['chat', '--replay', join(FIXTURES, 'no-such-cassette.jsonl'), 'x'], missing), 2);
  t.match(missing.stderr.text, /^llmux: cassette: .*no-such-cassette\.jsonl does not exist; record it first with --record .*no-such-cassette\.jsonl/);
  t.notMatch(missing.stderr.text, /LLMUX_VCR/, 'the CLI names its flag, not the library environment variable');
});

t.test('--fault breaks a replay the way a real stream breaks', async (t) => {
  const cassette = join(FIXTURES, 'chat-429-then-200.jsonl');
  const cut = fakeIo({ env: {} });
  t.equal(await main(['chat', '--replay', cassette, '--speed', 'instant', '--fault', 'cut-after:1', 'Hello!'], cut), 10);
  t.match(cut.stderr.text, /^error \(protocol\): .*after 1 SSE events/, 'the 429 was retried as recorded; the 200 was cut');
  const reset = fakeIo({ env: {} });
  t.equal(await main(['chat', '--replay', cassette, '--speed', 'instant', '--fault', 'reset-after:1', 'Hello!'], reset), 6);
  t.match(reset.stderr.text, /ECONNRESET/);
  const rechunked = fakeIo({ env: {} });
  t.equal(await main(['chat', '--replay', cassette, '--speed', 'instant', '--fault', 'rechunk:bytes', '--fault', 'rechunk:random:3', 'Hello!'], rechunked), 0);
  t.equal(rechunked.stdout.text, 'Hi! How can I help?\n', 'any chunking, the same answer');
  const bad = fakeIo({ env: {} });
  t.equal(await main(['chat', '--replay', cassette, '--fault', 'cut-after:x', 'Hello!'], bad), 2);
  t.match(bad.stderr.text, /^llmux: --fault: bad fault "cut-after:x"/);
});

t.test('--replay edges: a key in the environment, --api, a provider that cannot start, a question on stdin', async (t) => {
  const cassette = join(FIXTURES, 'chat-429-then-200.jsonl');
  for (const key of ['sk-unused', '  ']) {
    const io = fakeIo({ env: { OPENAI_API_KEY: key } });
    t.equal(await main(['chat', '--replay', cassette, '--speed', 'instant', '--api', 'chat', 'Hello!'], io), 0, `OPENAI_API_KEY=${JSON.stringify(key)}`);
    t.equal(io.stdout.text, 'Hi! How can I help?\n');
  }
  const refused = fakeIo({ env: {} });
  t.equal(await main(['chat', '--replay', cassette, '--base-url', 'ftp://example.com', 'Hello!'], refused), 5, 'the cassette is released too');
  const piped = fakeIo({ env: {}, input: 'Hello!\n' });
  piped.stdin.setEncoding('utf8');
  t.equal(await main(['chat', '--replay', cassette, '--speed', 'instant'], piped), 0, 'stdin read as strings');
  t.equal(piped.stdout.text, 'Hi! How can I help?\n');
});

t.test('--record saves a redacted cassette that --replay plays back', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'llmux-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const cassette = join(dir, 'nested', 'answer.jsonl');
  const server = await startControlled();
  t.teardown(() => server.close());
  const io = fakeIo({ env: KEY });
  const run = main(['chat', '--record', cassette, '--base-url', server.baseUrl, 'record me'], io);
  const { res } = await server.next();
  res.writeHead(200, SSE_HEADERS);
  res.end(sseAnswer(['recorded ', 'answer']));
  t.equal(await run, 0);
  const text = await readFile(cassette, 'utf8');
  t.match(text, /"authorization":"\[REDACTED\]"/);
  t.notMatch(text, /sk-test-key/);
  const replay = fakeIo({ env: {} });
  t.equal(await main(['chat', '--replay', cassette, '--speed', 'instant', '--base-url', server.baseUrl, 'record me'], replay), 0);
  t.equal(replay.stdout.text, 'recorded answer\n');
  t.equal(server.count, 1, 'the replay never reached the server');
});

t.test('--record writes nothing when nothing was sent', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'llmux-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const io = fakeIo({ env: {} });
  t.equal(await main(['chat', '--record', join(dir, 'x.jsonl'), 'hi'], io), 3);
  await t.rejects(readFile(join(dir, 'x.jsonl')), { code: 'ENOENT' });
});

t.test('a recording that cannot be saved is reported', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'llmux-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const server = await startControlled();
  t.teardown(() => server.close());
  const io = fakeIo({ env: KEY });
  // The directory exists where the file should go: the save fails.
  const run = main(['chat', '--record', dir, '--base-url', server.baseUrl, 'x'], io);
  const { res } = await server.next();
  res.writeHead(200, SSE_HEADERS);
  res.end(sseAnswer(['y']));
  t.equal(await run, 1);
  t.match(io.stderr.text, /llmux: cassette: could not write/);
});

t.test('on a terminal: spinner, Markdown, and the answer as it arrives', async (t) => {
  const server = await startControlled();
  t.teardown(() => server.close());
  const io = fakeIo({ env: KEY, stdoutTTY: true, stderrTTY: true });
  const run = main(['chat', '--base-url', server.baseUrl, 'hi'], io);
  const { res } = await server.next();
  await until(() => io.stderr.text.includes('waiting for gpt-4o-mini'), 'the spinner');
  res.writeHead(200, SSE_HEADERS);
  res.write(sseStart() + sseText('# Title\nsome **bo'));
  await until(() => io.stdout.text.includes('some **bo'), 'the unfinished line before its newline');
  t.ok(io.stderr.text.endsWith(`\r${ansi.clearLine}`), 'the spinner erased itself at the first event');
  res.end(sseText('ld** text') + sseFinish());
  t.equal(await run, 0);
  t.ok(io.stdout.text.startsWith(`${ansi.bold}${ansi.underline}${ansi.magenta}Title${ansi.reset}\n`), 'heading rendered');
  t.ok(io.stdout.text.includes(`some ${ansi.bold}bold${ansi.reset} text`), 'bold rendered once the line completed');
  t.ok(io.stdout.text.endsWith('\n'));
  t.match(io.stderr.text, /tokens: prompt=5, completion=7, total=12/);

  const plain = fakeIo({ env: KEY, stdoutTTY: true });
  const again = main(['chat', '--plain', '--base-url', server.baseUrl, 'hi'], plain);
  const second = await server.next();
  second.res.writeHead(200, SSE_HEADERS);
  second.res.end(sseAnswer(['**raw**']));
  t.equal(await again, 0);
  t.equal(plain.stdout.text, '**raw**\n', '--plain on a terminal');
  t.equal(plain.stderr.text, 'tokens: prompt=5, completion=7, total=12 (model gpt-4o-mini-2024-07-18), cost $0.00000495\n', 'no spinner when stderr is not a terminal');

  const forced = fakeIo({ env: KEY });
  const third = main(['chat', '--markdown', '--base-url', server.baseUrl, 'hi'], forced);
  const answer = await server.next();
  answer.res.writeHead(200, SSE_HEADERS);
  answer.res.end(sseAnswer(['**md**', ' (finished)'], 'length'));
  t.equal(await third, 0);
  t.equal(forced.stdout.text, `${ansi.bold}md${ansi.reset} (finished)\n`, '--markdown on a pipe');
  t.match(forced.stderr.text, /^\[the answer was cut at the token limit\]\n/);
});

/** A terminal session: raw-mode stdin the test types into. */
function terminal(): ReturnType<typeof fakeIo> {
  return fakeIo({ env: KEY, stdoutTTY: true, stderrTTY: true, stdinTTY: true });
}

t.test('Ctrl+C asks; n goes on without losing text; y cancels with one cancelled completion', async (t) => {
  const server = await startControlled();
  t.teardown(() => server.close());
  const io = terminal();
  const run = main(['chat', '--base-url', server.baseUrl, 'hi'], io);
  const { res } = await server.next();
  res.writeHead(200, SSE_HEADERS);
  res.write(sseStart() + sseText('Hello '));
  await until(() => io.stdout.text.includes('Hello'), 'the first words');
  t.ok(io.stdin.isRaw, 'stdin in raw mode while streaming');
  io.stdin.write('\x03');
  await until(() => io.stderr.text.includes('Cancel response? [y/n]: '), 'the prompt');
  res.write(sseText('world, '));
  await until(() => res.writableLength === 0, 'the chunk to leave');
  // Let the engine take it in; the screen must not change while the prompt is up.
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
  t.notMatch(io.stdout.text, /world/, 'held while the prompt is up');
  io.stdin.write('x');
  io.stdin.write('n');
  await until(() => io.stdout.text.includes('world, '), 'the held text after n');
  io.stdin.write('\x03');
  await until(() => io.stderr.text.split('Cancel response?').length === 3, 'the second prompt');
  const closed = server.loopback.socketClosed();
  io.stdin.write('y');
  t.equal(await run, 130);
  await closed;
  t.pass('the socket was released');
  t.match(stripAnsi(io.stdout.text), /Hello world, \n$/, 'the partial answer stays');
  t.match(io.stderr.text, /\[cancelled\]\n$/);
  t.notOk(io.stdin.isRaw, 'raw mode restored');
  t.equal(io.sigintListeners, 0);
});

t.test('--json: a cancel gives exactly one cancelled completion', async (t) => {
  const server = await startControlled();
  t.teardown(() => server.close());
  const io = terminal();
  const run = main(['chat', '--json', '--base-url', server.baseUrl, 'hi'], io);
  const { res } = await server.next();
  res.writeHead(200, SSE_HEADERS);
  res.write(sseStart() + sseText('part'));
  await until(() => io.stdout.text.includes('part'), 'the first event');
  io.stdin.write('\x03');
  await until(() => io.stderr.text.includes('Cancel response?'), 'the prompt');
  io.stdin.write('y');
  t.equal(await run, 130);
  const lines = io.stdout.text.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; ok?: boolean; error?: { category: string } });
  const completions = lines.filter((line) => line.type === 'completion');
  t.equal(completions.length, 1);
  t.match(completions[0], { ok: false, error: { category: 'cancelled' } });
  t.notOk(lines.some((line) => line.type === 'done' || line.type === 'error'), 'no event after the cancel');
});

t.test('a second Ctrl+C at the prompt leaves with 130', async (t) => {
  const server = await startControlled();
  t.teardown(() => server.close());
  const io = terminal();
  const run = main(['chat', '--base-url', server.baseUrl, 'hi'], io);
  await server.next();
  await until(() => io.stderr.text.includes('waiting for'), 'the spinner');
  io.stdin.write('\x03');
  await until(() => io.stderr.text.includes('Cancel response?'), 'the prompt while waiting');
  io.stdin.write('\x03');
  t.equal(await run, 130);
  t.match(io.stderr.text, /\[cancelled\]\n$/);
});

t.test('the stream ending while the prompt is up dismisses it', async (t) => {
  const server = await startControlled();
  t.teardown(() => server.close());
  const io = terminal();
  const run = main(['chat', '--base-url', server.baseUrl, 'hi'], io);
  const { res } = await server.next();
  res.writeHead(200, SSE_HEADERS);
  res.write(sseStart());
  await until(() => !io.stderr.text.endsWith('s'), 'the first event');
  io.stdin.write('\x03');
  await until(() => io.stderr.text.includes('Cancel response?'), 'the prompt');
  io.stdin.write('n');
  io.stdin.write('\x03');
  res.end(sseText('all of it') + sseFinish());
  t.equal(await run, 0);
  t.match(stripAnsi(io.stdout.text), /all of it\n$/);
  t.match(io.stderr.text, /tokens: /);
});

t.test('SIGINT without a terminal to answer on cancels and exits 130', async (t) => {
  const server = await startControlled();
  t.teardown(() => server.close());
  const io = fakeIo({ env: KEY });
  const run = main(['chat', '--base-url', server.baseUrl, 'hi'], io);
  const { res } = await server.next();
  res.writeHead(200, SSE_HEADERS);
  res.write(sseStart() + sseText('line one\npart'));
  await until(() => io.stdout.text.includes('line one'), 'the first line');
  io.sigint();
  t.equal(await run, 130);
  t.equal(io.stdout.text, 'line one\npart\n');
  t.equal(io.stderr.text, '[cancelled]\n');
});

t.test('interactive conversation: history, commands, cancel, exit', async (t) => {
  const server = await startControlled();
  t.teardown(() => server.close());
  const io = terminal();
  const run = main(['chat', '--retries', '0', '--base-url', server.baseUrl], io);
  await until(() => io.stdout.text.includes('> '), 'the first prompt');
  t.match(io.stderr.text, /llmux chat with openai \(gpt-4o-mini\)/);
  io.stdin.write('hello\r');
  let turn = await server.next();
  t.match(JSON.parse(turn.body), { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });
  turn.res.writeHead(200, SSE_HEADERS);
  turn.res.end(sseAnswer(['Hi there!']));
  await until(() => io.stderr.text.includes('tokens:'), 'the first answer');
  const prompts = (): number => io.stdout.text.split('> ').length - 1;
  await until(() => prompts() >= 2, 'the second prompt');
  io.stdin.write('/model gpt-4.1\r');
  await until(() => io.stderr.text.includes('(model: gpt-4.1)'), 'the model switch');
  await until(() => prompts() >= 3, 'a prompt');
  io.stdin.write('/model\r');
  await until(() => io.stderr.text.includes('model: gpt-4.1\n'), 'the model shown');
  await until(() => prompts() >= 4, 'a prompt');
  io.stdin.write('/help\r');
  await until(() => io.stderr.text.includes('/clear'), 'the help');
  await until(() => prompts() >= 5, 'a prompt');
  io.stdin.write('/what\r');
  await until(() => io.stderr.text.includes('unknown command /what'), 'the unknown command');
  await until(() => prompts() >= 6, 'a prompt');
  io.stdin.write('   \r');
  await until(() => prompts() >= 7, 'a prompt after an empty line');
  io.stdin.write('again\r');
  turn = await server.next();
  t.match(JSON.parse(turn.body), {
    model: 'gpt-4.1',
    messages: [
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: 'Hi there!' },
      { role: 'user', content: 'again' },
    ],
  });
  turn.res.writeHead(200, SSE_HEADERS);
  turn.res.write(sseStart() + sseText('partial reply'));
  await until(() => io.stdout.text.includes('partial reply'), 'the partial reply');
  io.stdin.write('\x03');
  await until(() => io.stderr.text.includes('Cancel response?'), 'the prompt');
  io.stdin.write('y');
  await until(() => io.stderr.text.includes('[cancelled]'), 'the cancel');
  await until(() => prompts() >= 8, 'the prompt after the cancel');
  io.stdin.write('go on\r');
  turn = await server.next();
  t.match(JSON.parse(turn.body), {
    messages: [{}, {}, { content: 'again' }, { role: 'assistant', content: 'partial reply' }, { role: 'user', content: 'go on' }],
  }, 'what was shown stays in the conversation');
  turn.res.writeHead(500, { 'content-type': 'application/json' });
  turn.res.end(errorBody('boom', 'server_error', null));
  await until(() => io.stderr.text.includes('error (server)'), 'the error');
  await until(() => prompts() >= 9, 'the prompt after the error');
  io.stdin.write('/clear\r');
  await until(() => io.stderr.text.includes('(conversation cleared)'), 'the clear');
  await until(() => prompts() >= 10, 'a prompt');
  io.stdin.write('fresh\r');
  turn = await server.next();
  t.match(JSON.parse(turn.body), { messages: [{ role: 'user', content: 'fresh' }] });
  t.equal((JSON.parse(turn.body) as { messages: unknown[] }).messages.length, 1, 'forgotten after /clear and the failed turn dropped');
  turn.res.writeHead(200, SSE_HEADERS);
  turn.res.end(sseAnswer(['ok']));
  await until(() => prompts() >= 11, 'a prompt');
  io.stdin.write('/exit\r');
  t.equal(await run, 0);
  t.notOk(io.stdin.isRaw);
});

t.test('interactive: Ctrl+D leaves with 0, Ctrl+C at the prompt with 130, twice Ctrl+C while streaming with 130', async (t) => {
  const server = await startControlled();
  t.teardown(() => server.close());
  let io = terminal();
  let run = main(['chat', '--base-url', server.baseUrl], io);
  await until(() => io.stdout.text.includes('> '), 'the prompt');
  io.stdin.write('\x04');
  t.equal(await run, 0);

  io = terminal();
  run = main(['chat', '--base-url', server.baseUrl], io);
  await until(() => io.stdout.text.includes('> '), 'the prompt');
  io.stdin.write('\x03');
  t.equal(await run, 130);

  io = terminal();
  run = main(['chat', '--base-url', server.baseUrl], io);
  await until(() => io.stdout.text.includes('> '), 'the prompt');
  io.stdin.write('q\r');
  await server.next();
  await until(() => io.stderr.text.includes('waiting for'), 'the spinner');
  io.stdin.write('\x03');
  await until(() => io.stderr.text.includes('Cancel response?'), 'the cancel prompt');
  io.stdin.write('\x03');
  t.equal(await run, 130);
});

t.test('interactive without a key says so before the first prompt', async (t) => {
  const io = fakeIo({ env: {}, stdoutTTY: true, stderrTTY: true, stdinTTY: true });
  t.equal(await main(['chat'], io), 3);
  t.notMatch(io.stdout.text, /> /, 'no prompt was shown');
  t.notMatch(io.stderr.text, /llmux chat with/, 'no conversation was opened');
  t.match(io.stderr.text, /^(\u001b\[31m)?error \(auth\)(\u001b\[0m)?: No OpenAI API key: set the OPENAI_API_KEY[\s\S]*llmux demo/, 'the key error comes first');
  // A keyless OpenAI-compatible server needs none: the conversation opens.
  const server = await startControlled();
  t.teardown(() => server.close());
  const local = fakeIo({ env: {}, stdoutTTY: true, stderrTTY: true, stdinTTY: true });
  const run = main(['chat', '--base-url', server.baseUrl], local);
  await until(() => local.stdout.text.includes('> '), 'the prompt');
  local.stdin.write('\x04');
  t.equal(await run, 0);
});

t.test('--record refuses to overwrite an existing cassette unless --force', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'llmux-record-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'kept.jsonl');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path, 'precious');
  const refused = fakeIo({ env: KEY });
  t.equal(await main(['chat', '--record', path, 'x'], refused), 2);
  t.match(refused.stderr.text, /kept\.jsonl already exists; pass --force to overwrite it/);
  t.equal(await readFile(path, 'utf8'), 'precious', 'the file is untouched');
  const forced = fakeIo({ env: {} });
  // Forced, the run goes on to the missing key (exit 3): the cassette check let it through.
  t.equal(await main(['chat', '--record', path, '--force', 'x'], forced), 3);
  t.equal(await readFile(path, 'utf8'), 'precious', 'nothing was sent, so nothing was written');
});

t.test('CLI error lines: the request id, CLI flags in hints, no OpenAI key page for another server', async (t) => {
  const body = errorBody('Incorrect API key provided: sk-te**ey.', 'invalid_request_error', 'invalid_api_key');
  const server = await startFixed(401, { 'content-type': 'application/json', 'x-request-id': 'req_cli_401' }, body);
  t.teardown(() => server.close());
  const io = fakeIo({ env: KEY });
  t.equal(await main(['chat', '--retries', '0', '--base-url', `${server.url}/v1`, 'hi'], io), 3);
  t.match(io.stderr.text, /\[request req_cli_401\]/, 'the id to quote to support');
  t.notMatch(io.stderr.text, /platform\.openai\.com/, 'a local server is not OpenAI');
  t.notMatch(io.stderr.text, /createOpenAI/, 'no library API in a CLI hint');
});
