import t from 'tap';
import { Dispatcher } from 'undici';
import { providerError } from '../../src/errors/category.js';
import { VirtualClock } from '../../src/http/clock.js';
import { DispatchFailure } from '../../src/http/dispatch-failure.js';
import { HttpMulti } from '../../src/http/multi.js';
import { NO_MATCH_CODE, ReplayDispatcher } from '../../src/vcr/replay-dispatcher.js';
import { ioTurn } from '../helpers/harness.js';
import { describeOutcome, ScriptedSink } from '../helpers/scripted-sink.js';

/** Fails every request with the error it was built with, as a policy layer or a test double would. */
class RefusingDispatcher extends Dispatcher {
  dispatched = 0;
  readonly #error: Error;

  constructor(error: Error) {
    super();
    this.#error = error;
  }

  override dispatch(_options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.dispatched++;
    setImmediate(() => handler.onResponseError?.(undefined as unknown as Dispatcher.DispatchController, this.#error));
    return true;
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }

  override destroy(): Promise<void> {
    return Promise.resolve();
  }
}

/** One request through `dispatcher` until its outcome; a retry's backoff passes on the virtual clock. */
async function outcomeThrough(dispatcher: Dispatcher, maxRetries = 3): Promise<ScriptedSink> {
  const clock = new VirtualClock();
  const multi = new HttpMulti({ dispatcher, clock, maxRetries, random: () => 0 });
  const sink = new ScriptedSink();
  multi.add({ method: 'POST', url: 'http://127.0.0.1:9/x', headers: {} }, sink);
  for (let i = 0; i < 20 && sink.outcomes.length === 0; i++) {
    await ioTurn();
    multi.perform();
    multi.infoRead();
    if (multi.timeout() > 0) clock.advance(multi.timeout());
  }
  await multi.close();
  return sink;
}

t.test('a DispatchFailure ends the request with exactly its ProviderError, not retried', async (t) => {
  const failure = providerError('auth', { message: 'the policy layer refused this key', providerCode: 'POLICY' });
  const dispatcher = new RefusingDispatcher(new DispatchFailure(failure));
  const sink = await outcomeThrough(dispatcher);
  t.equal(describeOutcome(sink.outcomes[0]), 'auth: the policy layer refused this key');
  t.match(sink.outcomes[0], { kind: 'failed', error: { providerCode: 'POLICY', retryable: false, attempts: 1 } });
  t.equal(dispatcher.dispatched, 1, 'auth is not retryable: one attempt');
});

t.test('a DispatchFailure that says retryable is retried like any network failure', async (t) => {
  const failure = providerError('network', { message: 'try again', retryable: true });
  const dispatcher = new RefusingDispatcher(new DispatchFailure(failure, { code: 'X_AGAIN' }));
  const sink = await outcomeThrough(dispatcher, 1);
  t.equal(dispatcher.dispatched, 2);
  t.match(sink.outcomes[0], { kind: 'failed', error: { message: 'try again', attempts: 2 } });
});

t.test('a replay miss reaches the engine as a non-retryable invalid_arg carrying the VCR code', async (t) => {
  const sink = await outcomeThrough(new ReplayDispatcher({ exchanges: [] }, { name: 'empty.jsonl' }));
  t.match(sink.outcomes[0], {
    kind: 'failed',
    error: { category: 'invalid_arg', providerCode: NO_MATCH_CODE, retryable: false, attempts: 1, message: /^VCR in empty\.jsonl: no recorded exchange matches POST/ },
  });
});

t.test('its code and name stay visible to handlers that read them', async (t) => {
  const error = new DispatchFailure(providerError('invalid_arg', { message: 'no' }), { code: 'MY_CODE', name: 'MyError' });
  t.equal(error.code, 'MY_CODE');
  t.equal(error.name, 'MyError');
  t.equal(error.message, 'no');
  t.ok(error instanceof Error);
});
