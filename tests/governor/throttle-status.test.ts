import t from 'tap';
import { spinnerProbe } from '../helpers/spinner-probe.js';

t.test('the spinner shows the rate governor wait, counting down, and its own label once it is over', async (t) => {
  const { status, at } = spinnerProbe('waiting for gpt-test');
  t.match(at(0), /waiting for gpt-test$/);
  status.onThrottle({ provider: 'openai', model: 'gpt-test', origin: 'https://api.openai.com', reason: 'window', resumeInMs: 12_000, queued: 3 });
  t.match(at(80), /waiting for rate limit \(resets in 12 s\)$/);
  t.match(at(7_000), /resets in 5 s\)$/);
  t.match(at(12_080), /waiting for gpt-test 12s$/, 'the wait is over');
  status.onThrottle({ provider: 'openai', model: 'gpt-test', origin: 'x', reason: 'slow_start', resumeInMs: undefined, queued: 1 });
  t.equal(status.message(), 'waiting for rate limit');
  status.clear();
  t.equal(status.message(), undefined);
});
