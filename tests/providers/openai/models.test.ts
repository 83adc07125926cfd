import t from 'tap';
import {
  DEFAULT_OPENAI_MODEL,
  MAX_MODEL_NAME_LENGTH,
  preferredApi,
  RECOMMENDED_MODELS,
  selectApi,
  validateModelName,
} from '../../../src/providers/openai/models.js';
import { errOf, okOf } from './helpers.js';

t.test('reasoning models prefer the Responses API, others Chat Completions', async (t) => {
  const responses = [
    'o1', 'o1-mini', 'o1-2024-12-17', 'o3', 'o3-mini', 'o3-pro', 'o4-mini', 'o4-mini-2025-04-16',
    'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5.1', 'gpt-5-codex', 'gpt-5.1-codex-max', 'codex-mini-latest', 'GPT-5',
  ];
  for (const model of responses) t.equal(preferredApi(model), 'responses', model);
  const chat = [
    'gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-nano', 'gpt-3.5-turbo', 'llama3.1:8b', 'deepseek-reasoner',
    'openai/gpt-5', 'gpt-50x', 'omni', 'o', 'qwen2.5-coder', 'mistral-small',
  ];
  for (const model of chat) t.equal(preferredApi(model), 'chat', model);
});

t.test('selectApi: the request wins, then the option, then the model', async (t) => {
  t.equal(okOf(selectApi('chat', 'responses', 'gpt-5')), 'chat');
  t.equal(okOf(selectApi('responses', undefined, 'gpt-4o')), 'responses');
  t.equal(okOf(selectApi(undefined, 'chat', 'gpt-5')), 'chat');
  t.equal(okOf(selectApi(undefined, undefined, 'gpt-5')), 'responses');
  t.equal(okOf(selectApi(undefined, undefined, 'gpt-4o')), 'chat');
  const error = errOf(selectApi('completions', undefined, 'gpt-4o'));
  t.match(error, { category: 'invalid_arg', param: 'api', message: /Unknown OpenAI api "completions"/ });
});

t.test('model name validation', async (t) => {
  t.equal(okOf(validateModelName('gpt-4o-mini')), 'gpt-4o-mini');
  t.equal(okOf(validateModelName('accounts/fireworks/models/llama-v3p1-8b-instruct')), 'accounts/fireworks/models/llama-v3p1-8b-instruct');
  t.equal(okOf(validateModelName('x'.repeat(MAX_MODEL_NAME_LENGTH))).length, MAX_MODEL_NAME_LENGTH);
  const cases: ReadonlyArray<[unknown, RegExp]> = [
    ['', /empty/],
    ['x'.repeat(MAX_MODEL_NAME_LENGTH + 1), /257 characters long, the limit is 256/],
    ['gpt-4o\n', /whitespace or control/],
    [' gpt-4o', /whitespace or control/],
    ['gpt 4o', /whitespace or control/],
    ['gpt-4o\u0000', /whitespace or control/],
    [42, /must be a string/],
  ];
  for (const [model, message] of cases) {
    const error = errOf(validateModelName(model));
    t.equal(error.category, 'invalid_arg');
    t.equal(error.param, 'model');
    t.match(error.message, message);
  }
});

t.test('the recommended list agrees with the table and names a replacement for deprecated models', async (t) => {
  t.equal(DEFAULT_OPENAI_MODEL, 'gpt-4o-mini');
  t.ok(RECOMMENDED_MODELS.some((m) => m.id === DEFAULT_OPENAI_MODEL && m.deprecation === undefined), 'the default is recommended');
  for (const model of RECOMMENDED_MODELS) {
    t.equal(preferredApi(model.id), model.api, `${model.id} api`);
    t.ok(okOf(validateModelName(model.id)));
    if (model.deprecation !== undefined) t.match(model.deprecation, /use \S+/i, `${model.id} names a replacement`);
  }
});
