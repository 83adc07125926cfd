import t from 'tap';
import { terminalInterrupts } from '../../src/cli/interrupts.js';
import { CancelPrompt, cancelStep, inputsFromData, keysOf, type CancelInput, type CancelState } from '../../src/cli/cancel-prompt.js';
import { fakeIo, until } from './helpers/fake-io.js';

const interrupt: CancelInput = { type: 'interrupt' };
const key = (text: string): CancelInput => ({ type: 'key', key: text });

t.test('the transition table', async (t) => {
  const cases: [CancelState, CancelInput, CancelState, string][] = [
    ['idle', { type: 'start' }, 'streaming', 'none'],
    ['idle', interrupt, 'idle', 'exit'],
    ['idle', key('y'), 'idle', 'none'],
    ['idle', { type: 'finished' }, 'idle', 'none'],
    ['streaming', interrupt, 'prompting', 'prompt'],
    ['streaming', key('y'), 'streaming', 'none'],
    ['streaming', key('\x03'), 'prompting', 'prompt'],
    ['streaming', { type: 'finished' }, 'idle', 'none'],
    ['prompting', interrupt, 'idle', 'exit'],
    ['prompting', key('\x03'), 'idle', 'exit'],
    ['prompting', key('y'), 'idle', 'cancel'],
    ['prompting', key('Y'), 'idle', 'cancel'],
    ['prompting', key('yes\r'), 'idle', 'cancel'],
    ['prompting', key('n'), 'streaming', 'resume'],
    ['prompting', key('N'), 'streaming', 'resume'],
    ['prompting', key('no'), 'streaming', 'resume'],
    ['prompting', key('\x1b'), 'streaming', 'resume'],
    ['prompting', key('q'), 'prompting', 'none'],
    ['prompting', key('\r'), 'prompting', 'none'],
    ['prompting', { type: 'finished' }, 'idle', 'dismiss'],
    ['prompting', { type: 'start' }, 'streaming', 'resume'],
  ];
  for (const [from, input, to, action] of cases) {
    t.same(cancelStep(from, input), { state: to, action }, `${from} + ${JSON.stringify(input)}`);
  }
});

t.test('raw input bytes', async (t) => {
  t.same(inputsFromData('\x03'), [interrupt]);
  t.same(inputsFromData('y'), [key('y')]);
  t.same(inputsFromData(''), []);
  t.same(inputsFromData('ab\x03'), [key('a'), key('b'), interrupt], 'Ctrl+C in a read is one input among the others');
  t.same(inputsFromData('n\x03y'), [key('n'), interrupt, key('y')], 'every key, in order');
});

t.test('a read splits into keys, escape sequences whole', async (t) => {
  t.same(keysOf('\x1b[A\x1b[1;5C'), ['\x1b[A', '\x1b[1;5C'], 'arrow keys (CSI)');
  t.same(keysOf('\x1bOP'), ['\x1bOP'], 'F1 (SS3)');
  t.same(keysOf('\x1bn'), ['\x1bn'], 'Alt+n is not Esc then n');
  t.same(keysOf('\x1b'), ['\x1b'], 'a lone Esc');
  t.same(keysOf('\x1b\x03'), ['\x1b', '\x03'], 'Esc never swallows a Ctrl+C');
  t.same(keysOf('y\r\n'), ['y', '\r\n'], 'CRLF is one Enter');
  t.same(keysOf('é😀'), ['é', '😀'], 'characters, not UTF-16 halves');
});

t.test('each key of one read drives the prompt in order', async (t) => {
  const run = (data: string): string[] => {
    const prompt = new CancelPrompt();
    prompt.feed({ type: 'start' });
    prompt.feed(interrupt);
    return inputsFromData(data).map((input) => prompt.feed(input));
  };
  t.same(run('n\x03'), ['resume', 'prompt'], '"n" then Ctrl+C: resumed, then asked again (the n used to be dropped)');
  t.same(run('x\x03'), ['none', 'exit'], 'a stray key, then Ctrl+C at the prompt leaves');
  t.same(run('yes\r'), ['cancel', 'none', 'none', 'none'], 'a typed "yes" cancels once');
  t.same(run('\x1b[A'), ['none'], 'an arrow key is not Esc');
});

t.test('the driver remembers the state', async (t) => {
  const prompt = new CancelPrompt();
  t.equal(prompt.state, 'idle');
  t.equal(prompt.feed({ type: 'start' }), 'none');
  t.equal(prompt.feed(interrupt), 'prompt');
  t.equal(prompt.state, 'prompting');
  t.equal(prompt.feed(key('n')), 'resume');
  t.equal(prompt.feed(interrupt), 'prompt');
  t.equal(prompt.feed(interrupt), 'exit', 'a second Ctrl+C at the prompt leaves');
  t.equal(prompt.state, 'idle');
});

t.test('the terminal delivers every key of a read, from Buffers or strings', async (t) => {
  const io = fakeIo({ stdinTTY: true });
  const interrupts = terminalInterrupts(io);
  t.ok(interrupts.canPrompt);
  const inputs: CancelInput[] = [];
  const stop = interrupts.listen((input) => inputs.push(input));
  t.same(io.stdin.rawModes, [true]);
  io.stdin.write(Buffer.from('n\x03'));
  await until(() => inputs.length === 2, 'the Buffer read');
  io.stdin.setEncoding('utf8');
  io.stdin.write('y\x03');
  await until(() => inputs.length === 4, 'the string read');
  t.same(inputs, [key('n'), interrupt, key('y'), interrupt]);
  stop();
  stop();
  t.same(io.stdin.rawModes, [true, false], 'raw mode off once');
});
