import t from 'tap';
import { CancelPrompt, cancelStep, inputFromKey, type CancelInput, type CancelState } from '../../src/cli/cancel-prompt.js';

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
  t.same(inputFromKey('\x03'), interrupt);
  t.same(inputFromKey('ab\x03'), interrupt, 'Ctrl+C anywhere in a read');
  t.same(inputFromKey('y'), key('y'));
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
