import type { TimeoutPhase } from '../errors/category.js';
import type { Attempt } from './attempt.js';
import type { Bucket, Reservation } from './governor/bucket.js';
import type { RateTicket } from './governor/types.js';
import type { RetryInfo, Timeouts, TransferOutcome, TransferRequest, TransferSink } from './types.js';

/**
 * Where a transfer is in its life. It changes only through the engine's phase function,
 * whose exit and enter actions disarm and arm the phase's deadline and keep admission's
 * books; see PHASE_DEADLINE.
 */
export type Phase = 'queued' | 'connecting' | 'awaiting_headers' | 'receiving' | 'error_body' | 'backoff' | 'done';

/** One timer per timeout phase, plus the retry backoff and the rate governor's wake-up. */
export type TimerKind = TimeoutPhase | 'retry' | 'rate';

/** The deadline each phase runs under (besides `total`, armed from add to done). */
export const PHASE_DEADLINE: Readonly<Record<Phase, Exclude<TimerKind, 'rate'> | undefined>> = {
  queued: undefined,
  connecting: 'connect',
  awaiting_headers: 'headers',
  receiving: 'idle',
  error_body: 'idle',
  backoff: 'retry',
  done: undefined,
};

/** Phases in which an attempt is on the wire (the transfer holds its handler). */
export function onTheWire(phase: Phase): boolean {
  return phase === 'connecting' || phase === 'awaiting_headers' || phase === 'receiving' || phase === 'error_body';
}

export interface ArmedTimer {
  /** When it fires, on the engine clock. */
  readonly at: number;
  readonly kind: TimerKind;
  readonly transfer: Transfer;
}

/** One request's life in the engine, across its attempts; each attempt's own state lives in its Attempt. */
export class Transfer {
  readonly id: number;
  readonly request: TransferRequest;
  readonly sink: TransferSink;
  readonly timeouts: Timeouts;
  readonly maxRetries: number;
  readonly origin: string;
  readonly path: string;
  readonly onRetry: ((info: RetryInfo) => void) | undefined;

  phase: Phase = 'queued';
  attempts = 0;
  /** The handler of the current (or last) attempt. */
  attempt: Attempt | undefined;
  inReady = false;
  /** Set when the total deadline ended the transfer outside a pump: the next pump finishes it. */
  pendingOutcome: TransferOutcome | undefined;
  /** Fixed fields (never deleted) keep this object's shape stable on the hot path. */
  readonly timers: Record<TimerKind, ArmedTimer | undefined> = {
    connect: undefined,
    headers: undefined,
    idle: undefined,
    total: undefined,
    retry: undefined,
    rate: undefined,
  };
  /** The rate governor's view (see governor/): what the request costs, its bucket, its claim. */
  ticket: RateTicket | undefined = undefined;
  bucket: Bucket | undefined = undefined;
  reservation: Reservation | undefined = undefined;
  /** Waiting in its bucket's queue. */
  rateQueued = false;
  /** Bytes this transfer holds, and of those its queued chunks, as the engine's MemoryBudget (their only writer) counts them. */
  heldBytes = 0;
  backlogBytes = 0;

  constructor(
    id: number,
    request: TransferRequest,
    sink: TransferSink,
    timeouts: Timeouts,
    maxRetries: number,
    url: URL,
    onRetry: ((info: RetryInfo) => void) | undefined,
  ) {
    this.id = id;
    this.request = request;
    this.sink = sink;
    this.timeouts = timeouts;
    this.maxRetries = maxRetries;
    this.origin = url.origin;
    this.path = `${url.pathname}${url.search}`;
    this.onRetry = onRetry;
  }
}

/** Read through a call: a sink callback may have moved the transfer on, which TypeScript's narrowing cannot see. */
export function isDone(transfer: Transfer): boolean {
  return transfer.phase === 'done';
}
