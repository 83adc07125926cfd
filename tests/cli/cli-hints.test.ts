import t from 'tap';
import { cliHint } from '../../src/cli/cli-hints.js';
import { providerError } from '../../src/errors/category.js';

t.test('library hints name CLI flags on the command line', async (t) => {
  const context = providerError('invalid_arg', { message: 'too long', hint: 'shorten the messages or lower maxOutputTokens.' });
  t.equal(cliHint(context, {}), 'shorten the messages or lower --max-tokens.');
  const key = providerError('auth', { message: 'no key', hint: 'Set OPENAI_API_KEY (export OPENAI_API_KEY=...) or pass { apiKey } to createOpenAI(); keys are at https://platform.openai.com/api-keys.' });
  t.equal(cliHint(key, {}), 'Set OPENAI_API_KEY (export OPENAI_API_KEY=...); keys are at https://platform.openai.com/api-keys.', 'OpenAI itself: its key page stays');
  t.equal(cliHint(key, { baseUrl: 'https://api.openai.com/v1' })?.includes('platform.openai.com'), true);
  t.match(cliHint(key, { baseUrl: 'http://localhost:11434/v1' }) ?? '', /^the server at localhost:11434 refused the key/);
  t.equal(cliHint(providerError('server', { message: 'x' }), {}), undefined, 'no hint, none made up');
  const retries = providerError('rate_limit', { message: 'x', hint: 'raise maxRetries or the baseURL quota' });
  t.equal(cliHint(retries, {}), 'raise --retries or the --base-url quota');
});
