import type { ErrorCategory } from './category.js';

/** The provider-neutral reading of an HTTP status. Providers refine it with the body. */
export function categoryForStatus(status: number): ErrorCategory {
  switch (status) {
    case 400:
    case 413:
    case 422:
      return 'invalid_arg';
    case 401:
    case 403:
      return 'auth';
    case 404:
      return 'not_found';
    case 408:
    case 504:
      return 'timeout';
    case 429:
      return 'rate_limit';
    case 500:
    case 502:
    case 503:
    case 529:
      return 'server';
    default:
      return status >= 500 && status < 600 ? 'server' : 'unknown';
  }
}

/** Statuses worth another attempt: the request may succeed unchanged. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || (status >= 500 && status < 600);
}

export interface NetworkClass {
  readonly category: ErrorCategory;
  readonly what: string;
  /** False where another attempt cannot help (the HTTP client refused the request itself). */
  readonly retryable?: false;
}

const NETWORK_CODES: Readonly<Record<string, NetworkClass>> = {
  ECONNREFUSED: { category: 'network', what: 'connection refused' },
  ECONNRESET: { category: 'network', what: 'connection reset by peer' },
  EPIPE: { category: 'network', what: 'connection closed while sending' },
  ENOTFOUND: { category: 'network', what: 'host name not found (DNS)' },
  EAI_AGAIN: { category: 'network', what: 'DNS lookup failed temporarily' },
  ENETUNREACH: { category: 'network', what: 'network unreachable' },
  EHOSTUNREACH: { category: 'network', what: 'host unreachable' },
  ETIMEDOUT: { category: 'timeout', what: 'operating system connect timeout' },
  UND_ERR_SOCKET: { category: 'network', what: 'socket closed by the other side' },
  UND_ERR_CLOSED: { category: 'network', what: 'HTTP client closed' },
  UND_ERR_DESTROYED: { category: 'network', what: 'HTTP client destroyed' },
  UND_ERR_CONNECT_TIMEOUT: { category: 'timeout', what: 'connect timeout' },
  UND_ERR_HEADERS_TIMEOUT: { category: 'timeout', what: 'response headers timeout' },
  UND_ERR_BODY_TIMEOUT: { category: 'timeout', what: 'body idle timeout' },
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: { category: 'network', what: 'response shorter than its Content-Length' },
  UND_ERR_INFO: { category: 'network', what: 'connection ended' },
  UND_ERR_INVALID_ARG: { category: 'invalid_arg', what: 'the HTTP client refused the request as malformed', retryable: false },
  UND_ERR_NOT_SUPPORTED: { category: 'invalid_arg', what: 'the HTTP client does not support this request', retryable: false },
  UND_ERR_ABORTED: { category: 'cancelled', what: 'request aborted', retryable: false },
  CERT_HAS_EXPIRED: { category: 'network', what: 'TLS certificate expired' },
  DEPTH_ZERO_SELF_SIGNED_CERT: { category: 'network', what: 'TLS certificate is self-signed' },
  SELF_SIGNED_CERT_IN_CHAIN: { category: 'network', what: 'TLS certificate chain is self-signed' },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: { category: 'network', what: 'TLS certificate could not be verified' },
  ERR_TLS_CERT_ALTNAME_INVALID: { category: 'network', what: 'TLS certificate does not match the host name' },
  ERR_SSL_WRONG_VERSION_NUMBER: { category: 'network', what: 'TLS handshake failed (is this an http:// server?)' },
};

/** Maps a Node/undici error code to a category and a short human description. */
export function classifyNetworkCode(code: string | undefined): NetworkClass {
  if (code !== undefined) {
    const known = NETWORK_CODES[code];
    if (known !== undefined) return known;
    if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')) return { category: 'network', what: 'TLS failure' };
  }
  return { category: 'network', what: 'network failure' };
}
