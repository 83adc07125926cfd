import { Dispatcher } from 'undici';
import { answerFor, asked } from './openai-answers.js';

/**
 * An in-process OpenAI: answers each request on a microtask from openai-answers.ts, counting
 * requests per message text. `hold` keeps answers back until `release()` (to stop mid-run).
 */
export class AnswerDispatcher extends Dispatcher {
  readonly sent = new Map<string, number>();
  hold = false;
  #held: (() => void)[] = [];

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const body = typeof options.body === 'string' ? options.body : Buffer.isBuffer(options.body) ? options.body.toString('utf8') : '';
    const request = asked(body);
    const attempt = (this.sent.get(request.text) ?? 0) + 1;
    this.sent.set(request.text, attempt);
    let aborted = false;
    const controller: Dispatcher.DispatchController = {
      aborted: false,
      paused: false,
      reason: null,
      abort: (reason) => {
        if (aborted) return;
        aborted = true;
        handler.onResponseError?.(controller, reason instanceof Error ? reason : new Error('aborted'));
      },
      pause: () => undefined,
      resume: () => undefined,
    };
    const answer = (): void => {
      if (aborted) return;
      const { status, headers, chunks } = answerFor(request, attempt);
      handler.onRequestStart?.(controller, {});
      handler.onResponseStart?.(controller, status, headers, '');
      for (const chunk of chunks) if (!aborted) handler.onResponseData?.(controller, Buffer.from(chunk));
      if (!aborted) handler.onResponseEnd?.(controller, {});
    };
    if (this.hold) this.#held.push(answer);
    else queueMicrotask(answer);
    return true;
  }

  get heldCount(): number {
    return this.#held.length;
  }

  release(): void {
    const held = this.#held;
    this.#held = [];
    for (const answer of held) queueMicrotask(answer);
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }

  override destroy(): Promise<void> {
    return Promise.resolve();
  }
}
