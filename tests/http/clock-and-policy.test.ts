import t from 'tap';
import { RealClock, VirtualClock } from '../../src/http/clock.js';
import { providerError } from '../../src/errors/category.js';
import { DEFAULT_RETRY_POLICY, retryDelay } from '../../src/http/retry-policy.js';

t.test('the virtual clock fires timers in deadline order, at their own time', async (t) => {
  const clock = new VirtualClock(100);
  const fired: string[] = [];
  clock.setTimer(30, () => fired.push(`b@${clock.now()}`));
  clock.setTimer(10, () => {
    fired.push(`a@${clock.now()}`);
    clock.setTimer(5, () => fired.push(`nested@${clock.now()}`));
  });
  const cancelled = clock.setTimer(20, () => fired.push('never'));
  clock.setTimer(30, () => fired.push(`b2@${clock.now()}`));
  t.equal(clock.nextDeadline(), 110);
  clock.clearTimer(cancelled);
  clock.advance(29);
  t.same(fired, ['a@110', 'nested@115']);
  clock.advance(1);
  t.same(fired, ['a@110', 'nested@115', 'b@130', 'b2@130'], 'equal deadlines fire in creation order');
  t.equal(clock.now(), 130);
  t.equal(clock.pending, 0);
  t.equal(clock.nextDeadline(), undefined);
});

t.test('the real clock fires and clears timers', async (t) => {
  const clock = new RealClock();
  t.ok(Math.abs(clock.now() - Date.now()) < 1000);
  let fired = false;
  const never = clock.setTimer(0, () => t.fail('cleared timers do not fire'));
  clock.clearTimer(never);
  clock.clearTimer(12345);
  await new Promise<void>((resolve) => clock.setTimer(0, () => resolve((fired = true) && undefined)));
  t.ok(fired);
});

t.test('retry delays: backoff doubles up to a cap, jitter shortens, server hints win within a bound', async (t) => {
  const error = providerError('server', { message: 'x' });
  const noJitter = (): number => 0;
  t.same([2, 3, 4, 5, 6, 9].map((attempt) => retryDelay(error, attempt, DEFAULT_RETRY_POLICY, noJitter)), [500, 1000, 2000, 4000, 8000, 8000]);
  t.equal(retryDelay(error, 2, DEFAULT_RETRY_POLICY, () => 1), 375, 'full jitter takes a quarter off');
  t.equal(retryDelay({ ...error, retryAfterMs: 2000 }, 2, DEFAULT_RETRY_POLICY, noJitter), 2000);
  t.equal(retryDelay({ ...error, retryAfterMs: 0 }, 2, DEFAULT_RETRY_POLICY, noJitter), 0);
  t.equal(retryDelay({ ...error, retryAfterMs: 61_000 }, 2, DEFAULT_RETRY_POLICY, noJitter), undefined);
});
