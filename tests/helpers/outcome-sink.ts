import type { TransferOutcome, TransferSink } from '../../src/http/types.js';

/** A sink for engine-level tests that expect no HTTP response: it only records completions. */
export function outcomeSink(outcomes: TransferOutcome[] = []): TransferSink {
  return {
    delivered: false,
    onResponse: () => undefined,
    onData: () => undefined,
    onCancel: () => undefined,
    reset: () => undefined,
    describeHttpError: () => {
      throw new Error('no HTTP response is expected');
    },
    finish: () => undefined,
    complete: (outcome) => void outcomes.push(outcome),
  };
}
