import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { HeaderRecord } from '../../http/types.js';
import type { PreparedRequest, ProviderAdapter, RequestMode, StreamParser } from '../adapter.js';
import type { ChatRequest, ChatResponse } from '../types.js';
import { createChatStreamParser } from './chat-stream-parser.js';
import { mapOpenAIHttpError, OPENAI_KEY_RULE, type ErrorContext } from './errors.js';
import { DEFAULT_OPENAI_MODEL, isOpenAIApi, selectApi, validateModelName, type OpenAIApi } from './models.js';
import { parseChatResponse, parseResponsesResponse } from './response-parsers.js';
import { createResponsesStreamParser } from './responses-stream-parser.js';
import { serializeChatBody } from './serialize-chat.js';
import { serializeResponsesBody } from './serialize-responses.js';
import { optionOrEnv, resolveApiKey } from '../kit/env.js';
import { joinUrl, LLMUX_VERSION, mergeHeaders, parseBaseURL, requestHeaders, stringifyBody } from '../kit/http.js';
import type { CommonAdapterOptions } from '../definition.js';

export interface OpenAIAdapterOptions extends CommonAdapterOptions {
  /** Defaults to `OPENAI_API_KEY`. Optional for servers other than api.openai.com. */
  readonly apiKey?: string;
  /** Defaults to `OPENAI_BASE_URL`, then https://api.openai.com/v1. Any OpenAI-compatible server works. */
  readonly baseURL?: string;
  /** Sent as `OpenAI-Organization`; defaults to `OPENAI_ORG_ID`. */
  readonly organization?: string;
  /** Sent as `OpenAI-Project`; defaults to `OPENAI_PROJECT_ID`. */
  readonly project?: string;
  /** Extra headers on every request (a request's `extraHeaders` go on top). */
  readonly headers?: Readonly<Record<string, string>>;
  /** The model of requests that name none; defaults to `gpt-4o-mini`. */
  readonly defaultModel?: string;
  /** Force one API for every request that does not choose; otherwise the model decides. */
  readonly api?: OpenAIApi;
  /** Where the `OPENAI_*` variables are read; defaults to `process.env`. Tests pass their own. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export { LLMUX_VERSION };

const OPENAI_HOST = 'api.openai.com';

/** Everything about the provider that does not change per request, checked once. */
export interface OpenAIConfig {
  readonly baseURL: string;
  readonly apiKey: string | undefined;
  /** Lower-case header names, without the per-request ones. */
  readonly headers: Readonly<Record<string, string>>;
  readonly defaultModel: string;
  readonly api: OpenAIApi | undefined;
  readonly errorContext: ErrorContext;
}

/**
 * Reads options and environment into a config, or the error every request will report. It
 * is an error value rather than a throw so that `createOpenAIAdapter` always succeeds and
 * the first start call reports the problem, as the engine's contract promises.
 */
export function resolveOpenAIConfig(options: OpenAIAdapterOptions = {}): Result<OpenAIConfig, ProviderError> {
  const env = options.env ?? process.env;
  const rawBase = optionOrEnv(options.baseURL, env, ['OPENAI_BASE_URL']) ?? OPENAI_DEFAULT_BASE_URL;
  const base = parseBaseURL(rawBase, 'OpenAI', OPENAI_DEFAULT_BASE_URL);
  if (base.isErr()) return err(base.error);
  const isOpenAI = base.value.hostname === OPENAI_HOST;
  const key = resolveApiKey(options.apiKey, env, { ...OPENAI_KEY_RULE, required: isOpenAI });
  if (key.isErr()) return err(key.error);
  const apiKey = key.value;
  if (options.api !== undefined && !isOpenAIApi(options.api)) {
    return err(
      providerError('invalid_arg', {
        message: `Unknown OpenAI api option ${JSON.stringify(options.api)}: use "chat" or "responses".`,
        param: 'api',
      }),
    );
  }
  const headers: Record<string, string> = {};
  if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`;
  const organization = optionOrEnv(options.organization, env, ['OPENAI_ORG_ID']);
  if (organization !== undefined) headers['openai-organization'] = organization;
  const project = optionOrEnv(options.project, env, ['OPENAI_PROJECT_ID']);
  if (project !== undefined) headers['openai-project'] = project;
  const merged = mergeHeaders(headers, options.headers);
  if (merged.isErr()) return err(merged.error);
  return ok({
    baseURL: rawBase,
    apiKey,
    headers: merged.value,
    defaultModel: options.defaultModel ?? DEFAULT_OPENAI_MODEL,
    api: options.api,
    errorContext: {
      label: isOpenAI ? 'OpenAI' : `OpenAI-compatible server ${base.value.host}`,
      secrets: apiKey === undefined ? [] : [apiKey],
    },
  });
}

/** The endpoint for an API under the base URL, keeping any query (Azure's `api-version`). */
export function endpointUrl(baseURL: string, api: OpenAIApi): string {
  return joinUrl(baseURL, api === 'chat' ? 'chat/completions' : 'responses');
}

/** Builds the HTTP request for one ChatRequest. Pure; errors are values. */
export function prepareOpenAIRequest(
  config: OpenAIConfig,
  request: ChatRequest,
  mode: RequestMode,
): Result<PreparedRequest, ProviderError> {
  if (typeof request !== 'object' || request === null) {
    return err(providerError('invalid_arg', { message: 'The request must be an object with a `messages` array.' }));
  }
  const model = validateModelName(request.model ?? config.defaultModel);
  if (model.isErr()) return err(model.error);
  const api = selectApi(request.api, config.api, model.value);
  if (api.isErr()) return err(api.error);
  const stream = mode === 'stream';
  const body =
    api.value === 'chat'
      ? serializeChatBody(request, model.value, stream)
      : serializeResponsesBody(request, model.value, stream);
  if (body.isErr()) return err(body.error);
  const text = stringifyBody(body.value);
  if (text.isErr()) return err(text.error);
  const headers = requestHeaders(stream, config.headers, request.extraHeaders);
  if (headers.isErr()) return err(headers.error);
  return ok({
    http: { method: 'POST', url: endpointUrl(config.baseURL, api.value), headers: headers.value, body: text.value },
    model: model.value,
    api: api.value,
  });
}

/**
 * The OpenAI provider: Chat Completions and Responses over one base URL, for api.openai.com
 * and OpenAI-compatible servers alike. Creating it never fails; configuration problems (no
 * key, bad base URL) come back from every `prepare`, so the first start call reports them.
 */
export function createOpenAIAdapter(options: OpenAIAdapterOptions = {}): ProviderAdapter {
  const config = resolveOpenAIConfig(options);
  const errorContext = config.isOk() ? config.value.errorContext : {};
  const model = (prepared: PreparedRequest): { model: string; errorContext: ErrorContext } => ({
    model: prepared.model,
    errorContext,
  });
  return {
    name: 'openai',
    displayName: 'OpenAI',
    prepare(request: ChatRequest, mode: RequestMode): Result<PreparedRequest, ProviderError> {
      if (config.isErr()) return err(config.error);
      try {
        return prepareOpenAIRequest(config.value, request, mode);
      } catch (cause) {
        // Only reachable from callers without TypeScript passing ill-typed requests.
        return err(
          providerError('invalid_arg', {
            message: `The request is malformed: ${cause instanceof Error ? cause.message : String(cause)}.`,
          }),
        );
      }
    },
    createStreamParser(prepared: PreparedRequest): StreamParser {
      return prepared.api === 'responses'
        ? createResponsesStreamParser(model(prepared))
        : createChatStreamParser(model(prepared));
    },
    parseResponse(prepared: PreparedRequest, body: string): Result<ChatResponse, ProviderError> {
      return prepared.api === 'responses'
        ? parseResponsesResponse(body, model(prepared))
        : parseChatResponse(body, model(prepared));
    },
    mapHttpError(status: number, headers: HeaderRecord, body: string, nowMs: number): ProviderError {
      return mapOpenAIHttpError(status, headers, body, nowMs, errorContext);
    },
  };
}
