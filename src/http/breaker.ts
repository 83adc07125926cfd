import { providerError, type ProviderError } from '../errors/category.js';
import type { RateTicket } from './governor/types.js';
import type { TransferOutcome } from './types.js';

export interface BreakerOptions {
  /** Final failures in a row (5xx, 529, overloaded, timeouts) that open the circuit (default 5). */
  readonly failureThreshold?: number;
  /** How long an open circuit fails fast before one probe is let through (default 30 s). */
  readonly cooldownMs?: number;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitSnapshot {
  readonly provider: string;
  readonly model: string;
  readonly state: CircuitState;
  readonly failures: number;
  /** Ms until an open circuit lets a probe through; 0 otherwise. */
  readonly retryInMs: number;
}

interface Circuit {
  readonly provider: string;
  readonly model: string;
  state: CircuitState;
  failures: number;
  openUntil: number;
  /** The ticket (one object per request) of the one request let through while half-open. */
  probe: RateTicket | undefined;
}

/**
 * A circuit per (provider, model), fed by the final outcome of each request (a request's own
 * retries do not count, and stay as they are): after a run of server-side failures, start
 * calls fail fast until a cool-down passes; then one probe goes, and its success closes it.
 */
export class Breaker {
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #circuits = new Map<string, Circuit>();

  constructor(options: BreakerOptions) {
    this.#threshold = Math.max(1, options.failureThreshold ?? 5);
    this.#cooldownMs = Math.max(0, options.cooldownMs ?? 30_000);
  }

  /** Undefined when a request may start (it becomes the probe of a half-open circuit); else the fail-fast error. */
  admit(ticket: RateTicket | undefined, now: number): ProviderError | undefined {
    if (ticket === undefined) return undefined;
    const circuit = this.#circuits.get(key(ticket));
    if (circuit === undefined || circuit.state === 'closed') return undefined;
    if (circuit.state === 'open' && now >= circuit.openUntil) circuit.state = 'half_open';
    if (circuit.state === 'half_open' && circuit.probe === undefined) {
      circuit.probe = ticket;
      return undefined;
    }
    const waitMs = Math.max(0, circuit.openUntil - now);
    return providerError('server', {
      message: `${circuit.provider} ${circuit.model} failed ${circuit.failures} times in a row on the server side; llmux fails fast instead of sending more.`,
      hint:
        circuit.state === 'open'
          ? `The circuit tries one request again in ${Math.ceil(waitMs / 1000)} s.`
          : 'One probe request is on its way; the circuit closes when it succeeds.',
      retryAfterMs: waitMs,
      retryable: true,
      providerCode: 'circuit_open',
    });
  }

  record(ticket: RateTicket | undefined, outcome: TransferOutcome, now: number): void {
    if (ticket === undefined) return;
    const name = key(ticket);
    let circuit = this.#circuits.get(name);
    const probe = circuit?.probe === ticket;
    if (probe && circuit !== undefined) circuit.probe = undefined;
    if (outcome.kind === 'cancelled') return;
    if (outcome.kind === 'ok') {
      if (circuit !== undefined && (circuit.state === 'closed' || probe)) {
        circuit.state = 'closed';
        circuit.failures = 0;
      }
      return;
    }
    if (!serverSide(outcome.error)) return;
    circuit ??= this.#add(name, ticket);
    circuit.failures++;
    if (probe || (circuit.state === 'closed' && circuit.failures >= this.#threshold)) {
      circuit.state = 'open';
      circuit.openUntil = now + this.#cooldownMs;
    }
  }

  snapshot(now: number): CircuitSnapshot[] {
    return [...this.#circuits.values()].map((circuit) => ({
      provider: circuit.provider,
      model: circuit.model,
      state: circuit.state === 'open' && now >= circuit.openUntil ? 'half_open' : circuit.state,
      failures: circuit.failures,
      retryInMs: circuit.state === 'open' ? Math.max(0, circuit.openUntil - now) : 0,
    }));
  }

  #add(name: string, ticket: RateTicket): Circuit {
    const circuit: Circuit = { provider: ticket.provider, model: ticket.model, state: 'closed', failures: 0, openUntil: 0, probe: undefined };
    this.#circuits.set(name, circuit);
    return circuit;
  }
}

function key(ticket: RateTicket): string {
  return `${ticket.provider}\u0000${ticket.model}`;
}

/** 5xx, 529, overloaded, timeouts: the provider's trouble, not the request's. */
function serverSide(error: ProviderError): boolean {
  if (error.category === 'timeout') return true;
  if (error.category !== 'server') return false;
  return error.providerCode !== 'circuit_open';
}
