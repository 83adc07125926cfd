// Gemini's batch mode with inline requests: `models/{model}:batchGenerateContent` takes the
// generateContent bodies with a `metadata.key` each and answers with a long-running
// `batches/...` operation; its `metadata.state` moves to BATCH_STATE_SUCCEEDED (or FAILED,
// CANCELLED, EXPIRED) and `metadata.output.inlinedResponses.inlinedResponses` holds one
// `{response}` or `{error}` per request. Wire shapes as in googleapis/js-genai (batches).
import { err, ok } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import { child, endpointOf, isJson, jsonHeaders, keepOutcome, protocolError, text, urlOf, type Json } from './shared.js';
import type { BatchProtocol, BatchStatus, ItemOutcome, ProtocolContext } from './types.js';
import { sendJson } from './wire.js';

const ENDED = new Set(['BATCH_STATE_SUCCEEDED', 'BATCH_STATE_FAILED', 'BATCH_STATE_CANCELLED', 'BATCH_STATE_EXPIRED']);

function statusOf(operation: Json): BatchStatus {
  const status = text(child(operation, 'metadata'), 'state') ?? text(operation, 'state') ?? 'BATCH_STATE_UNSPECIFIED';
  return { status, ended: ENDED.has(status) || operation['done'] === true, detail: operation };
}

/** The inlined responses, wherever this API version puts them. */
function inlined(operation: Json): readonly unknown[] | undefined {
  for (const holder of [child(child(operation, 'metadata'), 'output'), child(operation, 'response'), child(operation, 'output')]) {
    const list = child(holder, 'inlinedResponses')?.['inlinedResponses'];
    if (Array.isArray(list)) return list;
  }
  return undefined;
}

function outcomeOf(context: ProtocolContext, entry: Json): ItemOutcome {
  const response = child(entry, 'response');
  if (response !== undefined) return { kind: 'body', body: JSON.stringify(response), requestId: null };
  const error = child(entry, 'error');
  const code = typeof error?.['code'] === 'number' ? error['code'] : 500;
  // A google.rpc.Status's code is a gRPC code (3 = INVALID_ARGUMENT); the adapter maps HTTP statuses.
  const status = code >= 100 ? code : (GRPC_TO_HTTP[code] ?? 500);
  return { kind: 'error', error: context.adapter.mapHttpError(status, {}, JSON.stringify({ error: error ?? {} }), context.multi.clock.now()), requestId: null };
}

const GRPC_TO_HTTP: Readonly<Record<number, number>> = { 1: 499, 2: 500, 3: 400, 4: 504, 5: 404, 7: 403, 8: 429, 9: 400, 13: 500, 14: 503, 16: 401 };

export const geminiBatchProtocol: BatchProtocol = {
  provider: 'gemini',
  // Inline requests: the create call's body is capped at 20 MB; larger jobs split.
  limits: { maxRequests: 100_000, maxBytes: 20 * 1024 * 1024 },
  groupKey: (item) => item.prepared.model,
  size: (customId, item) => Buffer.byteLength(JSON.stringify({ request: item.body, metadata: { key: customId } })) + 1,
  endpoint: (prepared) => endpointOf(prepared, /\/models\/[^/]+:generateContent$/, 'Gemini'),

  async create(context, items, customIds) {
    const model = items[0]?.prepared.model ?? '';
    const requests = items.map((item, index) => ({ request: item.body, metadata: { key: customIds[index] ?? '' } }));
    const created = await sendJson(context, {
      method: 'POST',
      url: urlOf(context.endpoint, `models/${model}:batchGenerateContent`),
      headers: jsonHeaders(context.endpoint),
      body: JSON.stringify({ batch: { displayName: 'llmux-batch', inputConfig: { requests: { requests } } } }),
    }, { once: true });
    if (created.isErr()) return err(created.error);
    const batchId = text(created.value, 'name');
    if (batchId === undefined || !batchId.startsWith('batches/')) return err(protocolError('Gemini: the batch create answered with no batches/ name'));
    return ok({ batchId, inputFileId: null, status: statusOf(created.value).status });
  },

  async poll(context, batch) {
    const got = await sendJson(context, { method: 'GET', url: urlOf(context.endpoint, batch.batchId), headers: jsonHeaders(context.endpoint) });
    return got.map(statusOf);
  },

  async collect(context, batch, status) {
    const outcomes = new Map<string, ItemOutcome>();
    const list = inlined(status.detail);
    if (list === undefined) {
      if (text(child(child(status.detail, 'metadata'), 'output'), 'responsesFile') !== undefined) {
        return err(providerError('invalid_arg', { message: `Gemini batch ${batch.batchId} wrote its results to a file, which this lane does not download yet` }));
      }
      return ok(outcomes);
    }
    list.forEach((entry, index) => {
      if (!isJson(entry)) return;
      // The key we sent; by position when a response lacks it (responses keep the request order).
      const key = text(child(entry, 'metadata'), 'key') ?? `r${index}`;
      keepOutcome(outcomes, key, outcomeOf(context, entry));
    });
    return ok(outcomes);
  },

  async cancel(context, batch) {
    const got = await sendJson(context, { method: 'POST', url: urlOf(context.endpoint, `${batch.batchId}:cancel`), headers: jsonHeaders(context.endpoint), body: '{}' });
    return got.map(() => 'cancelling');
  },

  missing(status: BatchStatus): ProviderError {
    switch (status.status) {
      case 'BATCH_STATE_EXPIRED':
        return providerError('timeout', { message: 'the Gemini batch expired before this request ran', providerCode: status.status });
      case 'BATCH_STATE_CANCELLED':
        return providerError('cancelled', { message: 'the Gemini batch was cancelled before this request ran', providerCode: status.status });
      case 'BATCH_STATE_FAILED': {
        const why = text(child(status.detail, 'error'), 'message');
        return providerError('server', { message: `the Gemini batch failed${why === undefined ? '' : `: ${why}`}`, providerCode: status.status, retryable: true });
      }
      default:
        return protocolError(`the Gemini batch ended (${status.status}) without a result for this request`);
    }
  },
};
