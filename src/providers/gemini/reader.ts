import { providerError, type ProviderError } from '../../errors/category.js';
import { asJsonValue, numberField, objectField, snippet, stringField, stringifyJson, type CallPlace, type JsonObject, type StreamBuilder } from '../kit/index.js';
import { generatedCallId } from './call-ids.js';
import { BLOCKED_HINT, mapGeminiStreamError, readGoogleStatus, type GeminiErrorContext } from './errors.js';
import { geminiFinishReason } from './finish-reason.js';
import { objectsField } from './json.js';
import { PartialArgs } from './partial-args.js';
import { geminiUsage } from './usage.js';

/** A Vertex call whose arguments are still streaming (`willContinue`). */
interface OpenCall {
  readonly place: CallPlace;
  readonly args: PartialArgs;
}

/** Per candidate: which text block grows, and the call still open. */
interface CandidateState {
  /** Bumped when the kind of content changes, so thinking, text and calls keep their order as blocks. */
  segment: number;
  kind: 'text' | 'thinking' | 'call' | undefined;
  open: OpenCall | undefined;
}

/**
 * Reads `GenerateContentResponse` objects (every chunk of a stream, or the one body of a
 * non-streaming request) into a StreamBuilder. Choices:
 * - Candidate 0 (else the first of the first chunk with candidates) is the result, chosen
 *   once; other candidates stream with their index but are not kept, like the SDK's
 *   `response.text`. The stream is whole when the result candidate finished.
 * - Consecutive text parts grow one text block, thought parts one thinking block; a
 *   `thoughtSignature` stays on the block (or call) of the part it came on, an empty part's
 *   too, so it can be sent back.
 * - A whole `functionCall` is one start, one delta with the whole arguments and one done.
 *   Vertex's `partialArgs` calls start at once and send their arguments, assembled, when the
 *   call closes (a part without `willContinue`), or at the end for a call left open.
 * - Calls without an `id` get one from the response id and their position.
 * - Usage is cumulative: the last report with counts wins.
 * - `promptFeedback.blockReason` ends the stream with a `content_filter` error; an
 *   `{"error": ...}` chunk with the error it describes.
 */
export class GeminiReader {
  readonly #context: GeminiErrorContext;
  readonly #candidates = new Map<number, CandidateState>();
  readonly #finishReasons = new Map<number, string>();
  #responseId: string | undefined;
  /** The candidate the result is made of, chosen once: 0 if the first chunk with candidates has it, else that chunk's first. */
  #result: number | undefined;
  #calls = 0;

  constructor(context: GeminiErrorContext) {
    this.#context = context;
  }

  /**
   * True once the result candidate carried a finishReason: the end of the body is then a
   * whole stream. Another candidate's finish says nothing about the result's.
   */
  get sawFinish(): boolean {
    return this.#result !== undefined && this.#finishReasons.has(this.#result);
  }

  read(chunk: JsonObject, stream: StreamBuilder): ProviderError | undefined {
    const status = readGoogleStatus(chunk);
    if (status !== undefined) {
      stream.fail(mapGeminiStreamError(status, this.#context));
      return undefined;
    }
    const responseId = stringField(chunk, 'responseId');
    if (this.#responseId === undefined && responseId !== undefined && responseId.length > 0) this.#responseId = responseId;
    stream.identify({ id: responseId, model: stringField(chunk, 'modelVersion') });
    stream.start();
    const metadata = objectField(chunk, 'usageMetadata');
    const usage = metadata === undefined ? undefined : geminiUsage(metadata);
    if (usage !== undefined) stream.setUsage(usage);
    const candidates = objectsField(chunk, 'candidates');
    const blocked = this.#blocked(chunk, candidates.length);
    if (blocked !== undefined) {
      stream.fail(blocked);
      return undefined;
    }
    const indices = candidates.map((candidate, position) => numberField(candidate, 'index') ?? position);
    if (this.#result === undefined && indices.length > 0) this.#result = indices.includes(0) ? 0 : indices[0];
    for (const [position, candidate] of candidates.entries()) {
      const error = this.#candidate(candidate, indices[position] as number, stream);
      if (error !== undefined) return error;
    }
    return undefined;
  }

  /** At the end of the body (or of a non-streaming response): close what is open, then `done` if a finishReason came. */
  end(stream: StreamBuilder): ProviderError | undefined {
    for (const state of this.#candidates.values()) {
      const error = this.#close(state, stream);
      if (error !== undefined) return error;
    }
    if (!this.sawFinish) return undefined;
    const raw = this.#finishReasons.get(this.#result as number) as string;
    stream.finish(geminiFinishReason(raw, stream.hasToolCalls), raw);
    return undefined;
  }

  #blocked(chunk: JsonObject, candidates: number): ProviderError | undefined {
    const feedback = objectField(chunk, 'promptFeedback');
    const reason = feedback === undefined ? undefined : stringField(feedback, 'blockReason');
    if (candidates > 0 || reason === undefined || reason === 'BLOCKED_REASON_UNSPECIFIED') return undefined;
    const detail = stringField(feedback as JsonObject, 'blockReasonMessage');
    return providerError('content_filter', {
      message: `Gemini blocked the prompt (${reason})${detail === undefined ? '' : `: ${detail}`}; no answer was generated.`,
      providerCode: reason,
      hint: BLOCKED_HINT,
    });
  }

  #candidate(candidate: JsonObject, index: number, stream: StreamBuilder): ProviderError | undefined {
    const state = this.#state(index);
    const inResult = index === this.#result;
    const content = objectField(candidate, 'content');
    for (const part of content === undefined ? [] : objectsField(content, 'parts')) {
      const error = this.#part(part, index, inResult, state, stream);
      if (error !== undefined) return error;
    }
    const finish = stringField(candidate, 'finishReason');
    if (finish !== undefined && finish.length > 0 && !this.#finishReasons.has(index)) {
      this.#finishReasons.set(index, finish);
      return this.#close(state, stream);
    }
    return undefined;
  }

  #state(index: number): CandidateState {
    let state = this.#candidates.get(index);
    if (state === undefined) {
      state = { segment: 0, kind: undefined, open: undefined };
      this.#candidates.set(index, state);
    }
    return state;
  }

  #part(part: JsonObject, candidate: number, inResult: boolean, state: CandidateState, stream: StreamBuilder): ProviderError | undefined {
    const signature = stringField(part, 'thoughtSignature');
    const call = objectField(part, 'functionCall');
    const text = stringField(part, 'text');
    if (call !== undefined) {
      // Text beside a call in one part is kept, before it, as the SDK's `text` keeps it; the signature stays on the call.
      if (text !== undefined && text.length > 0) this.#text(text, part.thought === true, undefined, candidate, inResult, state, stream);
      return this.#functionCall(call, signature, candidate, inResult, state, stream);
    }
    if (text === undefined) {
      // Parts llmux does not model (inlineData, executableCode, ...) are kept whole, to go back as they came.
      if (inResult && Object.keys(part).length > 0) stream.providerBlock('gemini', asJsonValue(part));
      state.kind = undefined;
      return undefined;
    }
    this.#text(text, part.thought === true, signature, candidate, inResult, state, stream);
    return undefined;
  }

