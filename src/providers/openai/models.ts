import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import { checkModelName, type KnownModel } from '../kit/models.js';

export { MAX_MODEL_NAME_LENGTH } from '../kit/models.js';

/** The two OpenAI wire APIs llmux speaks. */
export type OpenAIApi = 'chat' | 'responses';

export const OPENAI_APIS: readonly OpenAIApi[] = ['chat', 'responses'];

/** Cheap, fast and available to every account: a safe default for a first request. */
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

/**
 * Reasoning models do better on the Responses API: it can return reasoning summaries and
 * keeps reasoning state between turns, which Chat Completions drops. Everything else (and
 * any name we do not know, such as a local model behind a custom base URL) goes to Chat
 * Completions, the API every OpenAI-compatible server implements.
 */
const RESPONSES_PREFERRED: readonly RegExp[] = [
  // o1, o1-mini, o3, o3-pro, o4-mini, ... with or without a date suffix.
  /^o\d+(?:$|[-.])/,
  // gpt-5, gpt-5-mini, gpt-5-nano, gpt-5.1, gpt-5-codex, gpt-5.1-codex-max, ...
  /^gpt-5(?:$|[-.])/,
  // codex-mini-latest and other codex models.
  /(?:^|-)codex(?:$|-)/,
];

/** Which API a model works best with when nobody said. Case-insensitive. */
export function preferredApi(model: string): OpenAIApi {
  const name = model.toLowerCase();
  return RESPONSES_PREFERRED.some((pattern) => pattern.test(name)) ? 'responses' : 'chat';
}

export function isOpenAIApi(value: unknown): value is OpenAIApi {
  return value === 'chat' || value === 'responses';
}

/**
 * The request's own `api` wins, then the provider option, then the model table. An unknown
 * `api` string is an error rather than a silent fallback, because it is almost always a typo.
 */
export function selectApi(
  requestApi: string | undefined,
  optionApi: OpenAIApi | undefined,
  model: string,
): Result<OpenAIApi, ProviderError> {
  if (requestApi !== undefined) {
    if (isOpenAIApi(requestApi)) return ok(requestApi);
    return err(
      providerError('invalid_arg', {
        message: `Unknown OpenAI api ${JSON.stringify(requestApi)}: use "chat" or "responses".`,
        param: 'api',
      }),
    );
  }
  return ok(optionApi ?? preferredApi(model));
}

/**
 * Rejects names that cannot be right before a request is spent on them. Whitespace and
 * control characters usually mean a pasted line ending or a template gone wrong.
 */
export function validateModelName(model: unknown): Result<string, ProviderError> {
  return checkModelName(model, {
    label: 'Invalid model name',
    refuse: (name) => (/[\s\p{Cc}]/u.test(name) ? `${JSON.stringify(name)} contains whitespace or control characters` : undefined),
  });
}

export interface RecommendedModel extends KnownModel {
  readonly api: OpenAIApi;
}

/**
 * For the README and the CLI's model list. It is not an allow-list (every name the API accepts
 * works); the table only decides the default API.
 */
export const RECOMMENDED_MODELS: readonly RecommendedModel[] = [
  { id: 'gpt-4o-mini', api: 'chat', use: 'llmux default: cheap, fast, text and images' },
  { id: 'gpt-4.1', api: 'chat', use: 'non-reasoning flagship, long context, strong tool use' },
  { id: 'gpt-4.1-mini', api: 'chat', use: 'cheaper gpt-4.1' },
  { id: 'gpt-4o', api: 'chat', use: 'general multimodal model' },
  { id: 'gpt-5', api: 'responses', use: 'reasoning flagship' },
  { id: 'gpt-5-mini', api: 'responses', use: 'cheaper reasoning' },
  { id: 'gpt-5-nano', api: 'responses', use: 'cheapest reasoning, classification and extraction' },
  { id: 'o4-mini', api: 'responses', use: 'fast reasoning' },
  { id: 'o3', api: 'responses', use: 'deep reasoning' },
  {
    id: 'o1-mini',
    api: 'responses',
    use: 'early small reasoning model',
    deprecation: 'Deprecated by OpenAI; use o4-mini or gpt-5-mini.',
  },
  {
    id: 'o1-preview',
    api: 'responses',
    use: 'early reasoning preview',
    deprecation: 'Deprecated by OpenAI; use o3 or gpt-5.',
  },
  {
    id: 'gpt-4.5-preview',
    api: 'chat',
    use: 'research preview',
    deprecation: 'Deprecated by OpenAI; use gpt-4.1.',
  },
  {
    id: 'gpt-4-turbo',
    api: 'chat',
    use: 'legacy GPT-4',
    deprecation: 'Legacy; use gpt-4.1, which is better and cheaper.',
  },
  {
    id: 'gpt-3.5-turbo',
    api: 'chat',
    use: 'legacy',
    deprecation: 'Legacy; use gpt-4o-mini, which is better and cheaper.',
  },
];
