import t from 'tap';
import { err, ok } from 'neverthrow';
import { providerError } from '../../src/errors/category.js';
import type { ProviderAdapter } from '../../src/providers/adapter.js';
import { createProvider, providerDefinition, providerNames, registerProvider } from '../../src/providers/registry.js';
import { chatOptionsText, mainHelp } from '../../src/cli/usage.js';
import { parseCommandLine } from '../../src/cli/args.js';
import { BlackHoleDispatcher } from '../helpers/stub-dispatcher.js';

const seen: unknown[] = [];

function echoAdapter(name: string): ProviderAdapter {
  return {
    name,
    displayName: 'Echo',
    prepare: () => err(providerError('auth', { message: 'No Echo API key: set ECHO_KEY' })),
    createStreamParser: () => {
      throw new Error('not used');
    },
    parseResponse: () => ok({ model: 'm', content: [], text: '', toolCalls: [], finishReason: 'stop', usage: null }),
    mapHttpError: () => providerError('server', { message: 'x' }),
  };
}

t.test('OpenAI is registered with its key variable and default model', async (t) => {
  t.ok(providerNames().includes('openai'));
  const openai = providerDefinition('openai');
  t.match(openai, { name: 'openai', displayName: 'OpenAI', keyEnvVars: ['OPENAI_API_KEY'], defaultModel: 'gpt-4o-mini' });
  t.equal(providerDefinition('nope'), undefined);
});

t.test('createProvider errs on an unknown name, listing the known ones', async (t) => {
  const unknown = createProvider('nope');
  t.match(unknown.isErr() ? unknown.error : undefined, { category: 'invalid_arg', message: /unknown provider "nope"; known providers: openai/ });
});

t.test('a registered provider is created by name and appears in the CLI', async (t) => {
  const registered = registerProvider({
    name: 'echo',
    displayName: 'Echo',
    keyEnvVars: ['ECHO_KEY', 'ECHO_TOKEN'],
    defaultModel: 'echo-1',
    keyRequired: true,
    createAdapter(options: { apiKey?: string; flavour?: string }) {
      seen.push(options);
      return echoAdapter('echo');
    },
  });
  t.ok(registered.isOk());
  t.same(providerNames().slice(-1), ['echo']);
  const created = createProvider('echo', { apiKey: 'k', engine: { dispatcher: new BlackHoleDispatcher() } });
  t.ok(created.isOk());
  if (created.isOk()) {
    t.equal(created.value.name, 'echo');
    const started = created.value.startStream({ messages: [] }, () => {}, () => {});
    t.match(started.isErr() ? started.error : undefined, { category: 'auth', message: /ECHO_KEY/ });
    await created.value.cleanup();
  }
  t.match(seen[0], { apiKey: 'k' }, 'the factory gets the options');
  t.match(mainHelp('0.0.0'), /ECHO_KEY\s+the Echo key \(or ECHO_TOKEN\)/, 'help lists its key variables');
  t.match(chatOptionsText(), /provider: openai, anthropic, gemini, echo/);
  t.match(chatOptionsText(), /echo echo-1/);
  const args = parseCommandLine(['chat', '--provider', 'echo', 'hi']);
  t.ok(args.isOk(), '--provider accepts it');
  const bad = parseCommandLine(['chat', '--provider', 'nope', 'hi']);
  t.match(bad.isErr() ? bad.error : '', /unknown provider "nope"; known providers: openai, anthropic, gemini, echo/);
});

t.test('names are unique lower-case ids', async (t) => {
  const base = { displayName: 'X', keyEnvVars: [], defaultModel: 'x', keyRequired: false, createAdapter: () => echoAdapter('x') };
  t.match(registerProvider({ ...base, name: 'openai' })._unsafeUnwrapErr(), { category: 'invalid_arg', message: /already registered/ });
  t.match(registerProvider({ ...base, name: 'Bad Name' })._unsafeUnwrapErr(), { category: 'invalid_arg', message: /lower-case ids/ });
});
