// The input file: one JSON object a line, `{id, request, provider?, model?}` or an OpenAI
// Batch-style `{custom_id, method, url, body}`. Parsing is pure and never throws: a line that
// cannot become a request becomes an `invalid_input` error record naming its line, so the job
// goes on (the runner's `strict` stops at the first instead). Duplicate ids are the one fault
// of the whole file rather than of a line: a second record under an id would break "one
// record per id", so the file is refused before anything is sent.
import { err, ok, type Result } from 'neverthrow';
import { providerDefinition, providerNames } from '../providers/registry.js';
import type { ChatRequest } from '../providers/types.js';
import { requestKey } from '../providers/worker.js';
import type { BatchFailure } from './errors.js';
import { isRecord, openAIBatchRequest } from './openai-line.js';
import { inputErrorRecord } from './record.js';
import type { BatchItem, BatchRecord } from './types.js';

/** What lines that do not name them fall back to (the CLI's `--provider` and `--model`). */
export interface InputDefaults {
  /** Default `openai`. */
  readonly provider?: string;
  readonly model?: string;
}

export type InputEntry = { readonly kind: 'item'; readonly item: BatchItem } | { readonly kind: 'invalid'; readonly record: BatchRecord };

export interface ParsedInput {
  /** In input order; blank lines are skipped. */
  readonly entries: readonly InputEntry[];
  /** Lines in the file, blank ones included. */
  readonly lines: number;
}

export interface DuplicateId {
  readonly id: string;
  /** Every line that names it, in order. */
  readonly lines: readonly number[];
}

export interface InputError extends BatchFailure {
  readonly kind: 'duplicate_ids';
  readonly duplicates: readonly DuplicateId[];
}

/** Longest id accepted (OpenAI's custom_id limit is in this range; ids are file keys, not documents). */
export const MAX_ID_LENGTH = 512;

/** The id an error record gets when its line has no usable id: cannot collide with a valid id. */
export function lineId(line: number): string {
  return `${LINE_ID_PREFIX}${line}`;
}

const LINE_ID_PREFIX = '@line:';

/** Parses a whole input text. Err only for duplicate ids (all of them listed). */
export function parseInput(text: string, defaults: InputDefaults = {}): Result<ParsedInput, InputError> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows = body.split('\n');
  // A trailing newline ends the last line rather than starting an empty one.
  if (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
  const endsTorn = body.length > 0 && !body.endsWith('\n');
  const entries: InputEntry[] = [];
  const seen = new Map<string, number[]>();
  rows.forEach((row, index) => {
    if (row.trim() === '') return;
    const line = index + 1;
    const entry = parseLine(row, line, defaults, endsTorn && index === rows.length - 1);
    entries.push(entry);
    const id = entry.kind === 'item' ? entry.item.id : entry.record.id;
    const lines = seen.get(id);
    if (lines === undefined) seen.set(id, [line]);
    else lines.push(line);
  });
  const duplicates = [...seen].filter(([, lines]) => lines.length > 1).map(([id, lines]) => ({ id, lines }));
  if (duplicates.length > 0) {
    const shown = duplicates.slice(0, 5).map((dup) => `${JSON.stringify(dup.id)} (lines ${dup.lines.join(', ')})`);
    const more = duplicates.length > 5 ? ` and ${duplicates.length - 5} more` : '';
    return err({
      kind: 'duplicate_ids',
      message: `the input names ${duplicates.length} id(s) more than once: ${shown.join('; ')}${more}; ids must be unique`,
      ids: duplicates.slice(0, 200).map((dup) => dup.id),
      duplicates,
    });
  }
  return ok({ entries, lines: rows.length });
}