  #text(
    text: string,
    thought: boolean,
    signature: string | undefined,
    candidate: number,
    inResult: boolean,
    state: CandidateState,
    stream: StreamBuilder,
  ): void {
    const kind = thought ? 'thinking' : 'text';
    if (state.kind !== kind) {
      state.segment++;
      state.kind = kind;
    }
    const key = `${candidate}:${state.segment}`;
    const options = { index: candidate, inResult, ...(signature === undefined ? {} : { signature }) };
    if (kind === 'thinking') stream.thinking(key, text, options);
    else stream.text(key, text, options);
  }

  #functionCall(
    call: JsonObject,
    signature: string | undefined,
    candidate: number,
    inResult: boolean,
    state: CandidateState,
    stream: StreamBuilder,
  ): ProviderError | undefined {
    const name = stringField(call, 'name');
    const fragments = Array.isArray(call.partialArgs) ? (call.partialArgs as readonly unknown[]) : undefined;
    const args = objectField(call, 'args');
    if (args === undefined && call.args !== undefined && call.args !== null) {
      // A Struct is an object; another value would otherwise be delivered as "{}".
      return providerError('protocol', {
        message: `Gemini sent function call ${JSON.stringify(name ?? '')} with args that are not a JSON object: ${JSON.stringify(snippet(stringifyJson(call.args, 'args').unwrapOr('(too deep to show)')))}.`,
      });
    }
    const continues = call.willContinue === true;
    const open = state.open;
    if (open !== undefined && (name === undefined || name.length === 0)) {
      // The next piece of the call that is streaming.
      if (signature !== undefined) stream.toolCall(open.place, { signature });
      const error = (args === undefined ? undefined : open.args.setWhole(args)) ?? (fragments === undefined ? undefined : open.args.apply(fragments));
      if (error !== undefined) return error;
      return continues ? undefined : this.#close(state, stream);
    }
    // An empty `functionCall: {}` with nothing open carries nothing.
    if (name === undefined && fragments === undefined && args === undefined) return undefined;
    const closed = this.#close(state, stream);
    if (closed !== undefined) return closed;
    state.kind = 'call';
    const index = this.#calls++;
    const place = this.#place(index, candidate, inResult);
    const id = stringField(call, 'id');
    stream.toolCall(place, {
      id: id !== undefined && id.length > 0 ? id : generatedCallId(this.#responseId, index),
      name: name ?? '',
      ...(signature === undefined ? {} : { signature }),
    });
    const partial = new PartialArgs();
    state.open = { place, args: partial };
    const error = (args === undefined ? undefined : partial.setWhole(args)) ?? (fragments === undefined ? undefined : partial.apply(fragments));
    if (error !== undefined) return error;
    return continues ? undefined : this.#close(state, stream);
  }

  #close(state: CandidateState, stream: StreamBuilder): ProviderError | undefined {
    const open = state.open;
    if (open === undefined) return undefined;
    state.open = undefined;
    const json = open.args.json();
    if (json.isErr()) return json.error;
    stream.toolArguments(open.place, json.value);
    stream.toolDone(open.place);
    return undefined;
  }

  #place(index: number, candidate: number, inResult: boolean): CallPlace {
    return { index, scope: String(candidate), inResult };
  }
}
