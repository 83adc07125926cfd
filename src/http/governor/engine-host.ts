import type { ProviderError } from '../../errors/category.js';
import type { Phases } from '../phases.js';
import type { Transfer } from '../transfer.js';
import { Governor } from './governor.js';
import type { GovernorOptions } from './types.js';

export type { Governor };

/** The engine's governor (undefined when turned off), its wake-ups on the engine's own deadline heap. */
export function governorFor(
  options: GovernorOptions | undefined,
  phases: Phases,
  engine: {
    readonly start: (transfer: Transfer) => void;
    readonly fail: (transfer: Transfer, error: ProviderError) => void;
    /** The longest server-requested wait the engine honours (retryPolicy.maxRetryAfterMs). */
    readonly maxWaitMs: number;
  },
  reportCallbackError: (error: unknown) => void,
): Governor | undefined {
  if (options === undefined || options.enabled === false) return undefined;
  return new Governor(options, {
    now: () => phases.deadlines.now(),
    arm: (transfer, ms) => phases.deadlines.arm(transfer, 'rate', ms),
    disarm: (transfer) => phases.deadlines.disarm(transfer, 'rate'),
    admit: (transfer) => phases.toAdmission(transfer),
    start: engine.start,
    fail: engine.fail,
    maxWaitMs: engine.maxWaitMs,
    reportCallbackError,
  });
}
