import t from 'tap';
import { VirtualClock } from '../../src/http/clock.js';
import { HttpMulti } from '../../src/http/multi.js';
import { ManualDispatcher } from '../helpers/manual-dispatcher.js';
import { ScriptedSink } from '../helpers/scripted-sink.js';

const REQUEST = { method: 'POST', url: 'http://127.0.0.1:9/stream', headers: {} } as const;

// The default reporter of callback exceptions must not write once per throw: a buggy
// callback under load would flood stderr, and a stderr pipe nobody drains then keeps the
// host's process alive on a pending write (the chaos test hung this way under tap).
t.test('without onCallbackError, many throwing callbacks give one warning and a count', async (t) => {
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning.message);
  process.on('warning', onWarning);
  t.teardown(() => void process.off('warning', onWarning));
  const dispatcher = new ManualDispatcher();
  const multi = new HttpMulti({ dispatcher, clock: new VirtualClock(), random: () => 0 });
  for (let i = 0; i < 5; i++) {
    const sink = new ScriptedSink({
      onCancel: () => {
        throw new Error(`completion bug ${i}`);
      },
    });
    const handle = multi.add(REQUEST, sink);
    t.ok('id' in handle);
    t.equal(multi.cancel(handle as Parameters<HttpMulti['cancel']>[0]), true);
  }
  multi.infoRead();
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(multi.callbackErrors, 5, 'every throw is counted');
  const ours = warnings.filter((message) => message.startsWith('llmux: a callback threw'));
  t.equal(ours.length, 1, 'one warning for the engine');
  t.match(ours[0] ?? '', /completion bug 0/, 'the first throw, with its message');
  t.match(ours[0] ?? '', /pass onCallbackError to see each/, 'and how to see them all');
  await multi.close();
});

t.test('with onCallbackError, each throw reaches it and no warning is printed', async (t) => {
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning.message);
  process.on('warning', onWarning);
  t.teardown(() => void process.off('warning', onWarning));
  const reported: unknown[] = [];
  const multi = new HttpMulti({ dispatcher: new ManualDispatcher(), clock: new VirtualClock(), onCallbackError: (error) => reported.push(error) });
  for (let i = 0; i < 3; i++) {
    const handle = multi.add(REQUEST, new ScriptedSink({ onCancel: () => { throw new Error(`bug ${i}`); } }));
    if ('id' in handle) multi.cancel(handle);
  }
  multi.infoRead();
  await new Promise((resolve) => setImmediate(resolve));
  t.same(reported.map((error) => (error as Error).message), ['bug 0', 'bug 1', 'bug 2']);
  t.equal(multi.callbackErrors, 3);
  t.same(warnings.filter((message) => message.startsWith('llmux')), []);
  await multi.close();
});
