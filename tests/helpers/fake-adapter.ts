import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../src/errors/category.js';
import { categoryForStatus, isRetryableStatus } from '../../src/errors/http-status.js';
import { parseRetryAfter } from '../../src/http/headers.js';
import type { Emit, PreparedRequest, ProviderAdapter, SseEvent, StreamParser } from '../../src/providers/adapter.js';
import type { ChatRequest, ChatResponse } from '../../src/providers/types.js';

/**
 * A minimal provider for engine tests: `data: {"text": "..."}` events, `data: [DONE]` at
 * the end, `data: {"error": "..."}` for an in-band error. It lets the engine's tests
 * stay independent of any real provider's format.
 */
export function fakeAdapter(baseUrl: string): ProviderAdapter {
  return {
    name: 'fake',
    displayName: 'Fake',
    prepare(request: ChatRequest): Result<PreparedRequest, ProviderError> {
      if (request.messages.length === 0) return err(providerError('invalid_arg', { message: 'no messages' }));
      const path = typeof request.extraBody?.path === 'string' ? request.extraBody.path : '/stream';
      return ok({
        http: { method: 'POST', url: `${baseUrl}${path}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(request.messages) },
        model: request.model ?? 'fake-model',
        api: 'fake',
      });
    },
    createStreamParser: (prepared) => new FakeParser(prepared.model),
    parseResponse(prepared, body) {
      try {
        const parsed = JSON.parse(body) as { text: string };
        return ok(response(prepared.model, parsed.text));
      } catch {
        return err(providerError('protocol', { message: 'bad json' }));
      }
    },
    mapHttpError(status, headers, body, nowMs) {
      return providerError(categoryForStatus(status), {
        message: `HTTP ${status}: ${body.slice(0, 80)}`,
        httpStatus: status,
        retryAfterMs: parseRetryAfter(headers, nowMs),
        retryable: isRetryableStatus(status),
      });
    },
  };
}

function response(model: string, text: string): ChatResponse {
  return { model, content: [{ type: 'text', text }], text, toolCalls: [], finishReason: 'stop', usage: null };
}

class FakeParser implements StreamParser {
  finished = false;
  #text = '';
  #started = false;
  #error: ProviderError | undefined;
  readonly #model: string;

  constructor(model: string) {
    this.#model = model;
  }

  onSse(event: SseEvent, emit: Emit): ProviderError | undefined {
    if (event.data === '[DONE]') {
      this.finished = true;
      emit({ type: 'done', finishReason: 'stop', usage: null });
      return undefined;
    }
    let parsed: { text?: string; error?: string };
    try {
      parsed = JSON.parse(event.data) as { text?: string; error?: string };
    } catch {
      return providerError('protocol', { message: `not JSON: ${event.data.slice(0, 40)}` });
    }
    if (!this.#started) {
      this.#started = true;
      emit({ type: 'start', model: this.#model });
    }
    if (parsed.error !== undefined) {
      this.finished = true;
      this.#error = providerError('server', { message: parsed.error });
      emit({ type: 'error', category: 'server', message: parsed.error });
      return undefined;
    }
    this.#text += parsed.text ?? '';
    emit({ type: 'text_delta', index: 0, text: parsed.text ?? '' });
    return undefined;
  }

  result(): Result<ChatResponse, ProviderError> {
    if (this.#error !== undefined) return err(this.#error);
    if (!this.finished) return err(providerError('protocol', { message: 'stream ended before [DONE]' }));
    return ok(response(this.#model, this.#text));
  }
}

/** SSE body for the fake format. */
export function fakeStream(texts: readonly string[]): string {
  return texts.map((text) => `data: ${JSON.stringify({ text })}\n\n`).join('') + 'data: [DONE]\n\n';
}
