import { Socket } from 'node:net';
import { buildConnector } from 'undici';
import { EngineAbort, type Attempt } from './attempt.js';

/**
 * The connector of the engine's own Agent. undici cannot abort a request whose socket is
 * still connecting and runs its own 10 s connect timer; here undici's timer is off, the
 * engine's connect deadline rules, and every pending connect is known: the attempt it was
 * opened for can destroy it (cancel, connect timeout), and close() destroys the rest.
 */
export class EngineConnector {
  readonly #base = buildConnector({ timeout: 0 });
  readonly #pending = new Set<Socket>();
  /** The attempt being dispatched: undici opens a new connection synchronously inside dispatch(). */
  #claimant: Attempt | undefined;

  readonly connect: buildConnector.connector = (options, callback) => {
    const owner = this.#claimant;
    this.#claimant = undefined;
    let socket: Socket | undefined;
    const done: buildConnector.Callback = (...args) => {
      if (socket !== undefined) {
        this.#pending.delete(socket);
        if (owner?.socket === socket) owner.socket = undefined;
      }
      callback(...args);
    };
    // undici's typings say void, but its connector returns the socket it opened.
    const opened: unknown = (this.#base as (...args: Parameters<buildConnector.connector>) => unknown)(options, done);
    if (!(opened instanceof Socket) || opened.destroyed) return;
    socket = opened;
    this.#pending.add(opened);
    if (owner !== undefined && owner.live) owner.socket = opened;
  };

  /** The attempt about to be dispatched (undefined once dispatch() returned) owns any connect opened meanwhile. */
  expect(attempt: Attempt | undefined): void {
    this.#claimant = attempt;
  }

  /** Destroys every connect still pending, so no handle outlives the engine. */
  destroyAll(): void {
    for (const socket of this.#pending) socket.destroy(new EngineAbort('the engine was closed'));
    this.#pending.clear();
  }
}
