import { Buffer } from 'node:buffer';
import { frameEvents, jsonText, LINE_ENDINGS, type LineEnding } from './frame.js';
import {
  BYTE_MUTATIONS,
  EVENT_MUTATIONS,
  mutateBytes,
  mutateEvents,
  mutateValue,
  VALUE_MUTATIONS,
  type Mutation,
  type ValueMutation,
} from './mutate.js';
import { Rng } from './rng.js';
import type { Expected, FuzzTarget, LogicalEvent } from './target.js';
import { TARGETS } from './targets.js';

export type HttpFault = 'status-500' | 'status-429' | 'status-400' | 'html-200' | 'html-502';
const HTTP_FAULTS: readonly HttpFault[] = ['status-500', 'status-429', 'status-400', 'html-200', 'html-502'];

/** Which mutations a run may draw: a family that fails for a known, not-yet-fixed reason is left out by name. */
export interface Policy {
  readonly name: string;
  readonly mutations: readonly Mutation[];
  /** Value mutations that must not land in a non-streaming body (see known-failing.test.ts). */
  readonly notInBodies?: readonly ValueMutation[];
  readonly httpFaults: boolean;
  readonly resets: boolean;
}

export const ALL: Policy = {
  name: 'all',
  mutations: [...VALUE_MUTATIONS, ...EVENT_MUTATIONS, ...BYTE_MUTATIONS],
  httpFaults: true,
  resets: true,
};

