import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { HeaderRecord } from '../../http/headers.js';
import type { PreparedRequest, ProviderAdapter, RequestMode, StreamParser } from '../adapter.js';
import { joinUrl, requestHeaders, stringifyBody } from '../kit/index.js';
import type { ChatRequest, ChatResponse } from '../types.js';
import { resolveGeminiConfig, type GeminiAdapterOptions, type GeminiConfig } from './config.js';
import { mapGeminiHttpError } from './errors.js';
import { validateGeminiModel } from './models.js';
import { serializeGeminiBody } from './serialize.js';
import { createGeminiStreamParser, parseGeminiResponse } from './stream-parser.js';

/** The one API flavour, for PreparedRequest.api. */
export const GEMINI_API = 'generateContent';

/** Builds the HTTP request for one ChatRequest. Pure apart from a caller's token function; errors are values. */
export function prepareGeminiRequest(config: GeminiConfig, request: ChatRequest, mode: RequestMode): Result<PreparedRequest, ProviderError> {
  if (typeof request !== 'object' || request === null) {
    return err(providerError('invalid_arg', { message: 'The request must be an object with a `messages` array.' }));
  }
  if (request.api !== undefined) {
    return err(providerError('invalid_arg', { message: `Gemini has one API; request.api ${JSON.stringify(request.api)} means nothing here.`, param: 'api' }));
  }
  const model = validateGeminiModel(request.model ?? config.defaultModel);
  if (model.isErr()) return err(model.error);
  const body = serializeGeminiBody(request, model.value).andThen(stringifyBody);
  if (body.isErr()) return err(body.error);
  const stream = mode === 'stream';
  let auth: Record<string, string> = {};
  if (config.accessToken !== undefined) {
    const token = config.accessToken();
    if (token.isErr()) return err(token.error);
    auth = { authorization: `Bearer ${token.value}` };
  }
  const headers = requestHeaders(stream, { ...config.headers, ...auth }, request.extraHeaders);
  if (headers.isErr()) return err(headers.error);
  // The key travels in x-goog-api-key only: a `?key=` URL would land in logs and cassettes.
  const url = stream
    ? joinUrl(config.baseURL, `models/${model.value}:streamGenerateContent`, { alt: 'sse' })
    : joinUrl(config.baseURL, `models/${model.value}:generateContent`);
  return ok({ http: { method: 'POST', url, headers: headers.value, body: body.value }, model: model.value, api: GEMINI_API });
}

/**
 * The Gemini provider: generateContent on the Gemini API (or Vertex AI). Creating it never
 * fails; configuration problems come back from every `prepare`.
 */
export function createGeminiAdapter(options: GeminiAdapterOptions = {}): ProviderAdapter {
  const config = resolveGeminiConfig(options);
  const errorContext = config.isOk() ? config.value.errorContext : {};
  const displayName = errorContext.label ?? 'Gemini';
  return {
    name: 'gemini',
    displayName,
    prepare(request: ChatRequest, mode: RequestMode): Result<PreparedRequest, ProviderError> {
      if (config.isErr()) return err(config.error);
      try {
        return prepareGeminiRequest(config.value, request, mode);
      } catch (cause) {
        // Only reachable from callers without TypeScript passing ill-typed requests.
        return err(providerError('invalid_arg', { message: `The request is malformed: ${cause instanceof Error ? cause.message : String(cause)}.` }));
      }
    },
    createStreamParser(prepared: PreparedRequest): StreamParser {
      return createGeminiStreamParser({ model: prepared.model, errorContext });
    },
    parseResponse(prepared: PreparedRequest, body: string): Result<ChatResponse, ProviderError> {
      return parseGeminiResponse(body, { model: prepared.model, errorContext });
    },
    mapHttpError(status: number, headers: HeaderRecord, body: string, nowMs: number): ProviderError {
      return mapGeminiHttpError(status, headers, body, nowMs, errorContext);
    },
  };
}
