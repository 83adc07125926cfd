import type { Emit } from '../adapter.js';
import type { FinishedCall } from './content.js';

/** Where a call lives: its wire index, and what else tells it apart. */
export interface CallPlace {
  /** The event index of the call (`tool_call_*.index`): the provider's wire index or ordinal. */
  readonly index: number;
  /** Separates calls that share an index (Chat's `n > 1` choices). Default `''`. */
  readonly scope?: string;
  /** Position in the result; default `index`. Ties keep order of first appearance. */
  readonly order?: number;
  /** False for calls that stream but are not part of the result (Chat choices other than 0). */
  readonly inResult?: boolean;
}

interface Call {
  readonly index: number;
  readonly scope: string;
  readonly order: number;
  readonly seq: number;
  readonly inResult: boolean;
  id: string | undefined;
  name: string | undefined;
  signature: string | undefined;
  /** Every fragment so far; those that came before the start are flushed right after it. */
  readonly args: string[];
  /** Set by `tool_call_start`: the id and name the user was told. */
  started: { readonly id: string; readonly name: string } | undefined;
  done: FinishedCall | undefined;
}

/**
 * Assembles streamed tool calls by their wire place. `tool_call_start` goes out once both id
 * and name are known; fragments that came earlier are held and flushed right after it.
 * Arguments are passed on verbatim and never parsed: the model's text is the caller's to
 * validate. Used through StreamBuilder, which guards the terminal event.
 */
export class ToolCallAssembler {
  readonly #byKey = new Map<string, Call>();
  readonly #calls: Call[] = [];

  /** Opens the call if new; true when this created a call that belongs in the result. */
  open(place: CallPlace): boolean {
    const before = this.#calls.length;
    const call = this.#get(place);
    return this.#calls.length > before && call.inResult;
  }

  /** Calls in the result so far. */
  get count(): number {
    return this.#calls.filter((call) => call.inResult).length;
  }

  /**
   * Records an id, name or signature. Later id/name values replace earlier ones (as the
   * OpenAI SDK merges deltas) until the call has started; after that the start event has
   * been sent and cannot be taken back, so they are ignored. A signature is kept until done.
   */
  identify(place: CallPlace, id: string | undefined, name: string | undefined, signature: string | undefined, emit: Emit): void {
    const call = this.#get(place);
    if (signature !== undefined && signature.length > 0 && call.done === undefined) call.signature = signature;
    if (call.started !== undefined) return;
    if (id !== undefined && id.length > 0) call.id = id;
    if (name !== undefined && name.length > 0) call.name = name;
    if (call.id !== undefined && call.name !== undefined) this.#start(call, emit);
  }

  append(place: CallPlace, fragment: string, emit: Emit): void {
    if (fragment.length === 0) return;
    const call = this.#get(place);
    if (call.done !== undefined) return;
    call.args.push(fragment);
    if (call.started !== undefined) emit({ type: 'tool_call_delta', index: call.index, arguments: fragment });
  }

  /**
   * Ends one call with `tool_call_done`. `whole` (arguments the server sent complete) wins
   * over the fragments. When it extends what the deltas said (or no delta came), the missing
   * tail goes out first as a corrective `tool_call_delta`, so joining the deltas gives the
   * done event's arguments. When it contradicts them, nothing sent can be taken back:
   * `tool_call_done` (the server's final word) is then the one to trust. A call still missing
   * its id or name starts now with what is known: an id `call_llmux_<index>` or an empty name.
   */
  finish(place: CallPlace, emit: Emit, whole?: string): void {
    const call = this.#get(place);
    if (call.done !== undefined) return;
    const { id, name } = call.started ?? this.#start(call, emit);
    const joined = call.args.join('');
    let args = joined;
    if (whole !== undefined) {
      if (whole.length > joined.length && whole.startsWith(joined)) {
        emit({ type: 'tool_call_delta', index: call.index, arguments: whole.slice(joined.length) });
      }
      args = whole;
    }
    call.done = call.signature === undefined ? { id, name, arguments: args } : { id, name, arguments: args, signature: call.signature };
    emit({ type: 'tool_call_done', index: call.index, id, name, arguments: args });
  }

  /** Ends every call still open, in result order, with the whole arguments `wholeOf` knows. */
  finishAll(emit: Emit, wholeOf: (place: CallPlace) => string | undefined): void {
    for (const call of this.#sorted()) {
      if (call.done !== undefined) continue;
      const place: CallPlace = { index: call.index, scope: call.scope };
      this.finish(place, emit, wholeOf(place));
    }
  }

  /** Finished calls of the result, in result order. */
  finished(): FinishedCall[] {
    const out: FinishedCall[] = [];
    for (const call of this.#sorted()) if (call.inResult && call.done !== undefined) out.push(call.done);
    return out;
  }

  #sorted(): Call[] {
    return [...this.#calls].sort((a, b) => a.order - b.order || a.seq - b.seq);
  }

  #get(place: CallPlace): Call {
    const key = keyOf(place);
    const known = this.#byKey.get(key);
    if (known !== undefined) return known;
    const call: Call = {
      index: place.index,
      scope: place.scope ?? '',
      order: place.order ?? place.index,
      seq: this.#calls.length,
      inResult: place.inResult ?? true,
      id: undefined,
      name: undefined,
      signature: undefined,
      args: [],
      started: undefined,
      done: undefined,
    };
    this.#byKey.set(key, call);
    this.#calls.push(call);
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

function keyOf(place: CallPlace): string {
  return `${place.scope ?? ''}:${place.index}`;
}
