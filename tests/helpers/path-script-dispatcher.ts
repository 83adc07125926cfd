import { Dispatcher } from 'undici';

export interface ScriptedAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: string;
}

/** Answers each request with the next scripted answer for its path prefix, on a microtask. */
export class PathScriptDispatcher extends Dispatcher {
  readonly scripts = new Map<string, ScriptedAnswer[]>();
  readonly paths: string[] = [];

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const path = String(options.path);
    this.paths.push(path);
    const prefix = [...this.scripts.keys()].find((key) => path.startsWith(key));
    const answer = prefix === undefined ? undefined : this.scripts.get(prefix)?.shift();
    let aborted = false;
    const controller: Dispatcher.DispatchController = {
      aborted: false,
      paused: false,
      reason: null,
      abort: () => {
        aborted = true;
      },
      pause: () => undefined,
      resume: () => undefined,
    };
    queueMicrotask(() => {
      if (aborted) return;
      handler.onRequestStart?.(controller, {});
      const { status, headers, body } = answer ?? { status: 404, body: '{"error":{"message":"no script"}}' };
      handler.onResponseStart?.(controller, status, { 'content-type': status === 200 && body.startsWith('data:') ? 'text/event-stream' : 'application/json', ...headers }, '');
      if (aborted) return;
      if (body !== '') handler.onResponseData?.(controller, Buffer.from(body));
      if (!aborted) handler.onResponseEnd?.(controller, {});
    });
    return true;
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }

  override destroy(): Promise<void> {
    return Promise.resolve();
  }
}
