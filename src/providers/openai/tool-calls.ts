import type { Emit } from '../adapter.js';
import type { ToolCall } from '../types.js';

interface Call {
  readonly key: string;
  readonly index: number;
  id: string | undefined;
  name: string | undefined;
  /** Every fragment so far; those that came before the start are flushed right after it. */
  readonly args: string[];
  /** Set by `tool_call_start`: the id and name the user was told. */
  started: { readonly id: string; readonly name: string } | undefined;
  done: ToolCall | undefined;
}

/**
 * Assembles streamed tool calls. Providers key calls their own way (Chat: choice and
 * `index`; Responses: output item); callers pass that key, and each new key gets the next
 * llmux index 0, 1, 2, ... in order of appearance, so indices are dense whatever the wire
 * used (one OpenAI-compatible server starts at 1).
 *
 * `tool_call_start` goes out once both id and name are known; fragments that came earlier
 * are held and flushed right after it. Arguments are passed on verbatim and not parsed: the
 * model's text is the caller's to validate, and the OpenAI SDK does not fail a stream on
 * invalid arguments either.
 */
export class ToolCallAssembler {
  readonly #byKey = new Map<string, Call>();
  readonly #calls: Call[] = [];

  /** The llmux index of the call with this key, creating it when new. */
  open(key: string): number {
    return this.#call(key).index;
  }

  has(key: string): boolean {
    return this.#byKey.has(key);
  }

  get count(): number {
    return this.#calls.length;
  }

  /**
   * Records an id or name. Later values replace earlier ones (as the OpenAI SDK merges
   * deltas) until the call has started; after that the start event has been sent and
   * cannot be taken back, so they are ignored.
   */
  identify(key: string, id: string | undefined, name: string | undefined, emit: Emit): void {
    const call = this.#call(key);
    if (call.started !== undefined) return;
    if (id !== undefined && id.length > 0) call.id = id;
    if (name !== undefined && name.length > 0) call.name = name;
    if (call.id !== undefined && call.name !== undefined) this.#start(call, emit);
  }

  append(key: string, fragment: string, emit: Emit): void {
    if (fragment.length === 0) return;
    const call = this.#call(key);
    if (call.done !== undefined) return;
    call.args.push(fragment);
    if (call.started !== undefined) emit({ type: 'tool_call_delta', index: call.index, arguments: fragment });
  }

  /**
   * Ends one call with `tool_call_done`. `finalArguments` (the Responses API sends the whole
   * string at the end) wins over the fragments. A call still missing its id or name starts
   * now with what is known: an id `call_llmux_<index>` or an empty name, rather than losing
   * the call.
   */
  finish(key: string, emit: Emit, finalArguments?: string): void {
    const call = this.#call(key);
    if (call.done !== undefined) return;
    const { id, name } = call.started ?? this.#start(call, emit);
    call.done = { id, name, arguments: finalArguments ?? call.args.join('') };
    emit({ type: 'tool_call_done', index: call.index, ...call.done });
  }

  /** Ends every call still open, in index order, with the final arguments `finalOf` knows. */
  finishAll(emit: Emit, finalOf: (key: string) => string | undefined = () => undefined): void {
    for (const call of this.#calls) {
      if (call.done === undefined) this.finish(call.key, emit, finalOf(call.key));
    }
  }

  /** Finished calls by llmux index. */
  finished(): Map<number, ToolCall> {
    const out = new Map<number, ToolCall>();
    for (const call of this.#calls) if (call.done !== undefined) out.set(call.index, call.done);
    return out;
  }

  #call(key: string): Call {
    let call = this.#byKey.get(key);
    if (call === undefined) {
      call = {
        key,
        index: this.#calls.length,
        id: undefined,
        name: undefined,
        args: [],
        started: undefined,
        done: undefined,
      };
      this.#byKey.set(key, call);
      this.#calls.push(call);
    }
    return call;
  }

  #start(call: Call, emit: Emit): { id: string; name: string } {
    const started = { id: call.id ?? `call_llmux_${call.index}`, name: call.name ?? '' };
    call.started = started;
    emit({ type: 'tool_call_start', index: call.index, ...started });
    for (const fragment of call.args) emit({ type: 'tool_call_delta', index: call.index, arguments: fragment });
    return started;
  }
}
