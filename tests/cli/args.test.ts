import t from 'tap';
import { parseCommandLine, parseFaults, parseSpeed } from '../../src/cli/args.js';

function ok(argv: string[]): unknown {
  const parsed = parseCommandLine(argv);
  if (parsed.isErr()) throw new Error(`unexpected error: ${parsed.error}`);
  return parsed.value;
}

function fails(argv: string[]): string {
  const parsed = parseCommandLine(argv);
  if (parsed.isOk()) throw new Error(`expected an error for ${argv.join(' ')}`);
  return parsed.error;
}

t.test('chat with a question and defaults', async (t) => {
  t.same(ok(['chat', 'what', 'is', 'SSE?']), {
    kind: 'chat',
    options: { provider: 'openai', json: false, render: 'auto', speed: 'recorded', question: 'what is SSE?' },
  });
  t.same(ok(['chat']), { kind: 'chat', options: { provider: 'openai', json: false, render: 'auto', speed: 'recorded' } }, 'no question');
});

t.test('chat with every option', async (t) => {
  const command = ok([
    'chat', '--provider', 'openai', '-m', 'gpt-4.1', '--api', 'responses', '-s', 'be brief', '--max-tokens', '64',
    '-t', '0.5', '--base-url', 'http://localhost:1/v1', '--retries', '0', '--timeout', '2.5', '--json', '--plain',
    '--replay', 'x.jsonl', '--speed', '4', 'hi',
  ]);
  t.same(command, {
    kind: 'chat',
    options: {
      provider: 'openai', model: 'gpt-4.1', api: 'responses', system: 'be brief', maxTokens: 64, temperature: 0.5,
      baseUrl: 'http://localhost:1/v1', retries: 0, timeoutMs: 2500, json: true, render: 'plain', replay: 'x.jsonl', speed: 4, question: 'hi',
    },
  });
  t.match(ok(['chat', '--markdown', '--record', 'out.jsonl', 'q']), { options: { render: 'markdown', record: 'out.jsonl' } });
  t.match(ok(['chat', '--api', 'chat', 'q']), { options: { api: 'chat' } });
});

t.test('demo options', async (t) => {
  t.same(ok(['demo']), { kind: 'demo', options: { streams: 12, speed: 'recorded', plain: false } });
  t.same(ok(['demo', '-n', '3', '--speed', 'instant', '--plain']), { kind: 'demo', options: { streams: 3, speed: 'instant', plain: true } });
  t.same(ok(['demo', '--speed', '1']), { kind: 'demo', options: { streams: 12, speed: 'recorded', plain: false } });
});

t.test('help and version', async (t) => {
  t.same(ok([]), { kind: 'help' }, 'no arguments at all shows help');
  t.same(ok(['--help']), { kind: 'help' });
  t.same(ok(['-h']), { kind: 'help' });
  t.same(ok(['help']), { kind: 'help' });
  t.same(ok(['help', 'chat']), { kind: 'help', topic: 'chat' });
  t.same(ok(['help', 'demo']), { kind: 'help', topic: 'demo' });
  t.same(ok(['chat', '--help']), { kind: 'help', topic: 'chat' });
  t.same(ok(['demo', '-h']), { kind: 'help', topic: 'demo' });
  t.same(ok(['--version']), { kind: 'version' });
  t.same(ok(['chat', '-v']), { kind: 'version' });
});

