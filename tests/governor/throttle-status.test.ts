import t from 'tap';
import { ThrottleStatus } from '../../src/cli/throttle-status.js';
import { Spinner } from '../../src/cli/spinner.js';

t.test('the spinner shows the rate governor wait, counting down, and its own label once it is over', async (t) => {
  let now = 0;
  const status = new ThrottleStatus(() => now);
  const written: string[] = [];
  const spinner = new Spinner({ write: (text) => written.push(text), now: () => now, label: 'waiting for gpt-test', color: false, status: status.message });
  spinner.start();
  t.match(written.at(-1), /waiting for gpt-test$/);
  status.onThrottle({ provider: 'openai', model: 'gpt-test', origin: 'https://api.openai.com', reason: 'window', resumeInMs: 12_000, queued: 3 });
  now = 80;
  spinner.tick();
  t.match(written.at(-1), /waiting for rate limit \(resets in 12 s\)$/);
  now = 7_000;
  spinner.tick();
  t.match(written.at(-1), /resets in 5 s\)$/);
  now = 12_080;
  spinner.tick();
  t.match(written.at(-1), /waiting for gpt-test 12s$/, 'the wait is over');
  status.onThrottle({ provider: 'openai', model: 'gpt-test', origin: 'x', reason: 'slow_start', resumeInMs: undefined, queued: 1 });
  t.equal(status.message(), 'waiting for rate limit');
  status.clear();
  t.equal(status.message(), undefined);
});
