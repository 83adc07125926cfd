/**
 * Writes the bundled batch example in vcr-fixtures/batch: an input of ten lines (answers, an
 * OpenAI Batch-style line, a 429 that is retried, a 500 that stays one, a 400 and an invalid
 * line) and a cassette of its requests, so `llmux batch` runs it offline. Deterministic.
 *
 *   npx tsc -p tsconfig.json && node dist/tests/batch/tools/make-batch-example.js --write
 *
 * Without --write it only reports whether the files are what it would write.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseInput } from '../../../src/batch/input.js';
import { packageRoot } from '../../../src/cli/paths.js';
import { prepareOpenAIRequest, resolveOpenAIConfig } from '../../../src/providers/openai/adapter.js';
import { bodyFromText, serializeCassette, type Exchange } from '../../../src/vcr/cassette.js';

type Outcome = { readonly text: string } | { readonly status: number; readonly type: string; readonly code: string | null; readonly message: string };

interface Line {
  readonly line: unknown;
  /** What each attempt gets, in order (a retried request has several). */
  readonly answers: readonly Outcome[];
}

const user = (content: string) => [{ role: 'user', content }];
const sentiment = (text: string) => ({ system: 'Label the sentiment of the review: positive, negative or neutral. One word.', messages: user(text), maxOutputTokens: 3, temperature: 0 });
const serverError: Outcome = { status: 500, type: 'server_error', code: null, message: 'The server had an error while processing your request.' };

const LINES: readonly Line[] = [
  { line: { id: 'capital-fr', request: { messages: user('What is the capital of France? One word.') } }, answers: [{ text: 'Paris.' }] },
  { line: { id: 'capital-jp', request: { messages: user('What is the capital of Japan? One word.') } }, answers: [{ text: 'Tokyo.' }] },
  { line: { id: 'review-1', request: sentiment('Arrived early and works perfectly.') }, answers: [{ text: 'positive' }] },
  { line: { id: 'review-2', request: sentiment('Broke after two days; support never answered.') }, answers: [{ text: 'negative' }] },
  { line: { id: 'review-3', request: sentiment('It is a cable. It carries current.') }, answers: [{ text: 'neutral' }] },
  {
    line: { custom_id: 'translate-1', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: user('Translate to German: good morning'), max_tokens: 10 } },
    answers: [{ text: 'Guten Morgen' }],
  },
  {
    line: { id: 'busy', request: { messages: user('Name a prime number above 100.') } },
    answers: [{ status: 429, type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests.' }, { text: '101' }],
  },
  { line: { id: 'unlucky', request: { messages: user('Say hello.') } }, answers: [serverError, serverError, serverError] },
  {
    line: { id: 'too-long', request: { messages: user('Summarise this book in one line.'), maxOutputTokens: 999999 } },
    answers: [{ status: 400, type: 'invalid_request_error', code: 'invalid_value', message: 'max_tokens is too large: 999999. This model supports at most 16384 completion tokens.' }],
  },
  { line: { id: 'broken', request: { messages: [] } }, answers: [] },
];

function inputText(): string {
  return LINES.map((entry) => JSON.stringify(entry.line)).join('\n') + '\n';
}

function cassetteText(): string {
  const config = resolveOpenAIConfig({ apiKey: 'example', env: {} });
  if (config.isErr()) throw new Error(config.error.message);
  const entries = parseInput(inputText())._unsafeUnwrap().entries;
  const exchanges: Exchange[] = [];
  entries.forEach((entry, index) => {
    if (entry.kind !== 'item') return;
    const prepared = prepareOpenAIRequest(config.value, entry.item.request, 'request');
    if (prepared.isErr()) throw new Error(prepared.error.message);
    const http = prepared.value.http;
    (LINES[index]?.answers ?? []).forEach((answer, attempt) => {
      const t = 300 + 40 * index + attempt;
      const body = 'text' in answer ? answerBody(entry.item.id, answer.text, index) : JSON.stringify({ error: { message: answer.message, type: answer.type, param: null, code: answer.code } });
      const status = 'text' in answer ? 200 : answer.status;
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': `req_example_${index}_${attempt}` };
      if (status === 429) headers['retry-after'] = '1';
      exchanges.push({
        request: { method: 'POST', url: http.url, headers: { ...http.headers, authorization: '[REDACTED]' }, body: bodyFromText(http.body ?? '') },
        response: { status, headers, t },
        chunks: [{ bytes: Buffer.from(body, 'utf8'), t: t + 5 }],
        end: { kind: 'ok', t: t + 6 },
      });
    });
  });
  return serializeCassette({ exchanges });
}

function answerBody(id: string, text: string, index: number): string {
  const prompt = 12 + index;
  const completion = Math.max(1, text.split(/\s+/).length + 1);
  return JSON.stringify({
    id: `chatcmpl-LMXbatch${String(index).padStart(2, '0')}${id.replace(/[^a-z0-9]/g, '')}`,
    object: 'chat.completion',
    created: 1767225600 + index,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  });
}

export function exampleDir(): string {
  return join(packageRoot(), 'vcr-fixtures', 'batch');
}

/** The files this script writes, by name. */
export function exampleFiles(): Record<string, string> {
  return { 'example.jsonl': inputText(), 'example.cassette.jsonl': cassetteText() };
}

if (process.argv[1]?.endsWith('make-batch-example.js') === true) {
  const dir = exampleDir();
  const write = process.argv.includes('--write');
  if (write) mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(exampleFiles())) {
    const path = join(dir, name);
    if (write) {
      writeFileSync(path, text);
      process.stdout.write(`wrote ${path}\n`);
    } else if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
      process.stdout.write(`# ${path} is not what this script writes; run it with --write\n`);
    }
  }
}
