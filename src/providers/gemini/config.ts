import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import type { CommonAdapterOptions } from '../definition.js';
import { isHeaderSafe, mergeHeaders, parseBaseURL, resolveApiKey, textOption, type ApiKeyRule } from '../kit/index.js';
import { GEMINI_KEY_HINT, VERTEX_TOKEN_HINT, type GeminiErrorContext } from './errors.js';
import { DEFAULT_GEMINI_MODEL } from './models.js';

/** Vertex AI instead of the Gemini API: the project's endpoint, with a token the caller supplies. */
export interface VertexOptions {
  readonly project: string;
  /** `us-central1`, `europe-west4`, ... or `global`. */
  readonly location: string;
  /**
   * An OAuth2 access token (`gcloud auth print-access-token`, or google-auth-library's
   * `getAccessToken()`), or a function that returns the current one: it is called for every
   * request, so a host can refresh the token without recreating the provider. llmux never
   * fetches Google credentials itself.
   */
  readonly accessToken?: string | (() => string | undefined);
}

export interface GeminiAdapterOptions extends CommonAdapterOptions {
  /** Defaults to `GEMINI_API_KEY`, then `GOOGLE_API_KEY`. Sent as `x-goog-api-key`, never in the URL. */
  readonly apiKey?: string;
  /** Defaults to https://generativelanguage.googleapis.com/v1beta (or the Vertex endpoint). */
  readonly baseURL?: string;
  readonly vertex?: VertexOptions;
}

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

const GEMINI_HOST = 'generativelanguage.googleapis.com';

export const GEMINI_KEY_RULE: ApiKeyRule = {
  providerName: 'Gemini',
  envVars: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
  factoryName: 'createGemini()',
  keysUrl: 'https://aistudio.google.com/apikey',
};

/** Everything that does not change per request, checked once. */
export interface GeminiConfig {
  readonly baseURL: string;
  /** Lower-case names; the key header included, the bearer token not (it is read per request). */
  readonly headers: Readonly<Record<string, string>>;
  readonly defaultModel: string;
  readonly accessToken: (() => Result<string, ProviderError>) | undefined;
  readonly errorContext: GeminiErrorContext;
}

/** `https://{location}-aiplatform.googleapis.com/v1beta1/projects/{project}/locations/{location}/publishers/google`. */
export function vertexBaseURL(project: string, location: string): string {
  const host = location === 'global' ? 'aiplatform.googleapis.com' : `${location}-aiplatform.googleapis.com`;
  return `https://${host}/v1beta1/projects/${project}/locations/${location}/publishers/google`;
}

function invalid(message: string, param: string): ProviderError {
  return providerError('invalid_arg', { message, param });
}

/**
 * Options and environment -> config, or the error every request will report (creating the
 * adapter never fails; the first start call says what is wrong).
 */
export function resolveGeminiConfig(options: GeminiAdapterOptions = {}): Result<GeminiConfig, ProviderError> {
  const env = options.env ?? process.env;
  if (options.api !== undefined) {
    return err(invalid(`Gemini has one API; the api option ${JSON.stringify(options.api)} means nothing here.`, 'api'));
  }
  const vertex = options.vertex;
  let base: string;
  if (vertex !== undefined) {
    const project = textOption(vertex.project);
    const location = textOption(vertex.location);
    const segment = /^[A-Za-z0-9._-]+$/;
    if (project === undefined || !segment.test(project)) return err(invalid('vertex.project must be a Google Cloud project id.', 'vertex.project'));
    if (location === undefined || !/^[a-z0-9-]+$/.test(location)) return err(invalid('vertex.location must be a region such as us-central1, or global.', 'vertex.location'));
    base = textOption(options.baseURL) ?? vertexBaseURL(project, location);
  } else {
    base = textOption(options.baseURL) ?? GEMINI_DEFAULT_BASE_URL;
  }
  const url = parseBaseURL(base, vertex === undefined ? 'Gemini' : 'Vertex AI', vertex === undefined ? GEMINI_DEFAULT_BASE_URL : vertexBaseURL('my-project', 'us-central1'));
  if (url.isErr()) return err(url.error);
  const token = vertex === undefined ? undefined : tokenSource(vertex.accessToken);
  // With Vertex a key is optional (express mode); the Gemini API needs one at Google's own host.
  const rule: ApiKeyRule = { ...GEMINI_KEY_RULE, required: token === undefined && url.value.hostname === GEMINI_HOST };
  // A Vertex token replaces the key; without one, Vertex express mode takes a given key (not one from the environment).
  const key = token === undefined ? resolveApiKey(options.apiKey, vertex === undefined ? env : {}, rule) : ok(undefined);
  if (key.isErr()) return err({ ...key.error, hint: GEMINI_KEY_HINT });
  if (vertex !== undefined && token === undefined && key.value === undefined) {
    return err(
      providerError('auth', {
        message: 'Vertex AI needs credentials: pass { vertex: { project, location, accessToken } } (an OAuth access token) or an express-mode apiKey.',
        hint: VERTEX_TOKEN_HINT,
      }),
    );
  }
  const headers = mergeHeaders(key.value === undefined ? {} : { 'x-goog-api-key': key.value }, options.headers);
  if (headers.isErr()) return err(headers.error);
  const secrets = [key.value, typeof vertex?.accessToken === 'string' ? vertex.accessToken : undefined].filter((s): s is string => s !== undefined);
  return ok({
    baseURL: base,
    headers: headers.value,
    defaultModel: textOption(options.defaultModel) ?? DEFAULT_GEMINI_MODEL,
    accessToken: token,
    errorContext: { label: vertex === undefined ? 'Gemini' : 'Vertex AI', secrets },
  });
}

function tokenSource(given: VertexOptions['accessToken']): (() => Result<string, ProviderError>) | undefined {
  if (given === undefined) return undefined;
  return () => {
    let token: unknown;
    try {
      token = typeof given === 'function' ? given() : given;
    } catch (cause) {
      return err(providerError('auth', { message: `The Vertex AI accessToken function threw: ${cause instanceof Error ? cause.message : String(cause)}.`, hint: VERTEX_TOKEN_HINT }));
    }
    const text = textOption(typeof token === 'string' ? token.trim() : undefined);
    if (text === undefined) return err(providerError('auth', { message: 'The Vertex AI access token is empty.', hint: VERTEX_TOKEN_HINT }));
    if (!isHeaderSafe(text)) return err(providerError('auth', { message: 'The Vertex AI access token contains spaces, control or non-ASCII characters.', hint: VERTEX_TOKEN_HINT }));
    return ok(text);
  };
}
