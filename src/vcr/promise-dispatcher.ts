import { Dispatcher } from 'undici';

type Callback = () => void;

/**
 * A Dispatcher whose close() and destroy() are written once as promises: this class maps
 * undici's overloads (promise or callback, with or without an error) onto them.
 */
export abstract class PromiseDispatcher extends Dispatcher {
  /** Accept no more requests; resolve when those in flight have ended. */
  protected abstract closed(): Promise<void>;
  /** Abort what is in flight with `error` (null: the dispatcher's own) and accept no more. */
  protected abstract destroyed(error: Error | null): Promise<void>;

  override close(): Promise<void>;
  override close(callback: Callback): void;
  override close(callback?: Callback): Promise<void> | void {
    const done = this.closed();
    if (callback === undefined) return done;
    void done.then(callback, callback);
  }

  override destroy(): Promise<void>;
  override destroy(error: Error | null): Promise<void>;
  override destroy(callback: Callback): void;
  override destroy(error: Error | null, callback: Callback): void;
  override destroy(errorOrCallback?: Error | null | Callback, callback?: Callback): Promise<void> | void {
    const error = typeof errorOrCallback === 'function' ? null : (errorOrCallback ?? null);
    const whenDone = typeof errorOrCallback === 'function' ? errorOrCallback : callback;
    const done = this.destroyed(error);
    if (whenDone === undefined) return done;
    void done.then(whenDone, whenDone);
  }
}
