/**
 * Writes the Batch API lane's cassettes in vcr-fixtures/batch-api: whole exchanges (upload,
 * create, poll in progress, poll done, download) for OpenAI, Anthropic and Gemini, an expired
 * and a cancelled OpenAI batch with partial results, and the live lane's exchanges for the
 * same requests. The requests are built by the lane's own code from scenarios.ts, so they are
 * byte for byte what a run sends. Deterministic.
 *
 *   npx tsc -p tsconfig.json && node dist/tests/batch/api/tools/make-batch-cassettes.js --write
 *
 * Without --write it checks that the files on disk are what it would write.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../providers/openai/helpers.js';
import { parseInput } from '../../../../src/batch/input.js';
import { multipartUpload, openAIInputLine } from '../../../../src/batch/api/openai.js';
import { Lanes, prepareItem } from '../../../../src/batch/api/prepare.js';
import { customId, type PreparedItem } from '../../../../src/batch/api/types.js';
import { bodyFromText, serializeCassette, type Exchange } from '../../../../src/vcr/cassette.js';
import {
  ANTHROPIC_ANSWERS, ANTHROPIC_ERROR, ANTHROPIC_LINES, GEMINI_ANSWERS, GEMINI_ERROR, GEMINI_LINES, inputText,
  OPENAI_ANSWERS, OPENAI_LINES, OPENAI_TOO_LONG_ERROR, PROVIDER_OPTIONS, type ScenarioLine,
} from '../scenarios.js';

export const BATCH_CASSETTE_DIR = join(REPO_ROOT, 'vcr-fixtures', 'batch-api');

const OPENAI = 'https://api.openai.com/v1';
const ANTHROPIC = 'https://api.anthropic.com/v1/messages';
const GEMINI = 'https://generativelanguage.googleapis.com/v1beta';

export function exchange(method: string, url: string, body: string | undefined, status: number, answer: string, contentType = 'application/json'): Exchange {
  return {
    request: { method, url, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: bodyFromText(body) }) },
    response: { status, headers: { 'content-type': contentType, 'x-request-id': `req_${method.toLowerCase()}` }, t: 40 },
    chunks: [{ bytes: Buffer.from(answer), t: 42 }],
    end: { kind: 'ok', t: 43 },
  };
}

const json = (value: unknown): string => JSON.stringify(value);
const jsonl = (values: readonly unknown[]): string => values.map((value) => `${JSON.stringify(value)}\n`).join('');

export function preparedItems(lines: readonly ScenarioLine[]): PreparedItem[] {
  const parsed = parseInput(inputText(lines))._unsafeUnwrap();
  const lanes = new Lanes(PROVIDER_OPTIONS);
  return parsed.entries.map((entry) => {
    if (entry.kind !== 'item') throw new Error(`scenario line ${entry.record.id} is invalid`);
    return prepareItem(lanes, entry.item)._unsafeUnwrap();
  });
}

function openAIBatch(id: string, status: string, extra: object = {}): object {
  return {
    id, object: 'batch', endpoint: '/v1/chat/completions', errors: null, input_file_id: 'file-in-1', completion_window: '24h', status,
    output_file_id: null, error_file_id: null, created_at: 1764633600, request_counts: { total: 3, completed: 0, failed: 0 }, metadata: null, ...extra,
  };
}

export function openAICreate(batchId: string): Exchange[] {
  const items = preparedItems(OPENAI_LINES);
  const upload = multipartUpload(items.map((item, index) => openAIInputLine(customId(index), item)).join(''), 'llmux-batch.jsonl');
  return [
    exchange('POST', `${OPENAI}/files`, upload.body, 200, json({ id: 'file-in-1', object: 'file', bytes: upload.body.length, purpose: 'batch', filename: 'llmux-batch.jsonl', status: 'processed' })),
    exchange('POST', `${OPENAI}/batches`, json({ input_file_id: 'file-in-1', endpoint: '/v1/chat/completions', completion_window: '24h' }), 200, json(openAIBatch(batchId, 'validating'))),
  ];
}

const okLine = (index: number, id: string): object => ({
  id: `batch_req_${index}`, custom_id: customId(index), response: { status_code: 200, request_id: `req_${id}`, body: OPENAI_ANSWERS[id] }, error: null,
});

function openAICassettes(): Record<string, Exchange[]> {
  const poll = (id: string, status: string, extra: object = {}): Exchange => exchange('GET', `${OPENAI}/batches/${id}`, undefined, 200, json(openAIBatch(id, status, extra)));
  const file = (id: string, lines: readonly object[]): Exchange => exchange('GET', `${OPENAI}/files/${id}/content`, undefined, 200, jsonl(lines), 'application/octet-stream');
  const tooLong = { id: 'batch_req_2', custom_id: customId(2), response: { status_code: 400, request_id: 'req_too_long', body: OPENAI_TOO_LONG_ERROR }, error: null };
  return {
    'openai-batch': [
      ...openAICreate('batch_ok'),
      poll('batch_ok', 'in_progress'),
      poll('batch_ok', 'completed', { output_file_id: 'file-out-1', error_file_id: 'file-err-1', request_counts: { total: 3, completed: 2, failed: 1 } }),
      file('file-out-1', [okLine(0, 'capital-ch'), okLine(1, 'capital-fr')]),
      file('file-err-1', [tooLong]),
    ],
    // Expired after one answer: the error file names one unfinished request, the other has no line at all.
    'openai-expired': [
      ...openAICreate('batch_exp'),
      poll('batch_exp', 'in_progress'),
      poll('batch_exp', 'expired', { output_file_id: 'file-out-2', error_file_id: 'file-err-2' }),
      file('file-out-2', [okLine(0, 'capital-ch')]),
      file('file-err-2', [{ id: 'batch_req_1', custom_id: customId(1), response: null, error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' } }]),
    ],
    'openai-cancel': [
      ...openAICreate('batch_can'),
      poll('batch_can', 'in_progress'),
      exchange('POST', `${OPENAI}/batches/batch_can/cancel`, '{}', 200, json(openAIBatch('batch_can', 'cancelling'))),
      poll('batch_can', 'cancelled', { output_file_id: 'file-out-3' }),
      file('file-out-3', [okLine(0, 'capital-ch')]),
    ],
  };
}

function anthropicCassette(): Exchange[] {
  const items = preparedItems(ANTHROPIC_LINES);
  const batch = (status: string, extra: object = {}): string =>
    json({ id: 'msgbatch_01', type: 'message_batch', processing_status: status, request_counts: { processing: 3, succeeded: 0, errored: 0, canceled: 0, expired: 0 }, results_url: null, created_at: '2026-12-01T00:00:00Z', ...extra });
  const requests = items.map((item, index) => ({ custom_id: customId(index), params: item.body }));
  const results = [
    { custom_id: customId(0), result: { type: 'succeeded', message: ANTHROPIC_ANSWERS['haiku-1'] } },
    { custom_id: customId(1), result: { type: 'errored', error: ANTHROPIC_ERROR } },
    { custom_id: customId(2), result: { type: 'expired' } },
  ];
  const resultsUrl = `${ANTHROPIC}/batches/msgbatch_01/results`;
  return [
    exchange('POST', `${ANTHROPIC}/batches`, json({ requests }), 200, batch('in_progress')),
    exchange('GET', `${ANTHROPIC}/batches/msgbatch_01`, undefined, 200, batch('in_progress')),
    exchange('GET', `${ANTHROPIC}/batches/msgbatch_01`, undefined, 200, batch('ended', { results_url: resultsUrl, request_counts: { processing: 0, succeeded: 1, errored: 1, canceled: 0, expired: 1 } })),
    exchange('GET', resultsUrl, undefined, 200, jsonl(results), 'application/binary'),
  ];
}

function geminiCassette(): Exchange[] {
  const items = preparedItems(GEMINI_LINES);
  const requests = items.map((item, index) => ({ request: item.body, metadata: { key: customId(index) } }));
  const operation = (state: string, output?: object): string =>
    json({ name: 'batches/gb-1', metadata: { '@type': 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch', model: 'models/gemini-2.5-flash', displayName: 'llmux-batch', state, ...(output === undefined ? {} : { output }) } });
  const output = { inlinedResponses: { inlinedResponses: [{ response: GEMINI_ANSWERS['g-1'], metadata: { key: customId(0) } }, { error: GEMINI_ERROR, metadata: { key: customId(1) } }] } };
  return [
    exchange('POST', `${GEMINI}/models/gemini-2.5-flash:batchGenerateContent`, json({ batch: { displayName: 'llmux-batch', inputConfig: { requests: { requests } } } }), 200, operation('BATCH_STATE_PENDING')),
    exchange('GET', `${GEMINI}/batches/gb-1`, undefined, 200, operation('BATCH_STATE_RUNNING')),
    exchange('GET', `${GEMINI}/batches/gb-1`, undefined, 200, operation('BATCH_STATE_SUCCEEDED', output)),
  ];
}

/** The live lane's exchanges for the requests that succeed in the batches: the same answers, from the non-streaming endpoints. */
function liveCassette(lines: readonly ScenarioLine[], answers: Readonly<Record<string, object>>): Exchange[] {
  return preparedItems(lines)
    .filter((item) => answers[item.item.id] !== undefined)
    .map((item) => exchange('POST', item.prepared.http.url, item.prepared.http.body, 200, json(answers[item.item.id])));
}

export function batchCassettes(): Record<string, Exchange[]> {
  return {
    ...openAICassettes(),
    'anthropic-batch': anthropicCassette(),
    'gemini-batch': geminiCassette(),
    'openai-live': liveCassette(OPENAI_LINES, OPENAI_ANSWERS),
    'anthropic-live': liveCassette(ANTHROPIC_LINES, ANTHROPIC_ANSWERS),
    'gemini-live': liveCassette(GEMINI_LINES, GEMINI_ANSWERS),
  };
}

function main(): void {
  const write = process.argv.includes('--write');
  if (write) mkdirSync(BATCH_CASSETTE_DIR, { recursive: true });
  let stale = 0;
  for (const [name, exchanges] of Object.entries(batchCassettes())) {
    const path = join(BATCH_CASSETTE_DIR, `${name}.jsonl`);
    const text = serializeCassette({ exchanges });
    if (write) writeFileSync(path, text);
    else if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
      stale++;
      process.stderr.write(`${path} is not what the generator writes; run it with --write\n`);
    }
  }
  if (stale > 0) process.exitCode = 1;
}

if (process.argv[1]?.endsWith('make-batch-cassettes.js')) main();
