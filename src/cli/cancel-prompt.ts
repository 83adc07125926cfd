/**
 * What Ctrl+C means, as a pure state machine. While a response streams, Ctrl+C asks
 * "Cancel response? [y/n]"; `y` cancels it, `n` goes on; a second Ctrl+C at the prompt,
 * or Ctrl+C when nothing streams, leaves the program.
 */

export type CancelState = 'idle' | 'streaming' | 'prompting';

export type CancelInput =
  /** A request started streaming. */
  | { readonly type: 'start' }
  /** Ctrl+C (a raw-mode 0x03 byte, or SIGINT). */
  | { readonly type: 'interrupt' }
  /** Any other key, as the characters it produced. */
  | { readonly type: 'key'; readonly key: string }
  /** The request completed (done, error or cancelled). */
  | { readonly type: 'finished' };

export type CancelAction =
  | 'none'
  /** Show the prompt and hold output back. */
  | 'prompt'
  /** Remove the prompt and show what arrived meanwhile. */
  | 'resume'
  /** Remove the prompt and cancel the request. */
  | 'cancel'
  /** The response finished while the prompt was up: remove it and show the rest. */
  | 'dismiss'
  /** Leave the program (code 130), cancelling whatever runs. */
  | 'exit';

export interface CancelStep {
  readonly state: CancelState;
  readonly action: CancelAction;
}

export const CANCEL_PROMPT = 'Cancel response? [y/n]: ';

const CTRL_C = '\x03';

/** The next state and what to do, for one input. */
export function cancelStep(state: CancelState, input: CancelInput): CancelStep {
  switch (input.type) {
    case 'start':
      return { state: 'streaming', action: state === 'prompting' ? 'resume' : 'none' };
    case 'finished':
      return { state: 'idle', action: state === 'prompting' ? 'dismiss' : 'none' };
    case 'interrupt':
      if (state === 'streaming') return { state: 'prompting', action: 'prompt' };
      return { state: 'idle', action: 'exit' };
    case 'key':
      return keyStep(state, input.key);
  }
}

function keyStep(state: CancelState, key: string): CancelStep {
  if (key.includes(CTRL_C)) return cancelStep(state, { type: 'interrupt' });
  if (state !== 'prompting') return { state, action: 'none' };
  const answer = key.trim().toLowerCase();
  if (answer === 'y' || answer === 'yes') return { state: 'idle', action: 'cancel' };
  if (answer === 'n' || answer === 'no' || key === '\x1b') return { state: 'streaming', action: 'resume' };
  return { state, action: 'none' };
}

// An escape sequence (arrow keys, function keys: ESC [ ... final, ESC O x), Alt+key (ESC and
// a printable character, never a control such as Ctrl+C), \r\n as one Enter, or any single
// character.
const KEY = /\x1b\[[0-?]*[ -/]*[@-~]|\x1bO[ -~]|\x1b[ -~]|\r\n|[^]/gu;

/**
 * Splits one raw-mode read into keys, in order: a fast typist, a paste or a slow terminal
 * can deliver several at once (`n` then Ctrl+C, say), and each must count.
 */
export function keysOf(data: string): string[] {
  return data.match(KEY) ?? [];
}

/** The inputs one raw-mode read holds, in order: 0x03 is Ctrl+C, anything else a key. */
export function inputsFromData(data: string): CancelInput[] {
  return keysOf(data).map((key) => (key === CTRL_C ? { type: 'interrupt' } : { type: 'key', key }));
}

/** Drives cancelStep and remembers the state. */
export class CancelPrompt {
  #state: CancelState = 'idle';

  get state(): CancelState {
    return this.#state;
  }

  feed(input: CancelInput): CancelAction {
    const step = cancelStep(this.#state, input);
    this.#state = step.state;
    return step.action;
  }
}
