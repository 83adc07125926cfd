import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { HeaderRecord } from '../../http/types.js';
import type { PreparedRequest, ProviderAdapter, RequestMode, StreamParser } from '../adapter.js';
import type { ChatRequest, ChatResponse } from '../types.js';
import { createChatStreamParser } from './chat-stream-parser.js';
import { API_KEY_HINT, mapOpenAIHttpError, type ErrorContext } from './errors.js';
import { DEFAULT_OPENAI_MODEL, isOpenAIApi, selectApi, validateModelName, type OpenAIApi } from './models.js';
import { parseChatResponse, parseResponsesResponse } from './response-parsers.js';
import { createResponsesStreamParser } from './responses-stream-parser.js';
import { serializeChatBody } from './serialize-chat.js';
import { serializeResponsesBody } from './serialize-responses.js';
import type { WireBody } from './serialize-common.js';

export interface OpenAIAdapterOptions {
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

/** Kept in step with package.json (a test checks). */
export const LLMUX_VERSION = '0.1.0';

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
  const rawBase = text(options.baseURL) ?? text(env.OPENAI_BASE_URL) ?? OPENAI_DEFAULT_BASE_URL;
  const base = parseBaseURL(rawBase);
  if (base.isErr()) return err(base.error);
  const isOpenAI = base.value.hostname === OPENAI_HOST;
  const apiKey = text(options.apiKey)?.trim() || text(env.OPENAI_API_KEY)?.trim() || undefined;
  if (apiKey === undefined && isOpenAI) {
    return err(
      providerError('auth', {
        message:
          'No OpenAI API key: set the OPENAI_API_KEY environment variable (export OPENAI_API_KEY=...) or pass { apiKey } to createOpenAI().',
        hint: API_KEY_HINT,
      }),
    );
  }
  if (apiKey !== undefined && !isHeaderSafe(apiKey)) {
    // Never echo the key: it is wrong, but it may still be mostly secret.
    return err(
      providerError('auth', {
        message: 'The OpenAI API key contains spaces, control or non-ASCII characters; check how it was set.',
        hint: API_KEY_HINT,
      }),
    );
  }
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
  const organization = text(options.organization) ?? text(env.OPENAI_ORG_ID);
  if (organization !== undefined) headers['openai-organization'] = organization;
  const project = text(options.project) ?? text(env.OPENAI_PROJECT_ID);
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

/** A non-empty string option, else undefined (callers without TypeScript may pass anything). */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function parseBaseURL(raw: string): Result<URL, ProviderError> {
  // The raw text is never echoed: it may hold credentials, or be a key pasted into the wrong variable.
  const invalid = (shown: string, why: string): Result<URL, ProviderError> =>
    err(
      providerError('invalid_arg', {
        message: `Invalid OpenAI base URL${shown}: ${why}.`,
        param: 'baseURL',
        hint: `Use an absolute http(s) URL such as ${OPENAI_DEFAULT_BASE_URL} or http://localhost:11434/v1.`,
      }),
    );
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return invalid('', `it is not an absolute URL (${raw.length} characters, no scheme; is an API key in the base URL setting?)`);
  }
  const shown = ` ${url.protocol}//${url.host}${url.pathname}`;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return invalid(shown, `the scheme must be http or https, not ${url.protocol}`);
  if (url.username !== '' || url.password !== '') return invalid(shown, 'credentials in the URL would be sent in clear; use apiKey');
  return ok(url);
}

/** The endpoint for an API under the base URL, keeping any query (Azure's `api-version`). */
export function endpointUrl(baseURL: string, api: OpenAIApi): string {
  const url = new URL(baseURL);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${api === 'chat' ? '/chat/completions' : '/responses'}`;
  return url.toString();
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Connection-level headers belong to the HTTP client; undici refuses most of them. */
const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'content-length',
  'expect',
  'host',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function isHeaderSafe(value: string): boolean {
  return /^[\x21-\x7e]+$/.test(value);
}

/** Later headers replace earlier ones whatever their case; names and values are checked, since undici would throw. */
function mergeHeaders(
  base: Readonly<Record<string, string>>,
  ...layers: ReadonlyArray<Readonly<Record<string, string>> | undefined>
): Result<Record<string, string>, ProviderError> {
  const out: Record<string, string> = { ...base };
  for (const layer of layers) {
    if (layer === undefined) continue;
    for (const [name, value] of Object.entries(layer)) {
      if (!TOKEN.test(name) || typeof value !== 'string' || /[\r\n\0]/.test(value)) {
        return err(
          providerError('invalid_arg', {
            message: `Invalid HTTP header ${JSON.stringify(name)}: names must be tokens and values a single line.`,
            param: 'headers',
          }),
        );
      }
      if (RESERVED_HEADERS.has(name.toLowerCase())) {
        return err(
          providerError('invalid_arg', {
            message: `The HTTP header ${JSON.stringify(name)} is managed by the HTTP client and cannot be set.`,
            param: 'headers',
          }),
        );
      }
      out[name.toLowerCase()] = value;
    }
  }
  return ok(out);
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
  const text = stringify(body.value);
  if (text.isErr()) return err(text.error);
  const headers = mergeHeaders(
    {
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
      'user-agent': `llmux/${LLMUX_VERSION}`,
      ...config.headers,
    },
    request.extraHeaders,
  );
  if (headers.isErr()) return err(headers.error);
  return ok({
    http: { method: 'POST', url: endpointUrl(config.baseURL, api.value), headers: headers.value, body: text.value },
    model: model.value,
    api: api.value,
  });
}

function stringify(body: WireBody): Result<string, ProviderError> {
  try {
    return ok(JSON.stringify(body));
  } catch (cause) {
    return err(
      providerError('invalid_arg', {
        message: `The request body cannot be written as JSON (${cause instanceof Error ? cause.message : String(cause)}); check tool schemas and extraBody for BigInt values or cycles.`,
      }),
    );
  }
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