/** One non-blank line. `lastUnterminated`: the file ends inside this line (a torn write, a cut-off copy). */
export function parseLine(row: string, line: number, defaults: InputDefaults = {}, lastUnterminated = false): InputEntry {
  let value: unknown;
  try {
    value = JSON.parse(row);
  } catch (error) {
    const why = lastUnterminated ? 'the last line is not complete JSON (the file may have been cut off)' : `not JSON (${(error as Error).message})`;
    return invalid(lineId(line), line, why);
  }
  if (!isRecord(value)) return invalid(lineId(line), line, 'a line must be a JSON object');
  const openAIStyle = value['custom_id'] !== undefined && value['id'] === undefined;
  const rawId = openAIStyle ? value['custom_id'] : value['id'];
  const idField = openAIStyle ? 'custom_id' : 'id';
  if (typeof rawId !== 'string' || rawId === '') return invalid(lineId(line), line, `"${idField}" must be a non-empty string`);
  if (rawId.length > MAX_ID_LENGTH) return invalid(lineId(line), line, `"${idField}" is longer than ${MAX_ID_LENGTH} characters`);
  // Generated ids (lineId) live in this namespace; one from the file could collide with them.
  if (rawId.startsWith(LINE_ID_PREFIX)) return invalid(lineId(line), line, `"${idField}" must not start with "${LINE_ID_PREFIX}" (reserved for lines without a usable id)`);
  const id = rawId;
  const provider = value['provider'] ?? defaults.provider ?? 'openai';
  if (typeof provider !== 'string') return invalid(id, line, '"provider" must be a string');
  const definition = providerDefinition(provider);
  if (definition === undefined) {
    return invalid(id, line, `unknown provider "${provider}"; known providers: ${providerNames().join(', ')}`, provider);
  }
  let request: ChatRequest;
  if (openAIStyle) {
    const mapped = openAIBatchRequest(value);
    if (mapped.isErr()) return invalid(id, line, mapped.error, provider);
    request = provider === 'openai' ? mapped.value : withoutApi(mapped.value);
  } else {
    const problem = checkRequest(value['request']);
    if (problem !== undefined) return invalid(id, line, problem, provider);
    request = value['request'] as ChatRequest;
  }
  const lineModel = value['model'];
  if (lineModel !== undefined && typeof lineModel !== 'string') return invalid(id, line, '"model" must be a string', provider);
  const model = lineModel ?? request.model ?? defaults.model ?? definition.defaultModel;
  const resolved: ChatRequest = { ...request, model };
  return { kind: 'item', item: { id, line, provider, model, request: resolved, key: requestKey(provider, resolved) } };
}

/** `api` names an OpenAI endpoint; another provider would refuse it, so it goes. */
function withoutApi(request: ChatRequest): ChatRequest {
  const copy: { -readonly [K in keyof ChatRequest]: ChatRequest[K] } = { ...request };
  delete copy.api;
  return copy;
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
const NUMBER_FIELDS = ['maxOutputTokens', 'temperature', 'topP', 'frequencyPenalty', 'presencePenalty', 'seed', 'maxRetries'] as const;

/**
 * The shape checks a JSON line needs before a provider sees it (the provider's own
 * validation runs at start and is reported the same way). Undefined when it looks right.
 */
export function checkRequest(request: unknown): string | undefined {
  if (!isRecord(request)) return '"request" must be a JSON object (a ChatRequest)';
  const messages = request['messages'];
  if (!Array.isArray(messages) || messages.length === 0) return 'request.messages must be a non-empty array';
  for (const [index, message] of messages.entries()) {
    const where = `request.messages[${index}]`;
    if (!isRecord(message)) return `${where} must be an object`;
    const role = message['role'];
    if (typeof role !== 'string' || !ROLES.has(role)) return `${where}.role must be one of ${[...ROLES].join(', ')}`;
    const content = message['content'];
    if (role === 'user' && typeof content !== 'string' && !Array.isArray(content)) return `${where}.content must be a string or an array of parts`;
    if ((role === 'system' || role === 'developer' || role === 'tool') && typeof content !== 'string') return `${where}.content must be a string`;
    if (role === 'tool' && typeof message['toolCallId'] !== 'string') return `${where}.toolCallId must be a string`;
  }
  for (const field of NUMBER_FIELDS) {
    const value = request[field];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) return `request.${field} must be a number`;
  }
  for (const field of ['model', 'system', 'api'] as const) {
    const value = request[field];
    if (value !== undefined && typeof value !== 'string') return `request.${field} must be a string`;
  }
  if (request['signal'] !== undefined) return 'request.signal cannot come from a file';
  return undefined;
}

/** The error record of a line that never became a request. */
export function invalid(id: string, line: number, why: string, provider: string | null = null): InputEntry {
  return { kind: 'invalid', record: inputErrorRecord({ id, key: null, provider, model: null, line }, why) };
}
