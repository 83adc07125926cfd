import t from 'tap';
import { ScaledClock } from '../../src/http/scaled-clock.js';

const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

t.test('instant: timers fire in deadline order, one per loop turn, and time jumps to each deadline', async (t) => {
  const clock = new ScaledClock('instant', () => 1_000);
  const fired: [string, number][] = [];
  clock.setTimer(300_000, () => fired.push(['idle', clock.now()]));
  clock.setTimer(20, () => fired.push(['chunk-2', clock.now()]));
  clock.setTimer(10, () => {
    fired.push(['chunk-1', clock.now()]);
    // Set from inside a timer: measured from the new now.
    clock.setTimer(5, () => fired.push(['nested', clock.now()]));
  });
  const cleared = clock.setTimer(15, () => fired.push(['cleared', clock.now()]));
  clock.clearTimer(cleared);
  t.equal(clock.now(), 1_000, 'time does not move by itself');
  await turn();
  t.same(fired, [['chunk-1', 1_010]], 'one timer per turn');
  for (let i = 0; i < 5; i++) await turn();
  t.same(fired, [
    ['chunk-1', 1_010],
    ['nested', 1_015],
    ['chunk-2', 1_020],
    ['idle', 301_000],
  ]);
});

t.test('instant: equal deadlines fire in the order they were set; clearing the last timer stops the drain', async (t) => {
  const clock = new ScaledClock('instant', () => 0);
  const fired: string[] = [];
  clock.setTimer(5, () => fired.push('a'));
  clock.setTimer(5, () => fired.push('b'));
  for (let i = 0; i < 3; i++) await turn();
  t.same(fired, ['a', 'b']);
  const id = clock.setTimer(1, () => fired.push('never'));
  clock.clearTimer(id);
  await turn();
  t.same(fired, ['a', 'b']);
  t.equal(clock.now(), 5);
});

t.test('a number scales the wall: now() runs speed times as fast, timers wait ms / speed', async (t) => {
  let wall = 10_000;
  const clock = new ScaledClock(4, () => wall);
  wall += 250;
  t.equal(clock.now(), 11_000, '250 real ms are 1 s of replay time at speed 4');
  const fired = await new Promise<number>((resolve) => {
    const id = clock.setTimer(1_000_000, () => resolve(-1));
    clock.clearTimer(id);
    // 4 ms of replay time is 1 ms of real time.
    clock.setTimer(4, () => resolve(1));
  });
  t.equal(fired, 1, 'the cleared timer never fired; the short one did');
});

t.test('a speed that is not positive is refused', async (t) => {
  t.throws(() => new ScaledClock(0), /positive number or 'instant'/);
  t.throws(() => new ScaledClock(Number.NaN), /positive number/);
});
