import { Dispatcher } from 'undici';

/** A dispatcher that accepts every request and never answers: a host that never connects. */
export class BlackHoleDispatcher extends Dispatcher {
  dispatched = 0;

  override dispatch(): boolean {
    this.dispatched++;
    return true;
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }

  override destroy(): Promise<void> {
    return Promise.resolve();
  }
}
