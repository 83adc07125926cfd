/** One streamed answer: start it, pump the engine until it completes, handle Ctrl+C. */
import type { Result } from 'neverthrow';
import type { ProviderError } from '../errors/category.js';
import type { Provider } from '../providers/provider.js';
import type { ChatRequest, ChatResponse } from '../providers/types.js';
import { CancelPrompt, type CancelAction, type CancelInput } from './cancel-prompt.js';
import type { HostLoop } from './host-loop.js';
import type { Interrupts } from './interrupts.js';
import type { TurnView } from './turn-view.js';

export type TurnOutcome =
  | { readonly kind: 'ok'; readonly response: ChatResponse }
  /** `immediate`: the start call refused it (no key, bad model); nothing was sent. */
  | { readonly kind: 'failed'; readonly error: ProviderError; readonly immediate: boolean; readonly partial: string }
  /** Cancelled at the prompt; the partial answer stays on screen. */
  | { readonly kind: 'cancelled'; readonly partial: string }
  /** Ctrl+C twice, or Ctrl+C without a way to ask: leave the program. */
  | { readonly kind: 'interrupted'; readonly partial: string };

export interface TurnContext {
  readonly provider: Provider;
  readonly loop: HostLoop;
  readonly interrupts: Interrupts;
  readonly view: TurnView;
  /** Shown by the spinner. */
  readonly label: string;
}

export async function runTurn(context: TurnContext, request: ChatRequest): Promise<TurnOutcome> {
  const { provider, loop, interrupts, view } = context;
  let result: Result<ChatResponse, ProviderError> | undefined;
  let completions = 0;
  const started = provider.startStream(
    request,
    (event) => view.event(event),
    (completion) => {
      completions++;
      result ??= completion;
      view.complete(completion);
    },
  );
  if (started.isErr()) return { kind: 'failed', error: started.error, immediate: true, partial: '' };
  const handle = started.value;

  const prompt = new CancelPrompt();
  prompt.feed({ type: 'start' });
  let interrupted = false;
  const apply = (action: CancelAction): void => {
    switch (action) {
      case 'prompt':
        if (interrupts.canPrompt) view.showPrompt();
        else {
          // No way to read an answer: Ctrl+C stops the response and the program.
          interrupted = true;
          provider.cancel(handle);
        }
        break;
      case 'resume':
      case 'dismiss':
        view.hidePrompt();
        break;
      case 'cancel':
        view.hidePrompt();
        provider.cancel(handle);
        break;
      case 'exit':
        view.hidePrompt();
        interrupted = true;
        provider.cancel(handle);
        break;
      case 'none':
        break;
    }
  };
  const stop = interrupts.listen((input: CancelInput) => {
    apply(prompt.feed(input));
    loop.wake();
  });

  view.begin(context.label);
  try {
    await loop.pump(provider, {
      done: () => completions > 0,
      afterPump: () => view.flush(),
      nextTimer: () => view.nextTimer(),
      onTimer: () => view.onTimer(),
    });
  } finally {
    stop();
  }
  apply(prompt.feed({ type: 'finished' }));
  view.finish();

  const partial = view.text;
  const final = result as Result<ChatResponse, ProviderError>;
  if (interrupted) return { kind: 'interrupted', partial };
  if (final.isOk()) return { kind: 'ok', response: final.value };
  if (final.error.category === 'cancelled') return { kind: 'cancelled', partial };
  return { kind: 'failed', error: final.error, immediate: false, partial };
}
