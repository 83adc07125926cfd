import { Dispatcher } from 'undici';
import type { Clock } from '../../src/http/clock.js';

export type HeaderStyle = 'openai' | 'anthropic' | 'none';

export interface RateLimits {
  readonly windowMs: number;
  readonly requests: number;
  /** OpenAI: input estimate + max tokens; Anthropic: checked as input and output separately. */
  readonly tokens?: number;
  /** False: a 429 says nothing about when to come back (default true). */
  readonly retryAfter?: boolean;
}

class Exchange implements Dispatcher.DispatchController {
  aborted = false;
  paused = false;
  reason: Error | null = null;
  abort(reason: Error): void {
    this.aborted = true;
    this.reason = reason;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
}

/**
 * An in-process provider account on the engine's clock: fixed windows aligned to the clock's
 * start, a request limit and a token limit per window, the remaining counts advertised in
 * OpenAI-style or Anthropic-style headers, and a 429 with `Retry-After` (the seconds to the
 * window's end) past them. It answers on a microtask, never inside dispatch().
 */
export class RateLimitedDispatcher extends Dispatcher {
  readonly #clock: Clock;
  readonly #limits: RateLimits;
  readonly #style: HeaderStyle;
  readonly #start: number;
  #window = -1;
  #requests = 0;
  #input = 0;
  #output = 0;
  answers = 0;
  tooMany = 0;
  /** When each 2xx answer was sent, on the clock. */
  readonly okTimes: number[] = [];
  readonly dispatchTimes: number[] = [];
  /** Answer this status (once per entry) before applying the limits: [status, headers]. */
  readonly script: Array<[number, Record<string, string>]> = [];

  constructor(clock: Clock, limits: RateLimits, style: HeaderStyle) {
    super();
    this.#clock = clock;
    this.#limits = limits;
    this.#style = style;
    this.#start = clock.now();
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const body = typeof options.body === 'string' ? options.body : '';
    const exchange = new Exchange();
    this.dispatchTimes.push(this.#clock.now());
    queueMicrotask(() => {
      if (exchange.aborted) return;
      handler.onRequestStart?.(exchange, {});
      const [status, headers, text] = this.#answer(body);
      this.answers++;
      if (status === 429) this.tooMany++;
      if (status === 200) this.okTimes.push(this.#clock.now());
      handler.onResponseStart?.(exchange, status, { 'content-type': 'application/json', ...headers }, '');
      if (exchange.aborted) return;
      handler.onResponseData?.(exchange, Buffer.from(text));
      if (exchange.aborted) return;
      handler.onResponseEnd?.(exchange, {});
    });
    return true;
  }

  #answer(body: string): [number, Record<string, string>, string] {
    const scripted = this.script.shift();
    if (scripted !== undefined) return [scripted[0], scripted[1], JSON.stringify({ error: { message: 'scripted', type: 'server_error' } })];
    const now = this.#clock.now();
    const { windowMs } = this.#limits;
    const index = Math.floor((now - this.#start) / windowMs);
    if (index !== this.#window) {
      this.#window = index;
      this.#requests = 0;
      this.#input = 0;
      this.#output = 0;
    }
    const resetAt = this.#start + (index + 1) * windowMs;
    const parsed = JSON.parse(body) as { max_completion_tokens?: number; max_tokens?: number };
    const input = Math.ceil(body.length / 4);
    const output = parsed.max_completion_tokens ?? parsed.max_tokens ?? 0;
    const tokenLimit = this.#limits.tokens ?? Number.POSITIVE_INFINITY;
    const anthropic = this.#style === 'anthropic';
    const fits =
      this.#requests + 1 <= this.#limits.requests &&
      (anthropic ? this.#input + input <= tokenLimit && this.#output + output <= tokenLimit : this.#input + input + output <= tokenLimit);
    if (fits) {
      this.#requests++;
      this.#input += input;
      this.#output += output;
    }
    const headers = this.#headers(resetAt - now, resetAt, input, output);
    if (!fits) {
      if (this.#limits.retryAfter !== false) headers['retry-after'] = String(Math.ceil((resetAt - now) / 1000));
      const error = anthropic
        ? { type: 'error', error: { type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit.' } }
        : { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } };
      return [429, headers, JSON.stringify(error)];
    }
    const reply = anthropic
      ? {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'claude-test',
          content: [{ type: 'text', text: 'ok' }],
          stop_reason: 'end_turn',
          usage: { input_tokens: input, output_tokens: 1 },
        }
      : {
          id: 'chatcmpl-1',
          object: 'chat.completion',
          model: 'gpt-test',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: input, completion_tokens: 1, total_tokens: input + 1 },
        };
    return [200, headers, JSON.stringify(reply)];
  }

  #headers(resetMs: number, resetAt: number, _input: number, _output: number): Record<string, string> {
    const limits = this.#limits;
    const tokenLimit = limits.tokens;
    if (this.#style === 'none') return {};
    if (this.#style === 'openai') {
      const headers: Record<string, string> = {
        'x-ratelimit-limit-requests': String(limits.requests),
        'x-ratelimit-remaining-requests': String(Math.max(0, limits.requests - this.#requests)),
        'x-ratelimit-reset-requests': duration(resetMs),
      };
      if (tokenLimit !== undefined) {
        headers['x-ratelimit-limit-tokens'] = String(tokenLimit);
        headers['x-ratelimit-remaining-tokens'] = String(Math.max(0, tokenLimit - this.#input - this.#output));
        headers['x-ratelimit-reset-tokens'] = duration(resetMs);
      }
      return headers;
    }
    const reset = new Date(resetAt).toISOString();
    const headers: Record<string, string> = {
      'anthropic-ratelimit-requests-limit': String(limits.requests),
      'anthropic-ratelimit-requests-remaining': String(Math.max(0, limits.requests - this.#requests)),
      'anthropic-ratelimit-requests-reset': reset,
    };
    if (tokenLimit !== undefined) {
      headers['anthropic-ratelimit-input-tokens-limit'] = String(tokenLimit);
      headers['anthropic-ratelimit-input-tokens-remaining'] = String(Math.max(0, tokenLimit - this.#input));
      headers['anthropic-ratelimit-input-tokens-reset'] = reset;
      headers['anthropic-ratelimit-output-tokens-limit'] = String(tokenLimit);
      headers['anthropic-ratelimit-output-tokens-remaining'] = String(Math.max(0, tokenLimit - this.#output));
      headers['anthropic-ratelimit-output-tokens-reset'] = reset;
    }
    return headers;
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }

  override destroy(): Promise<void> {
    return Promise.resolve();
  }
}

/** OpenAI's reset format: `12ms`, `3.5s`, `1m30s`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = (ms - minutes * 60_000) / 1000;
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}
