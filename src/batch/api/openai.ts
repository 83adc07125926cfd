// OpenAI's Batch API: the requests go up as a JSONL file (Files API, purpose `batch`), a batch
// is created on it for one endpoint, and the results come back as two JSONL files, one of
// answers and one of errors, matched to requests by custom_id. Wire shapes as in openai-node
// (resources/batches.ts, files.ts).
import { createHash } from 'node:crypto';
import { err, ok } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import { child, endpointOf, isJson, jsonHeaders, jsonLines, keepOutcome, protocolError, text, urlOf, type Json } from './shared.js';
import type { BatchProtocol, BatchStatus, ItemOutcome, PreparedItem, ProtocolContext } from './types.js';
import { send, sendJson } from './wire.js';

const ENDED = new Set(['completed', 'failed', 'expired', 'cancelled']);

function endpointPath(item: PreparedItem): string {
  return item.prepared.api === 'responses' ? '/v1/responses' : '/v1/chat/completions';
}

/** One line of the upload. */
export function openAIInputLine(customId: string, item: PreparedItem): string {
  return `${JSON.stringify({ custom_id: customId, method: 'POST', url: endpointPath(item), body: item.body })}\n`;
}

/**
 * A multipart body with the file and `purpose=batch`. The boundary is derived from the
 * content, so the same upload is the same bytes (a cassette replays it) and the boundary
 * cannot occur inside the file it hashes.
 */
export function multipartUpload(jsonl: string, filename: string): { body: string; contentType: string } {
  const boundary = `llmux-${createHash('sha256').update(jsonl).digest('hex').slice(0, 32)}`;
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/jsonl\r\n\r\n` +
    `${jsonl}\r\n--${boundary}--\r\n`;
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

function errorsText(detail: Json): string {
  const data = child(detail, 'errors')?.['data'];
  if (!Array.isArray(data) || data.length === 0) return '';
  const shown = data.filter(isJson).slice(0, 3).map((entry) => {
    const line = typeof entry['line'] === 'number' ? `line ${entry['line']}: ` : '';
    return `${line}${text(entry, 'message') ?? text(entry, 'code') ?? 'error'}`;
  });
  return `: ${shown.join('; ')}`;
}

/** One result line (of the output or the error file) as an outcome. */
function outcomeOf(context: ProtocolContext, line: Json): ItemOutcome {
  const response = child(line, 'response');
  const requestId = text(response, 'request_id') ?? null;
  const status = response?.['status_code'];
  if (response !== undefined && typeof status === 'number') {
    const body = JSON.stringify(response['body'] ?? null);
    if (status >= 200 && status < 300) return { kind: 'body', body, requestId };
    return { kind: 'error', error: context.adapter.mapHttpError(status, {}, body, context.multi.clock.now()), requestId };
  }
  const error = child(line, 'error');
  const code = text(error, 'code') ?? 'unknown';
  const message = `${text(error, 'message') ?? 'the batch returned no response for this request'} (${code})`;
  if (code === 'batch_expired') return { kind: 'error', error: providerError('timeout', { message, providerCode: code }), requestId };
  if (code === 'batch_cancelled') return { kind: 'error', error: providerError('cancelled', { message, providerCode: code }), requestId };
  return { kind: 'error', error: providerError('unknown', { message, providerCode: code }), requestId };
}

export const openAIBatchProtocol: BatchProtocol = {
  provider: 'openai',
  limits: { maxRequests: 50_000, maxBytes: 200 * 1024 * 1024 },
  groupKey: (item) => `${endpointPath(item)} ${item.prepared.model}`,
  size: (customId, item) => Buffer.byteLength(openAIInputLine(customId, item)),
  endpoint: (prepared) => endpointOf(prepared, /\/(chat\/completions|responses)$/, 'OpenAI'),

  async create(context, items, customIds) {
    const jsonl = items.map((item, index) => openAIInputLine(customIds[index] ?? '', item)).join('');
    const upload = multipartUpload(jsonl, 'llmux-batch.jsonl');
    const file = await sendJson(context, {
      method: 'POST',
      url: urlOf(context.endpoint, 'files'),
      headers: { ...context.endpoint.headers, 'content-type': upload.contentType, accept: 'application/json' },
      body: upload.body,
    });
    if (file.isErr()) return err(file.error);
    const fileId = text(file.value, 'id');
    if (fileId === undefined) return err(protocolError('OpenAI: the file upload answered with no id'));
    const first = items[0];
    const created = await sendJson(context, {
      method: 'POST',
      url: urlOf(context.endpoint, 'batches'),
      headers: jsonHeaders(context.endpoint),
      body: JSON.stringify({ input_file_id: fileId, endpoint: first === undefined ? '/v1/chat/completions' : endpointPath(first), completion_window: '24h' }),
    }, { once: true });
    if (created.isErr()) return err(created.error);
    const batchId = text(created.value, 'id');
    if (batchId === undefined) return err(protocolError('OpenAI: the batch create answered with no id'));
    return ok({ batchId, inputFileId: fileId, status: text(created.value, 'status') ?? 'validating' });
  },

  async poll(context, batch) {
    const got = await sendJson(context, { method: 'GET', url: urlOf(context.endpoint, `batches/${batch.batchId}`), headers: jsonHeaders(context.endpoint) });
    if (got.isErr()) return err(got.error);
    const status = text(got.value, 'status') ?? 'unknown';
    return ok({ status, ended: ENDED.has(status), detail: got.value });
  },

  async collect(context, batch, status) {
    const outcomes = new Map<string, ItemOutcome>();
    for (const field of ['output_file_id', 'error_file_id']) {
      const fileId = text(status.detail, field);
      if (fileId === undefined || fileId === '') continue;
      const file = await send(context, { method: 'GET', url: urlOf(context.endpoint, `files/${fileId}/content`), headers: context.endpoint.headers });
      if (file.isErr()) return err(file.error);
      const lines = jsonLines(file.value.body, `OpenAI batch ${batch.batchId} ${field}`);
      if (lines.isErr()) return err(lines.error);
      for (const line of lines.value) {
        const id = text(line, 'custom_id');
        if (id !== undefined) keepOutcome(outcomes, id, outcomeOf(context, line));
      }
    }
    return ok(outcomes);
  },

  async cancel(context, batch) {
    const got = await sendJson(context, { method: 'POST', url: urlOf(context.endpoint, `batches/${batch.batchId}/cancel`), headers: jsonHeaders(context.endpoint), body: '{}' });
    return got.map((value) => text(value, 'status') ?? 'cancelling');
  },

  missing(status: BatchStatus): ProviderError {
    switch (status.status) {
      case 'expired':
        return providerError('timeout', { message: 'the OpenAI batch expired (24 h window) before this request ran', providerCode: 'batch_expired' });
      case 'cancelled':
        return providerError('cancelled', { message: 'the OpenAI batch was cancelled before this request ran', providerCode: 'batch_cancelled' });
      case 'failed':
        return providerError('invalid_arg', { message: `the OpenAI batch failed validation${errorsText(status.detail)}`, providerCode: 'batch_failed' });
      default:
        return protocolError(`the OpenAI batch ended (${status.status}) without a result for this request`);
    }
  },
};
