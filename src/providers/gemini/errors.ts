import { RETRYABLE_BY_DEFAULT, type ErrorCategory, type ProviderError } from '../../errors/category.js';
import { categoryForStatus, isRetryableStatus } from '../../errors/http-status.js';
import { parseRetryAfter, type HeaderRecord } from '../../http/headers.js';
import { isObject, numberField, objectField, objectsField, snippet, stringField, type JsonObject } from './json.js';
import { redactSecrets } from './redact.js';
import { refinedError, type Refinement } from '../kit/error-map.js';

/** What a `google.rpc.Status` body says, each field only when it was usable. */
export interface GoogleStatus {
  readonly code?: number;
  readonly message?: string;
  /** `INVALID_ARGUMENT`, `RESOURCE_EXHAUSTED`, ... */
  readonly status?: string;
  /** `ErrorInfo.reason`: `API_KEY_INVALID`, ... */
  readonly reason?: string;
  /** `RetryInfo.retryDelay` in ms. */
  readonly retryDelayMs?: number;
  /** Some `QuotaFailure` violation is a per-day quota. */
  readonly perDayQuota: boolean;
}

export interface GeminiErrorContext {
  /** `Gemini` or `Vertex AI`, for messages. */
  readonly label?: string;
  /** Strings that must never appear in a message (the key or token in use). */
  readonly secrets?: readonly string[];
}

export const GEMINI_KEY_HINT =
  'Set GEMINI_API_KEY (export GEMINI_API_KEY=...) or pass { apiKey } to createGemini(); keys are at https://aistudio.google.com/apikey.';

export const VERTEX_TOKEN_HINT =
  'Pass a fresh OAuth access token as { vertex: { accessToken } } (for example from `gcloud auth print-access-token`); tokens expire after about an hour.';

export const PER_DAY_HINT =
  'A per-day quota is used up; it resets at midnight Pacific time. Retrying sooner will not help: raise the quota or use another model or project.';

export const PRECONDITION_HINT =
  'Gemini refused the request for the account, not its content: billing is not enabled, or the free tier is not available in this region. Enable billing on the project.';

export const BLOCKED_HINT = "The prompt was blocked by Gemini's safety filters; rephrase it or adjust safetySettings.";

/** Reads a `google.rpc.Status` out of `{"error": {...}}` or, without alt=sse, `[{"error": {...}}]`. */
export function readGoogleStatus(payload: unknown): GoogleStatus | undefined {
  const outer = Array.isArray(payload) ? (payload as readonly unknown[])[0] : payload;
  if (!isObject(outer)) return undefined;
  const error = objectField(outer, 'error');
  if (error === undefined) return undefined;
  const details = objectsField(error, 'details');
  const typeOf = (detail: JsonObject): string => stringField(detail, '@type') ?? '';
  const info = details.find((detail) => typeOf(detail).endsWith('google.rpc.ErrorInfo'));
  const retry = details.find((detail) => typeOf(detail).endsWith('google.rpc.RetryInfo'));
  const quota = details.filter((detail) => typeOf(detail).endsWith('google.rpc.QuotaFailure'));
  const violations = quota.flatMap((detail) => objectsField(detail, 'violations'));
  const perDayQuota = violations.some((violation) =>
    /per_?day/i.test(`${stringField(violation, 'quotaId') ?? ''} ${stringField(violation, 'quotaMetric') ?? ''}`),
  );
  const status: { -readonly [K in keyof GoogleStatus]: GoogleStatus[K] } = { perDayQuota };
  const code = numberField(error, 'code');
  if (code !== undefined) status.code = code;
  const message = stringField(error, 'message');
  if (message !== undefined && message.length > 0) status.message = message;
  const name = stringField(error, 'status');
  if (name !== undefined && name.length > 0) status.status = name;
  const reason = info === undefined ? undefined : stringField(info, 'reason');
  if (reason !== undefined && reason.length > 0) status.reason = reason;
  const delay = retry === undefined ? undefined : parseDuration(stringField(retry, 'retryDelay'));
  if (delay !== undefined) status.retryDelayMs = delay;
  return status;
}

/** A protobuf Duration in JSON (`"36s"`, `"0.5s"`) -> ms. */
export function parseDuration(text: string | undefined): number | undefined {
  const match = text === undefined ? null : /^\s*(\d+(?:\.\d+)?)s\s*$/.exec(text);
  return match === null ? undefined : Math.round(Number.parseFloat(match[1] as string) * 1000);
}

/** Gemini's message says "Please retry in 36.4s." when RetryInfo is missing. */
function retryFromMessage(message: string | undefined): number | undefined {
  const match = message === undefined ? null : /retry in (\d+(?:\.\d+)?)\s*(ms|s)\b/i.exec(message);
  if (match === null) return undefined;
  const value = Number.parseFloat(match[1] as string);
  return Math.round(match[2] === 'ms' ? value : value * 1000);
}

