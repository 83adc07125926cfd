import type { ErrorCategory } from '../errors/category.js';

/**
 * The exit codes of `llmux`, one per kind of failure a script may want to branch on.
 *
 * | code | name           | when                                                       |
 * |------|----------------|------------------------------------------------------------|
 * |    0 | ok             | the answer arrived (or help / version / demo finished)     |
 * |    1 | unknown        | an unexpected failure                                      |
 * |    2 | usage          | bad arguments or options, unreadable cassette file         |
 * |    3 | auth           | no API key, or the provider refused it (401/403)           |
 * |    4 | rate_limit     | rate limited or out of quota (429)                         |
 * |    5 | invalid_arg    | the provider rejected the request; not_found (404) too     |
 * |    6 | network        | DNS, connection refused or reset, TLS                      |
 * |    7 | timeout        | connect, headers, idle or total deadline passed            |
 * |    8 | server         | the provider failed (5xx)                                  |
 * |    9 | content_filter | the provider's safety system refused                       |
 * |   10 | protocol       | the reply was not the expected format                      |
 * |  130 | cancelled      | cancelled with Ctrl+C (128 + SIGINT)                       |
 */
export const EXIT = {
  ok: 0,
  unknown: 1,
  usage: 2,
  auth: 3,
  rate_limit: 4,
  invalid_arg: 5,
  network: 6,
  timeout: 7,
  server: 8,
  content_filter: 9,
  protocol: 10,
  cancelled: 130,
} as const;

export type ExitName = keyof typeof EXIT;
export type ExitCode = (typeof EXIT)[ExitName];

/** The table printed by `--help`, in code order. */
export const EXIT_CODE_TABLE: readonly { readonly code: ExitCode; readonly name: string; readonly meaning: string }[] = [
  { code: EXIT.ok, name: 'ok', meaning: 'the answer arrived' },
  { code: EXIT.unknown, name: 'unknown', meaning: 'an unexpected failure' },
  { code: EXIT.usage, name: 'usage', meaning: 'bad arguments, unreadable cassette' },
  { code: EXIT.auth, name: 'auth', meaning: 'no API key, or the key was refused' },
  { code: EXIT.rate_limit, name: 'rate_limit', meaning: 'rate limited or out of quota' },
  { code: EXIT.invalid_arg, name: 'invalid_arg/not_found', meaning: 'request rejected, or model not found' },
  { code: EXIT.network, name: 'network', meaning: 'could not reach the server' },
  { code: EXIT.timeout, name: 'timeout', meaning: 'the server took too long' },
  { code: EXIT.server, name: 'server', meaning: 'the provider failed (5xx)' },
  { code: EXIT.content_filter, name: 'content_filter', meaning: 'refused by the safety filter' },
  { code: EXIT.protocol, name: 'protocol', meaning: 'the reply was not in the expected format' },
  { code: EXIT.cancelled, name: 'cancelled', meaning: 'cancelled or interrupted (Ctrl+C)' },
];

/** The exit code for a request that failed with `category`. */
export function exitCodeFor(category: ErrorCategory): ExitCode {
  switch (category) {
    case 'auth':
      return EXIT.auth;
    case 'rate_limit':
      return EXIT.rate_limit;
    case 'invalid_arg':
    case 'not_found':
      return EXIT.invalid_arg;
    case 'network':
      return EXIT.network;
    case 'timeout':
      return EXIT.timeout;
    case 'server':
      return EXIT.server;
    case 'content_filter':
      return EXIT.content_filter;
    case 'protocol':
      return EXIT.protocol;
    case 'cancelled':
      return EXIT.cancelled;
    case 'unknown':
      return EXIT.unknown;
  }
}

/** The table as help text lines. */
export function exitCodeLines(): string[] {
  return EXIT_CODE_TABLE.map(({ code, name, meaning }) => `  ${String(code).padStart(3)}  ${name.padEnd(23)}${meaning}`);
}
