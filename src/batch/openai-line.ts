// An OpenAI Batch API input line (`{custom_id, method, url, body}`) as a neutral ChatRequest,
// so files written for OpenAI's batch endpoint run on the live lane (and on any provider).
// Pure mapping: the wire body's modelled fields become ChatRequest fields; the rest go to
// `extraBody` untouched, so nothing the caller wrote is silently dropped.
import { err, ok, type Result } from 'neverthrow';
import type { ChatRequest, ContentPart, Message, ResponseFormat, ToolChoice, ToolDefinition } from '../providers/types.js';

type Json = Record<string, unknown>;

const CHAT_FIELDS = new Set([
  'model', 'messages', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'frequency_penalty',
  'presence_penalty', 'seed', 'stop', 'tools', 'tool_choice', 'parallel_tool_calls', 'reasoning_effort',
  'response_format', 'stream', 'stream_options',
]);
const RESPONSES_FIELDS = new Set([
  'model', 'input', 'instructions', 'max_output_tokens', 'temperature', 'top_p', 'tools', 'tool_choice',
  'parallel_tool_calls', 'reasoning', 'text', 'stream',
]);

/** The URLs an OpenAI Batch line may name that the live lane can run. */
export const OPENAI_BATCH_URLS: readonly string[] = ['/v1/chat/completions', '/v1/responses'];

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{method, url, body}` of an OpenAI Batch line -> a ChatRequest, or why not (a sentence). */
export function openAIBatchRequest(line: Json): Result<ChatRequest, string> {
  if (line['method'] !== undefined && line['method'] !== 'POST') return err(`method must be "POST", got ${JSON.stringify(line['method'])}`);
  const url = line['url'];
  if (typeof url !== 'string' || !OPENAI_BATCH_URLS.includes(url)) {
    return err(`url must be one of ${OPENAI_BATCH_URLS.join(', ')}; got ${JSON.stringify(url)}`);
  }
  const body = line['body'];
  if (!isRecord(body)) return err('body must be a JSON object');
  return url === '/v1/responses' ? fromResponses(body) : fromChat(body);
}

function fromChat(body: Json): Result<ChatRequest, string> {
  const messages = body['messages'];
  if (!Array.isArray(messages)) return err('body.messages must be an array');
  const system: string[] = [];
  const out: Message[] = [];
  for (const [index, raw] of messages.entries()) {
    const mapped = chatMessage(raw, index);
    if (mapped.isErr()) return err(mapped.error);
    if (mapped.value.role === 'system' && out.length === 0) system.push(mapped.value.content);
    else out.push(mapped.value);
  }
  const tools = mapTools(body['tools'], (tool) => (isRecord(tool['function']) ? tool['function'] : undefined));
  if (tools.isErr()) return err(tools.error);
  const request: Mutable<ChatRequest> = {
    messages: out,
    ...(system.length > 0 ? { system: system.join('\n\n') } : {}),
    ...common(body),
    ...(tools.value !== undefined ? { tools: tools.value } : {}),
    api: 'chat',
  };
  const maxTokens = body['max_completion_tokens'] ?? body['max_tokens'];
  if (typeof maxTokens === 'number') request.maxOutputTokens = maxTokens;
  if (typeof body['frequency_penalty'] === 'number') request.frequencyPenalty = body['frequency_penalty'];
  if (typeof body['presence_penalty'] === 'number') request.presencePenalty = body['presence_penalty'];
  if (typeof body['seed'] === 'number') request.seed = body['seed'];
  const stop = body['stop'];
  if (typeof stop === 'string') request.stop = [stop];
  else if (Array.isArray(stop) && stop.every((item) => typeof item === 'string')) request.stop = stop;
  const effort = body['reasoning_effort'];
  if (typeof effort === 'string') request.reasoningEffort = effort as ChatRequest['reasoningEffort'];
  const format = responseFormat(body['response_format']);
  if (format !== undefined) request.responseFormat = format;
  return ok(withExtra(request, body, CHAT_FIELDS));
}

function fromResponses(body: Json): Result<ChatRequest, string> {
  const input = body['input'];
  let messages: Message[];
  if (typeof input === 'string') messages = [{ role: 'user', content: input }];
  else if (Array.isArray(input)) {
    messages = [];
    for (const [index, raw] of input.entries()) {
      const mapped = chatMessage(raw, index);
      if (mapped.isErr()) return err(mapped.error.replace('body.messages', 'body.input'));
      messages.push(mapped.value);
    }
  } else return err('body.input must be a string or an array');
  const tools = mapTools(body['tools'], (tool) => tool);
  if (tools.isErr()) return err(tools.error);
  const request: Mutable<ChatRequest> = {
    messages,
    ...(typeof body['instructions'] === 'string' ? { system: body['instructions'] } : {}),
    ...common(body),
    ...(tools.value !== undefined ? { tools: tools.value } : {}),
    api: 'responses',
  };
  if (typeof body['max_output_tokens'] === 'number') request.maxOutputTokens = body['max_output_tokens'];
  const reasoning = body['reasoning'];
  if (isRecord(reasoning) && typeof reasoning['effort'] === 'string') {
    request.reasoningEffort = reasoning['effort'] as ChatRequest['reasoningEffort'];
  }
  const text = body['text'];
  const format = isRecord(text) ? responsesFormat(text['format']) : undefined;
  if (format !== undefined) request.responseFormat = format;
  return ok(withExtra(request, body, RESPONSES_FIELDS));
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function common(body: Json): Partial<Mutable<ChatRequest>> {
  const out: Partial<Mutable<ChatRequest>> = {};
  if (typeof body['model'] === 'string') out.model = body['model'];
  if (typeof body['temperature'] === 'number') out.temperature = body['temperature'];
  if (typeof body['top_p'] === 'number') out.topP = body['top_p'];
  if (typeof body['parallel_tool_calls'] === 'boolean') out.parallelToolCalls = body['parallel_tool_calls'];
  const choice = toolChoice(body['tool_choice']);
  if (choice !== undefined) out.toolChoice = choice;
  return out;
}

function withExtra(request: Mutable<ChatRequest>, body: Json, known: ReadonlySet<string>): ChatRequest {
  const extra: Json = {};
  for (const [name, value] of Object.entries(body)) if (!known.has(name)) extra[name] = value;
  if (Object.keys(extra).length > 0) request.extraBody = extra;
  return request;
}

function chatMessage(raw: unknown, index: number): Result<Message, string> {
  const where = `body.messages[${index}]`;
  if (!isRecord(raw)) return err(`${where} must be an object`);
  const role = raw['role'];
  const content = raw['content'];
  if (role === 'system' || role === 'developer') {
    const text = textOf(content);
    return text === undefined ? err(`${where}.content must be text`) : ok({ role, content: text });
  }
  if (role === 'user') {
    if (typeof content === 'string') return ok({ role, content });
    if (!Array.isArray(content)) return err(`${where}.content must be a string or an array of parts`);
    const parts: ContentPart[] = [];
    for (const part of content) {
      const mapped = userPart(part);
      if (mapped === undefined) return err(`${where}.content has a part llmux cannot map: ${JSON.stringify(part).slice(0, 80)}`);
      parts.push(mapped);
    }
    return ok({ role, content: parts });
  }
  if (role === 'assistant') {
    const text = content === null || content === undefined ? undefined : textOf(content);
    const calls = Array.isArray(raw['tool_calls']) ? raw['tool_calls'] : [];
    const toolCalls = calls.filter(isRecord).map((call) => {
      const fn = isRecord(call['function']) ? call['function'] : {};
      return { id: String(call['id'] ?? ''), name: String(fn['name'] ?? ''), arguments: String(fn['arguments'] ?? '') };
    });
    return ok({ role, ...(text !== undefined ? { content: text } : {}), ...(toolCalls.length > 0 ? { toolCalls } : {}) });
  }
  if (role === 'tool') {
    const text = textOf(content);
    if (typeof raw['tool_call_id'] !== 'string' || text === undefined) return err(`${where} needs tool_call_id and text content`);
    return ok({ role, toolCallId: raw['tool_call_id'], content: text });
  }
  return err(`${where}.role must be system, developer, user, assistant or tool; got ${JSON.stringify(role)}`);
}

function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts: string[] = [];
  for (const part of content) {
    if (!isRecord(part) || typeof part['text'] !== 'string') return undefined;
    texts.push(part['text']);
  }
  return texts.join('');
}

function userPart(part: unknown): ContentPart | undefined {
  if (!isRecord(part)) return undefined;
  const type = part['type'];
  if ((type === 'text' || type === 'input_text') && typeof part['text'] === 'string') return { type: 'text', text: part['text'] };
  const image = part['image_url'];
  if (type === 'image_url' && isRecord(image) && typeof image['url'] === 'string') {
    const detail = image['detail'];
    return { type: 'image', url: image['url'], ...(detail === 'auto' || detail === 'low' || detail === 'high' ? { detail } : {}) };
  }
  if (type === 'input_image' && typeof image === 'string') return { type: 'image', url: image };
  return undefined;
}

function mapTools(raw: unknown, fnOf: (tool: Json) => Json | undefined): Result<ToolDefinition[] | undefined, string> {
  if (raw === undefined) return ok(undefined);
  if (!Array.isArray(raw)) return err('body.tools must be an array');
  const tools: ToolDefinition[] = [];
  for (const [index, tool] of raw.entries()) {
    const fn = isRecord(tool) && tool['type'] === 'function' ? fnOf(tool) : undefined;
    if (fn === undefined || typeof fn['name'] !== 'string') return err(`body.tools[${index}] must be a function tool with a name`);
    tools.push({
      name: fn['name'],
      parameters: isRecord(fn['parameters']) ? fn['parameters'] : { type: 'object', properties: {} },
      ...(typeof fn['description'] === 'string' ? { description: fn['description'] } : {}),
      ...(typeof fn['strict'] === 'boolean' ? { strict: fn['strict'] } : {}),
    });
  }
  return ok(tools);
}

function toolChoice(raw: unknown): ToolChoice | undefined {
  if (raw === 'auto' || raw === 'none' || raw === 'required') return raw;
  if (!isRecord(raw)) return undefined;
  const fn = isRecord(raw['function']) ? raw['function'] : raw;
  return typeof fn['name'] === 'string' ? { name: fn['name'] } : undefined;
}

function responseFormat(raw: unknown): ResponseFormat | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw['type'] === 'json_object') return { type: 'json' };
  const schema = raw['json_schema'];
  if (raw['type'] === 'json_schema' && isRecord(schema)) return schemaFormat(schema);
  return undefined;
}

function responsesFormat(raw: unknown): ResponseFormat | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw['type'] === 'json_object') return { type: 'json' };
  return raw['type'] === 'json_schema' ? schemaFormat(raw) : undefined;
}

function schemaFormat(raw: Json): ResponseFormat | undefined {
  const schema = raw['schema'];
  if (!isRecord(schema)) return undefined;
  return {
    type: 'json_schema',
    name: typeof raw['name'] === 'string' ? raw['name'] : 'response',
    schema,
    ...(typeof raw['description'] === 'string' ? { description: raw['description'] } : {}),
    ...(typeof raw['strict'] === 'boolean' ? { strict: raw['strict'] } : {}),
  };
}