const STATUS_CATEGORY: Readonly<Record<string, ErrorCategory>> = {
  INVALID_ARGUMENT: 'invalid_arg',
  FAILED_PRECONDITION: 'invalid_arg',
  OUT_OF_RANGE: 'invalid_arg',
  UNAUTHENTICATED: 'auth',
  PERMISSION_DENIED: 'auth',
  NOT_FOUND: 'not_found',
  RESOURCE_EXHAUSTED: 'rate_limit',
  INTERNAL: 'server',
  UNAVAILABLE: 'server',
  DEADLINE_EXCEEDED: 'timeout',
};

function refine(httpStatus: number | undefined, status: GoogleStatus | undefined, context: GeminiErrorContext): Refinement {
  const code = httpStatus ?? status?.code;
  const byName = status?.status === undefined ? undefined : STATUS_CATEGORY[status.status];
  const base = byName ?? (code === undefined ? 'unknown' : categoryForStatus(code));
  const keyHint = context.label === 'Vertex AI' ? VERTEX_TOKEN_HINT : GEMINI_KEY_HINT;
  // A bad key is a 400 INVALID_ARGUMENT on the Gemini API; only the reason tells it apart.
  if (status?.reason === 'API_KEY_INVALID' || status?.reason === 'API_KEY_EXPIRED' || base === 'auth') {
    return { category: 'auth', hint: keyHint, retryable: false };
  }
  if (status?.status === 'FAILED_PRECONDITION') return { category: 'invalid_arg', hint: PRECONDITION_HINT, retryable: false };
  if (base === 'rate_limit' && status?.perDayQuota === true) return { category: 'rate_limit', hint: PER_DAY_HINT, retryable: false };
  return { category: base };
}

function what(status: GoogleStatus): { readonly code: string; readonly text: string } {
  const code = [status.code, status.status].filter((part) => part !== undefined).join(' ');
  return { code, text: status.message ?? status.reason ?? 'no message' };
}

function describe(label: string, status: GoogleStatus): string {
  const { code, text } = what(status);
  return `${label} API error (HTTP ${code}): ${text}`;
}

/** A non-2xx response (status, headers, body text) -> ProviderError. Never throws. */
export function mapGeminiHttpError(
  httpStatus: number,
  headers: HeaderRecord,
  body: string,
  nowMs: number,
  context: GeminiErrorContext = {},
): ProviderError {
  const label = context.label ?? 'Gemini';
  const secrets = context.secrets ?? [];
  const status = readGoogleStatus(parseQuietly(body));
  const refinement = refine(httpStatus, status, context);
  const retryAfterMs = status?.retryDelayMs ?? parseRetryAfter(headers, nowMs) ?? retryFromMessage(status?.message);
  const message =
    status === undefined
      ? body.trim().length === 0
        ? `${label} API returned HTTP ${httpStatus} with an empty body.`
        : `${label} API returned HTTP ${httpStatus}: ${JSON.stringify(snippet(redactSecrets(body.replace(/<[^>]*>/g, ' '), secrets), 200))}`
      : describe(label, { ...status, code: httpStatus });
  const retryable = refinement.retryable ?? isRetryableStatus(httpStatus);
  return refinedError(refinement, { message: redactSecrets(message, secrets), httpStatus, ...codes(status, secrets), retryAfterMs, retryable });
}

/**
 * A `{"error": {...}}` object inside a 200 body (as a `data:` event or raw, outside any
 * event). Its `code` is the HTTP status the error would have had.
 */
export function mapGeminiStreamError(status: GoogleStatus, context: GeminiErrorContext = {}): ProviderError {
  const label = context.label ?? 'Gemini';
  const secrets = context.secrets ?? [];
  const refinement = refine(undefined, status, context);
  const retryable =
    refinement.retryable ??
    (status.code === undefined ? RETRYABLE_BY_DEFAULT[refinement.category] : isRetryableStatus(status.code));
  return refinedError(refinement, { message: redactSecrets(streamMessage(label, status), secrets), ...codes(status, secrets), retryAfterMs: status.retryDelayMs, retryable });
}

function streamMessage(label: string, status: GoogleStatus): string {
  const { code, text } = what(status);
  return `${label} reported an error inside the stream${code.length > 0 ? ` (${code})` : ''}: ${text}`;
}

function codes(status: GoogleStatus | undefined, secrets: readonly string[]): { providerCode?: string; providerType?: string } {
  const out: { providerCode?: string; providerType?: string } = {};
  const code = status?.reason ?? status?.status;
  if (code !== undefined) out.providerCode = redactSecrets(code, secrets);
  if (status?.status !== undefined) out.providerType = redactSecrets(status.status, secrets);
  return out;
}

function parseQuietly(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