export interface FuzzCase {
  readonly seed: number;
  readonly policy: string;
  readonly target: FuzzTarget;
  readonly streaming: boolean;
  readonly eol: LineEnding;
  readonly mutations: readonly string[];
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly bytes: Buffer;
  /** `reset`: the connection breaks right after the last byte instead of ending cleanly. */
  readonly end: 'ok' | 'reset';
  /** No mutation, no fault: the request must succeed with `expected`. */
  readonly valid: boolean;
  readonly expected: Expected;
  /** The stream's events when nothing touched the bytes: other line endings must give the same result. */
  readonly framable?: readonly LogicalEvent[];
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8' };
const HTML_HEADERS = { 'content-type': 'text/html; charset=utf-8' };

function httpFault(fault: HttpFault): { status: number; headers: Record<string, string>; bytes: Buffer } {
  const errorBody = (type: string, message: string) =>
    Buffer.from(JSON.stringify({ error: { message, type, param: null, code: type } }));
  switch (fault) {
    case 'status-500':
      return { status: 500, headers: JSON_HEADERS, bytes: errorBody('server_error', 'The server had an error') };
    case 'status-429':
      return { status: 429, headers: { ...JSON_HEADERS, 'retry-after-ms': '5' }, bytes: errorBody('rate_limit_exceeded', 'Slow down') };
    case 'status-400':
      return { status: 400, headers: JSON_HEADERS, bytes: errorBody('invalid_request_error', 'Bad field') };
    case 'html-200':
      return { status: 200, headers: HTML_HEADERS, bytes: Buffer.from('<html><body>Welcome to the captive portal</body></html>') };
    case 'html-502':
      return { status: 502, headers: HTML_HEADERS, bytes: Buffer.from('<html><head><title>502 Bad Gateway</title></head></html>') };
  }
}

/** The case a seed stands for under a policy: the same pair always gives the same bytes. */
export function buildCase(seed: number, policy: Policy = ALL): FuzzCase {
  const rng = new Rng(seed);
  const target = rng.pick(TARGETS);
  const streaming = rng.chance(0.7);
  const eol = rng.pick(LINE_ENDINGS);
  const generated = target.generate(new Rng(rng.seed()), streaming);
  const mutations: string[] = [];
  const count = rng.chance(0.2) ? 0 : rng.range(1, 3);
  const drawn: Mutation[] = [];
  for (let i = 0; i < count && policy.mutations.length > 0; i++) drawn.push(rng.pick(policy.mutations));
  const end: FuzzCase['end'] = policy.resets && rng.chance(0.1) ? 'reset' : 'ok';
  const fault = policy.httpFaults && rng.chance(0.08) ? rng.pick(HTTP_FAULTS) : undefined;
  const mutationRng = new Rng(rng.seed());

  let bytes: Buffer;
  let framable: LogicalEvent[] | undefined;
  if (generated.streaming) {
    let events = generated.events;
    for (const kind of drawn) {
      if ((BYTE_MUTATIONS as readonly string[]).includes(kind)) continue;
      events = mutateEvents(mutationRng, events, kind as Exclude<Mutation, (typeof BYTE_MUTATIONS)[number]>);
      mutations.push(kind);
    }
    bytes = frameEvents(events, eol);
    framable = events;
  } else {
    let body = generated.body;
    for (const kind of drawn) {
      if (!(VALUE_MUTATIONS as readonly string[]).includes(kind)) continue;
      const value = kind as ValueMutation;
      if (policy.notInBodies?.includes(value)) continue;
      body = mutateValue(mutationRng, body, value, rng.pick(['arguments', 'content', 'choices', 'output', 'usage', 'text']));
      mutations.push(kind);
    }
    bytes = Buffer.from(jsonText(body));
  }
  for (const kind of drawn) {
    if (!(BYTE_MUTATIONS as readonly string[]).includes(kind)) continue;
    bytes = mutateBytes(mutationRng, bytes, kind as (typeof BYTE_MUTATIONS)[number]);
    mutations.push(kind);
    framable = undefined;
  }
  let status = 200;
  let headers: Record<string, string> = streaming ? SSE_HEADERS : JSON_HEADERS;
  if (fault !== undefined) {
    ({ status, headers, bytes } = httpFault(fault));
    mutations.push(fault);
    framable = undefined;
  }
  if (end === 'reset') mutations.push('reset-at-end');
  const valid = mutations.length === 0;
  const base = { seed, policy: policy.name, target, streaming, eol, mutations, status, headers, bytes, end, valid, expected: generated.expected };
  return framable === undefined ? base : { ...base, framable };
}

/** One line that names the case and how to replay it. */
export function describeCase(fuzzCase: FuzzCase): string {
  const eol = JSON.stringify(fuzzCase.eol);
  const what = `${fuzzCase.target.name} ${fuzzCase.streaming ? 'stream' : 'body'} eol=${eol} [${fuzzCase.mutations.join(', ') || 'valid'}] ${fuzzCase.bytes.length} bytes`;
  const replay =
    fuzzCase.policy === 'aimed'
      ? 'npx tap dist/tests/regressions/fuzz-deep-arguments-body.test.js'
      : `make fuzz FUZZ_REPLAY=${fuzzCase.seed} FUZZ_POLICY=${fuzzCase.policy}`;
  return `${what}; replay: ${replay}`;
}

/**
 * A non-streaming body of `target` with tool calls whose every draw of `kind` lands on a
 * field named `key`: a family the random draw reaches too rarely to keep in view.
 */
export function buildAimedBodyCase(seed: number, target: FuzzTarget, kind: ValueMutation, key: string): FuzzCase | undefined {
  const rng = new Rng(seed);
  for (let attempt = 0; attempt < 50; attempt++) {
    const generated = target.generate(new Rng(rng.seed()), false);
    if (generated.streaming || generated.expected.toolCalls.length === 0) continue;
    const body = mutateValue(rng, generated.body, kind, key, true);
    return {
      seed,
      policy: 'aimed',
      target,
      streaming: false,
      eol: '\n',
      mutations: [`${kind} at ${key}`],
      status: 200,
      headers: JSON_HEADERS,
      bytes: Buffer.from(jsonText(body)),
      end: 'ok',
      valid: false,
      expected: generated.expected,
    };
  }
  return undefined;
}
