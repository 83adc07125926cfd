import { createHash } from 'node:crypto';
import type { RateTicket } from '../http/governor/types.js';
import type { TransferRequest } from '../http/types.js';

/** Output tokens reserved for a request that sets no `maxOutputTokens`. */
export const DEFAULT_OUTPUT_RESERVATION = 1024;

/** The headers that carry a credential, in the order providers use them. */
const KEY_HEADERS = ['authorization', 'x-api-key', 'x-goog-api-key', 'api-key'] as const;

let lastKey = '';
let lastId = '';

/**
 * The credential's identity for bucketing: a short SHA-256 of the key header, never the key.
 * One-entry memo: a process usually sends with one key, and hashing per request would be waste.
 */
export function keyIdentity(request: TransferRequest): string {
  let raw = '';
  for (const name of KEY_HEADERS) {
    const value = request.headers[name];
    if (value !== undefined) {
      raw = `${name}:${value}`;
      break;
    }
  }
  if (raw === '') return '';
  if (raw !== lastKey) {
    lastKey = raw;
    lastId = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  }
  return lastId;
}

/**
 * The governor's ticket for a prepared request. Input tokens are estimated as the serialized
 * body's length / 4 (about four characters a token for English and JSON; it overcounts the
 * JSON syntax, which errs on the safe side), with no tokenizer dependency.
 */
export function rateTicket(provider: string, model: string, request: TransferRequest, maxOutputTokens: number | undefined): RateTicket {
  return {
    provider,
    model,
    keyId: keyIdentity(request),
    inputTokens: Math.ceil((request.body?.length ?? 0) / 4),
    outputTokens: maxOutputTokens ?? DEFAULT_OUTPUT_RESERVATION,
  };
}