t.test('usage errors say what is wrong', async (t) => {
  t.match(fails(['talk']), /unknown command "talk"/);
  t.match(fails(['chat', '--base-url', 'localhost:11434/v1', 'q']), /--base-url needs an http:\/\/ or https:\/\/ URL; did you mean http:\/\/localhost:11434\/v1\?/);
  t.match(fails(['chat', '--force', 'q']), /--force applies to --record only/);
  t.match(fails(['help', 'nope']), /no help on "nope"/);
  t.match(fails(['--model', 'x']), /--model needs a command/);
  t.match(fails(['chat', '--bogus']), /Unknown option '--bogus'/);
  t.match(fails(['chat', '--model']), /needs a value/);
  t.match(fails(['demo', '--model', 'x']), /--model is not an option of "llmux demo"/);
  t.match(fails(['chat', '--streams', '3']), /--streams is not an option of "llmux chat"/);
  t.match(fails(['demo', 'extra']), /takes no arguments/);
  t.match(fails(['chat', '--provider', 'acme', 'q']), /unknown provider "acme"/);
  t.match(fails(['chat', '--api', 'soap', 'q']), /--api must be chat or responses/);
  t.match(fails(['chat', '--max-tokens', '0', 'q']), /--max-tokens must be a whole number/);
  t.match(fails(['chat', '--max-tokens', '1.5', 'q']), /--max-tokens/);
  t.match(fails(['chat', '--temperature', '3', 'q']), /--temperature must be a number from 0 to 2/);
  t.match(fails(['chat', '--temperature', '', 'q']), /--temperature/);
  t.match(fails(['chat', '--retries', '-1', 'q']), /--retries/);
  t.match(fails(['chat', '--retries', '11', 'q']), /--retries must be a whole number from 0 to 10/);
  t.match(fails(['chat', '--timeout', '0', 'q']), /--timeout/);
  t.match(fails(['chat', '--record', 'a', '--replay', 'b', 'q']), /cannot be used together/);
  t.match(fails(['chat', '--plain', '--markdown', 'q']), /cannot be used together/);
  t.match(fails(['chat', '--speed', '2', 'q']), /--speed applies to --replay only/);
  t.match(fails(['chat', '--replay', 'x', '--speed', 'fast', 'q']), /--speed must be/);
  t.match(fails(['chat', '--model', ' ', 'q']), /--model needs a value/);
  t.match(fails(['demo', '--streams', '999']), /--streams must be a whole number from 1 to 200/);
  t.match(fails(['demo', '--speed', '0']), /--speed/);
  t.match(fails(['chat', '--fault', 'cut-after:1', 'q']), /--fault applies to --replay only/);
  t.match(fails(['chat', '--record', 'r.jsonl', '--fault', 'cut-after:1', 'q']), /--fault applies to --replay only/);
  t.match(fails(['chat', '--replay', 'x', '--fault', 'explode:1', 'q']), /^--fault: bad fault "explode:1": expected cut-at-byte:N/);
  t.match(fails(['chat', '--replay', 'x', '--fault', 'cut-at-byte:5:x', 'q']), /bad fault "cut-at-byte:5:x"/, 'trailing junk');
  t.match(fails(['chat', '--replay', 'x', '--fault', 'rechunk:bytes', '--fault', 'nope', 'q']), /bad fault "nope"/, 'any bad one of several');
  t.match(fails(['chat', '--replay', 'x', '--fault']), /needs a value/);
  t.match(fails(['demo', '--fault', 'cut-after:1']), /--fault is not an option of "llmux demo"/);
});

t.test('--fault is repeatable and kept in order', async (t) => {
  t.match(ok(['chat', '--replay', 'x.jsonl', '--fault', 'cut-after:2', '--fault', 'rechunk:random:7', 'q']), {
    options: { replay: 'x.jsonl', faults: [{ kind: 'cut_after_event', event: 2 }, { kind: 'rechunk_random', seed: 7 }] },
  });
  t.notOk('faults' in (ok(['chat', '--replay', 'x.jsonl', 'q']) as { options: object }).options, 'absent when none is given');
  t.same(parseFaults([])._unsafeUnwrap(), []);
});

t.test('speed', async (t) => {
  t.same(parseSpeed('instant').isOk() && parseSpeed('instant')._unsafeUnwrap(), 'instant');
  t.equal(parseSpeed('1')._unsafeUnwrap(), 'recorded');
  t.equal(parseSpeed('0.5')._unsafeUnwrap(), 0.5);
  t.ok(parseSpeed('').isErr());
  t.ok(parseSpeed('1001').isErr());
  t.ok(parseSpeed('NaN').isErr());
});
