// Anthropic's Message Batches: one create call carries every request (`custom_id` + the
// Messages `params`), polling reads `processing_status`, and the ended batch's `results_url`
// is a JSONL of `{custom_id, result}` where the result succeeded, errored, was canceled or
// expired. Wire shapes as in anthropic-sdk-typescript (resources/messages/batches.ts).
import { err, ok } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import { child, endpointOf, jsonHeaders, jsonLines, keepOutcome, protocolError, text, urlOf, type Json } from './shared.js';
import type { BatchProtocol, ItemOutcome, ProtocolContext } from './types.js';
import { send, sendJson } from './wire.js';

/** The status an Anthropic error type comes with on the Messages endpoint, so the adapter maps it as it would live. */
const STATUS_OF_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

function outcomeOf(context: ProtocolContext, result: Json | undefined): ItemOutcome {
  const type = text(result, 'type');
  if (type === 'succeeded') return { kind: 'body', body: JSON.stringify(result?.['message'] ?? null), requestId: null };
  if (type === 'errored') {
    const body = child(result, 'error') ?? {};
    const errorType = text(child(body, 'error'), 'type') ?? '';
    const status = STATUS_OF_TYPE[errorType] ?? 500;
    return { kind: 'error', error: context.adapter.mapHttpError(status, {}, JSON.stringify(body), context.multi.clock.now()), requestId: text(body, 'request_id') ?? null };
  }
  if (type === 'canceled') {
    return { kind: 'error', error: providerError('cancelled', { message: 'the Anthropic batch was canceled before this request ran', providerCode: 'canceled' }), requestId: null };
  }
  if (type === 'expired') {
    return { kind: 'error', error: providerError('timeout', { message: 'the Anthropic batch expired (24 h) before this request ran', providerCode: 'expired' }), requestId: null };
  }
  return { kind: 'error', error: protocolError(`an Anthropic batch result of unknown type ${JSON.stringify(type)}`), requestId: null };
}

export const anthropicBatchProtocol: BatchProtocol = {
  provider: 'anthropic',
  limits: { maxRequests: 100_000, maxBytes: 256 * 1024 * 1024 },
  // One batch may mix models.
  groupKey: () => '',
  size: (customId, item) => Buffer.byteLength(JSON.stringify({ custom_id: customId, params: item.body })) + 1,
  endpoint: (prepared) => endpointOf(prepared, /\/messages$/, 'Anthropic'),

  async create(context, items, customIds) {
    const requests = items.map((item, index) => ({ custom_id: customIds[index] ?? '', params: item.body }));
    const created = await sendJson(context, {
      method: 'POST',
      url: urlOf(context.endpoint, 'messages/batches'),
      headers: jsonHeaders(context.endpoint),
      body: JSON.stringify({ requests }),
    }, { once: true });
    if (created.isErr()) return err(created.error);
    const batchId = text(created.value, 'id');
    if (batchId === undefined) return err(protocolError('Anthropic: the batch create answered with no id'));
    return ok({ batchId, inputFileId: null, status: text(created.value, 'processing_status') ?? 'in_progress' });
  },

  async poll(context, batch) {
    const got = await sendJson(context, { method: 'GET', url: urlOf(context.endpoint, `messages/batches/${batch.batchId}`), headers: jsonHeaders(context.endpoint) });
    if (got.isErr()) return err(got.error);
    const status = text(got.value, 'processing_status') ?? 'unknown';
    return ok({ status, ended: status === 'ended', detail: got.value });
  },

  async collect(context, batch, status) {
    const outcomes = new Map<string, ItemOutcome>();
    const resultsUrl = text(status.detail, 'results_url');
    if (resultsUrl === undefined) return ok(outcomes);
    const file = await send(context, { method: 'GET', url: resultsUrl, headers: context.endpoint.headers });
    if (file.isErr()) return err(file.error);
    const lines = jsonLines(file.value.body, `Anthropic batch ${batch.batchId} results`);
    if (lines.isErr()) return err(lines.error);
    for (const line of lines.value) {
      const id = text(line, 'custom_id');
      if (id !== undefined) keepOutcome(outcomes, id, outcomeOf(context, child(line, 'result')));
    }
    return ok(outcomes);
  },

  async cancel(context, batch) {
    const got = await sendJson(context, { method: 'POST', url: urlOf(context.endpoint, `messages/batches/${batch.batchId}/cancel`), headers: jsonHeaders(context.endpoint), body: '{}' });
    return got.map((value) => text(value, 'processing_status') ?? 'canceling');
  },

  missing(): ProviderError {
    return protocolError('the Anthropic batch ended without a result for this request');
  },
};
