import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { HeaderRecord } from '../../http/types.js';
import type { PreparedRequest, ProviderAdapter, RequestMode, StreamParser } from '../adapter.js';
import type { ChatRequest, ChatResponse } from '../types.js';
import { layerHeaders, resolveAnthropicConfig, type AnthropicAdapterOptions, type AnthropicConfig } from './config.js';
import { mapAnthropicHttpError } from './errors.js';
import { parseAnthropicResponse } from './response.js';
import { serializeAnthropicBody } from './serialize.js';
import { createAnthropicStreamParser } from './stream-parser.js';

export type { AnthropicAdapterOptions };

/** Kept in step with package.json. */
const USER_AGENT = 'llmux/0.1.0';

const MAX_MODEL_NAME_LENGTH = 256;

/** Builds the HTTP request for one ChatRequest. Pure; errors are values. */
export function prepareAnthropicRequest(
  config: AnthropicConfig,
  request: ChatRequest,
  mode: RequestMode,
): Result<PreparedRequest, ProviderError> {
  if (typeof request !== 'object' || request === null) {
    return err(providerError('invalid_arg', { message: 'The request must be an object with a `messages` array.' }));
  }
  const model = request.model ?? config.defaultModel;
  if (typeof model !== 'string' || model.trim().length === 0 || model.length > MAX_MODEL_NAME_LENGTH || /[\s\0]/.test(model)) {
    return err(providerError('invalid_arg', { message: 'The model name must be a non-empty name without spaces.', param: 'model' }));
  }
  const stream = mode === 'stream';
  const body = serializeAnthropicBody(request, model, stream);
  if (body.isErr()) return err(body.error);
  let text: string;
  try {
    text = JSON.stringify(body.value);
  } catch (cause) {
    return err(
      providerError('invalid_arg', {
        message: `The request body cannot be written as JSON (${cause instanceof Error ? cause.message : String(cause)}); check tool schemas and extraBody.`,
      }),
    );
  }
  const headers = layerHeaders(
    { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json', 'user-agent': USER_AGENT },
    config.headers,
    request.extraHeaders,
  );
  if (headers.isErr()) return err(headers.error);
  return ok({ http: { method: 'POST', url: config.endpoint, headers: headers.value, body: text }, model, api: 'messages' });
}

/**
 * The Anthropic Messages API provider. Creating it never fails; a missing key or a bad base
 * URL comes back from every `prepare`, so the first start call reports it.
 */
export function createAnthropicAdapter(options: AnthropicAdapterOptions = {}): ProviderAdapter {
  const config = resolveAnthropicConfig(options);
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
      return parseAnthropicResponse(body, prepared.model);
    },
    mapHttpError(status: number, headers: HeaderRecord, body: string, nowMs: number): ProviderError {
      return mapAnthropicHttpError(status, headers, body, nowMs, secrets);
    },
  };
}
