import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { HeaderRecord } from '../../http/types.js';
import type { PreparedRequest, ProviderAdapter, RequestMode, StreamParser } from '../adapter.js';
import type { ChatRequest, ChatResponse } from '../types.js';
import { stringifyBody, USER_AGENT } from '../kit/index.js';
import { mergeWithBetas, resolveAnthropicConfig, type AnthropicAdapterOptions, type AnthropicConfig } from './config.js';
import { mapAnthropicHttpError } from './errors.js';
import { parseAnthropicResponse } from './response.js';
import { serializeAnthropicBody } from './serialize.js';
import { createAnthropicStreamParser } from './stream-parser.js';

export type { AnthropicAdapterOptions };

const MAX_MODEL_NAME_LENGTH = 256;

/** The one API this provider speaks; `api` may name it, anything else is an error. */
const ANTHROPIC_API = 'messages';

function unknownApi(api: unknown): Result<never, ProviderError> {
  return err(
    providerError('invalid_arg', {
      message: `Anthropic has one API (the Messages API); api ${JSON.stringify(api)} is not one of its options: leave it unset.`,
      param: 'api',
    }),
  );
}

/** Builds the HTTP request for one ChatRequest. Pure; errors are values. */
export function prepareAnthropicRequest(
  config: AnthropicConfig,
  request: ChatRequest,
  mode: RequestMode,
): Result<PreparedRequest, ProviderError> {
  if (typeof request !== 'object' || request === null) {
    return err(providerError('invalid_arg', { message: 'The request must be an object with a `messages` array.' }));
  }
  if (request.api !== undefined && request.api !== ANTHROPIC_API) return unknownApi(request.api);
  const model = request.model ?? config.defaultModel;
  if (typeof model !== 'string' || model.trim().length === 0 || model.length > MAX_MODEL_NAME_LENGTH || /[\s\0]/.test(model)) {
    return err(providerError('invalid_arg', { message: 'The model name must be a non-empty name without spaces.', param: 'model' }));
  }
  const stream = mode === 'stream';
  const body = serializeAnthropicBody(request, model, stream);
  if (body.isErr()) return err(body.error);
  const text = stringifyBody(body.value);
  if (text.isErr()) return err(text.error);
  const headers = mergeWithBetas(
    { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json', 'user-agent': USER_AGENT },
    config.headers,
    request.extraHeaders,
  );
  if (headers.isErr()) return err(headers.error);
  const cap = body.value['max_tokens'];
  const http = { method: 'POST', url: config.endpoint, headers: headers.value, body: text.value } as const;
  return ok(typeof cap === 'number' ? { http, model, api: ANTHROPIC_API, outputCap: cap } : { http, model, api: ANTHROPIC_API });
}

/**
 * The Anthropic Messages API provider. Creating it never fails; a missing key or a bad base
 * URL comes back from every `prepare`, so the first start call reports it.
 */
export function createAnthropicAdapter(options: AnthropicAdapterOptions = {}): ProviderAdapter {
  const resolved = resolveAnthropicConfig(options);
  const config = resolved.isOk() && options.api !== undefined && options.api !== ANTHROPIC_API ? unknownApi(options.api) : resolved;
  const secrets = config.isOk() ? config.value.secrets : [];
  return {
    name: 'anthropic',
    displayName: 'Anthropic',
    prepare(request: ChatRequest, mode: RequestMode): Result<PreparedRequest, ProviderError> {
      if (config.isErr()) return err(config.error);
      try {
        return prepareAnthropicRequest(config.value, request, mode);
      } catch (cause) {
        // Only reachable from callers without TypeScript passing ill-typed requests.
        return err(
          providerError('invalid_arg', { message: `The request is malformed: ${cause instanceof Error ? cause.message : String(cause)}.` }),
        );
      }
    },
    createStreamParser(prepared: PreparedRequest): StreamParser {
      return createAnthropicStreamParser({ model: prepared.model, secrets });
    },
    parseResponse(prepared: PreparedRequest, body: string): Result<ChatResponse, ProviderError> {
      return parseAnthropicResponse(body, prepared.model, secrets);
    },
    mapHttpError(status: number, headers: HeaderRecord, body: string, nowMs: number): ProviderError {
      return mapAnthropicHttpError(status, headers, body, nowMs, secrets);
    },
  };
}
