import type { ErrorCategory, TimeoutPhase } from './category.js';

/** One next step a person can take, per category. Providers add specifics (which env var). */
export function hintFor(category: ErrorCategory, phase?: TimeoutPhase): string {
  switch (category) {
    case 'auth':
      return 'Check the API key (and that it has access to this model and project).';
    case 'rate_limit':
      return 'Slow down or wait for the rate limit to reset; check your plan and billing.';
    case 'invalid_arg':
      return 'The provider rejected the request; check the model name and parameters.';
    case 'not_found':
      return 'Check the model name and the base URL.';
    case 'server':
      return 'The provider had a server error; retrying later usually works.';
    case 'timeout':
      return timeoutHint(phase);
    case 'content_filter':
      return 'The provider filtered the content; rephrase the request.';
    case 'network':
      return 'Check the network connection, proxy settings and the base URL.';
    case 'cancelled':
      return 'The request was cancelled by the caller.';
    case 'protocol':
      return 'The server did not answer in the expected format; check the base URL points at the provider API.';
    case 'unknown':
      return 'Unexpected failure; the message and HTTP status say more.';
  }
}

function timeoutHint(phase: TimeoutPhase | undefined): string {
  switch (phase) {
    case 'connect':
      return 'Could not connect in time; check the host, network and proxy.';
    case 'headers':
      return 'Connected, but the server sent no response in time; it may be overloaded.';
    case 'idle':
      return 'The stream stalled; raise the idle timeout for slow models or retry.';
    case 'total':
      return 'The whole request took too long; raise the total timeout or ask for less output.';
    default:
      return 'The request timed out; retry or raise the timeout.';
  }
}
