/**
 * The engine's one wake-up to its host (waiters in wait(), the notify hook, autoPump): sent
 * the first time work becomes ready since the host last looked, never once per chunk.
 *
 * The latch re-opens when a pump begins and whenever the host finds nothing to do (a pump
 * drained everything, or it is about to wait). The second half matters: a signal sent for
 * work that the same pump then consumed (a deadline perform() found overdue, undici's
 * resume() handing bytes back synchronously) would otherwise leave the latch shut with
 * nothing pending, and a host waiting for the next readiness would sleep for ever.
 */
export class ReadySignal {
  readonly #send: () => void;
  #sent = false;

  constructor(send: () => void) {
    this.#send = send;
  }

  /** Work became ready. */
  raise(): void {
    if (this.#sent) return;
    this.#sent = true;
    this.#send();
  }

  /** The host looks now (a pump begins) or found nothing to do: the next readiness is news. */
  rearm(): void {
    this.#sent = false;
  }
}
