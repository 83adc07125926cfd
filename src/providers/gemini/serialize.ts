import { err, ok, type Result } from 'neverthrow';
import { providerError, type ProviderError } from '../../errors/category.js';
import { assistantBlocks, checkRequestShape, type WireBody } from '../kit/index.js';
import type { ChatRequest, ContentBlock, ContentPart, Message, ToolChoice } from '../types.js';
import { isGeneratedCallId } from './call-ids.js';
import { isObject } from './json.js';
import { EFFORT_BUDGET, EFFORT_LEVEL, thinkingControl } from './models.js';

export type { WireBody };

/**
 * Gemini 3 refuses a replayed function call without its signature; this documented value
 * tells it to skip the check, for calls that never had one (another provider's, or a turn
 * written by hand).
 */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';

function invalid(message: string, param?: string): ProviderError {
  return providerError('invalid_arg', param === undefined ? { message } : { message, param });
}

/**
 * ChatRequest -> the JSON body of `models/{model}:generateContent` (and of
 * `:streamGenerateContent`, which takes the same body). System text becomes
 * `systemInstruction`; the assistant is the `model` role; tool results are `functionResponse`
 * parts of a user turn, matched to their call by id.
 */
export function serializeGeminiBody(request: ChatRequest, model: string): Result<WireBody, ProviderError> {
  const shape = checkRequestShape(request);
  if (shape.isErr()) return err(shape.error);
  const contents = serializeContents(request.messages, thinkingControl(model) === 'level');
  if (contents.isErr()) return err(contents.error);
  const body: WireBody = { contents: contents.value };
  const system = [request.system, ...request.messages.map((m) => (m.role === 'system' || m.role === 'developer' ? m.content : undefined))]
    .filter((text): text is string => typeof text === 'string' && text.length > 0);
  if (system.length > 0) body.systemInstruction = { parts: system.map((text) => ({ text })) };
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          ...(tool.description === undefined ? {} : { description: tool.description }),
          parametersJsonSchema: tool.parameters,
        })),
      },
    ];
    // toolConfig without tools is refused, so it only goes out with them.
    if (request.toolChoice !== undefined) body.toolConfig = { functionCallingConfig: callingConfig(request.toolChoice) };
  }
  const generation = generationConfig(request, model);
  if (Object.keys(generation).length > 0) body.generationConfig = generation;
  return ok(request.extraBody === undefined ? body : deepMerge(body, request.extraBody));
}

function callingConfig(choice: ToolChoice): WireBody {
  if (choice === 'auto') return { mode: 'AUTO' };
  if (choice === 'none') return { mode: 'NONE' };
  if (choice === 'required') return { mode: 'ANY' };
  return { mode: 'ANY', allowedFunctionNames: [choice.name] };
}

function generationConfig(request: ChatRequest, model: string): WireBody {
  const out: WireBody = {};
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) out[key] = value;
  };
  set('maxOutputTokens', request.maxOutputTokens);
  set('temperature', request.temperature);
  set('topP', request.topP);
  set('stopSequences', request.stop);
  set('seed', request.seed);
  set('presencePenalty', request.presencePenalty);
  set('frequencyPenalty', request.frequencyPenalty);
  if (request.responseFormat !== undefined) {
    out.responseMimeType = 'application/json';
    if (request.responseFormat.type === 'json_schema') out.responseJsonSchema = request.responseFormat.schema;
  }
  if (request.reasoningEffort !== undefined) {
    const effort = request.reasoningEffort;
    out.thinkingConfig = {
      ...(thinkingControl(model) === 'level' ? { thinkingLevel: EFFORT_LEVEL[effort] } : { thinkingBudget: EFFORT_BUDGET[effort] }),
      // Asking for reasoning asks for its summaries too, as the OpenAI Responses mapping does.
      ...(effort === 'none' ? {} : { includeThoughts: true }),
    };
  }
  return out;
}

function serializeContents(messages: readonly Message[], needsSignatures: boolean): Result<WireBody[], ProviderError> {
  const contents: WireBody[] = [];
  const callNames = new Map<string, string>();
  let toolTurn: WireBody[] | undefined;
  for (const [i, message] of messages.entries()) {
    if (message.role !== 'tool') toolTurn = undefined;
    switch (message.role) {
      case 'system':
      case 'developer':
        break;
      case 'user': {
        const parts = userParts(message.content, i);
        if (parts.isErr()) return err(parts.error);
        contents.push({ role: 'user', parts: parts.value });
        break;
      }
      case 'assistant': {
        const parts = modelParts(message, i, callNames, needsSignatures);
        if (parts.isErr()) return err(parts.error);
        // An assistant turn with nothing in it is dropped: Gemini refuses empty `parts`.
        if (parts.value.length > 0) contents.push({ role: 'model', parts: parts.value });
        break;
      }
      case 'tool': {
        const name = callNames.get(message.toolCallId);
        if (name === undefined) {
          return err(
            invalid(
              `messages[${i}] answers tool call ${JSON.stringify(message.toolCallId)}, but no earlier assistant message made that call; Gemini needs the function's name.`,
              `messages[${i}].toolCallId`,
            ),
          );
        }
        const part = { functionResponse: { ...(isGeneratedCallId(message.toolCallId) ? {} : { id: message.toolCallId }), name, response: toolResponse(message.content) } };
        // Results of one turn's parallel calls go back together, in one user turn.
        if (toolTurn === undefined) {
          toolTurn = [];
          contents.push({ role: 'user', parts: toolTurn });
        }
        toolTurn.push(part);
        break;
      }
      default:
        return err(invalid(`messages[${i}] has an unknown role ${JSON.stringify((message as { role?: unknown }).role)}.`, `messages[${i}].role`));
    }
  }
  return ok(contents);
}

/** A JSON object result goes as it is; anything else is wrapped as `{output}`, as the SDK does. */
function toolResponse(content: string): unknown {
  try {
    const value: unknown = JSON.parse(content);
    if (isObject(value)) return value;
  } catch {
    // Plain text: wrapped below.
  }
  return { output: content };
}

function userParts(content: string | readonly ContentPart[], i: number): Result<WireBody[], ProviderError> {
  if (typeof content === 'string') return ok([{ text: content }]);
  const parts: WireBody[] = [];
  for (const [j, part] of content.entries()) {
    const wire = userPart(part);
    if (wire === undefined) {
      return err(invalid(`messages[${i}].content[${j}]: ${part.type === 'image' || part.type === 'document' ? 'the URL must be a data: URL or an http(s) or gs:// URL' : 'unknown part type'}.`, `messages[${i}].content`));
    }
    parts.push(wire);
  }
  return ok(parts);
}

function userPart(part: ContentPart): WireBody | undefined {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'image':
    case 'document':
      return 'data' in part ? { inlineData: { mimeType: part.mediaType, data: part.data } } : urlPart(part.url);
    default:
      return undefined;
  }
}

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
};

/** data: URLs go inline; other URLs as `fileData`, with a MIME type guessed from the extension. */
function urlPart(url: string): WireBody | undefined {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (data !== null) return { inlineData: { mimeType: data[1], data: data[2] } };
  if (!/^(https?|gs):\/\//i.test(url)) return undefined;
  const extension = /\.([A-Za-z0-9]+)(?:$|[?#])/.exec(url)?.[1]?.toLowerCase();
  const mimeType = extension === undefined ? undefined : MEDIA_TYPES[extension];
  return { fileData: { ...(mimeType === undefined ? {} : { mimeType }), fileUri: url } };
}

/**
 * An assistant turn's blocks -> `model` parts, each with the `thoughtSignature` it came with.
 * Thinking goes back as thought parts; `provider` blocks only when Gemini made them.
 */
function modelParts(
  message: Extract<Message, { role: 'assistant' }>,
  i: number,
  callNames: Map<string, string>,
  needsSignatures: boolean,
): Result<WireBody[], ProviderError> {
  const parts: WireBody[] = [];
  let firstCall = true;
  for (const [j, block] of assistantBlocks(message).entries()) {
    if (block.type === 'tool_call') {
      const part = functionCallPart(block, `messages[${i}].blocks[${j}]`);
      if (part.isErr()) return err(part.error);
      callNames.set(block.id, block.name);
      // Of parallel calls only the first carries a signature; Gemini 3 wants that one.
      const signature = block.signature ?? (needsSignatures && firstCall ? SKIP_SIGNATURE : undefined);
      firstCall = false;
      parts.push(signature === undefined ? part.value : { ...part.value, thoughtSignature: signature });
      continue;
    }
    const part = otherPart(block);
    if (part !== undefined) parts.push(part);
  }
  return ok(parts);
}

function otherPart(block: Exclude<ContentBlock, { type: 'tool_call' }>): WireBody | undefined {
  switch (block.type) {
    case 'text':
    case 'thinking': {
      // Empty text goes back only to carry its signature.
      if (block.text.length === 0 && block.signature === undefined) return undefined;
      const part: WireBody = { text: block.text };
      if (block.type === 'thinking') part.thought = true;
      if (block.signature !== undefined) part.thoughtSignature = block.signature;
      return part;
    }
    case 'refusal':
      return block.text.length === 0 ? undefined : { text: block.text };
    case 'provider':
      return block.provider === 'gemini' && isObject(block.data) ? { ...block.data } : undefined;
  }
}

function functionCallPart(call: { readonly id: string; readonly name: string; readonly arguments: string }, where: string): Result<WireBody, ProviderError> {
  let args: unknown;
  try {
    args = JSON.parse(call.arguments.trim() === '' ? '{}' : call.arguments);
  } catch {
    return err(invalid(`${where}.arguments is not valid JSON; Gemini takes a call's arguments as an object.`, `${where}.arguments`));
  }
  if (!isObject(args)) return err(invalid(`${where}.arguments must be a JSON object.`, `${where}.arguments`));
  return ok({ functionCall: { ...(isGeneratedCallId(call.id) ? {} : { id: call.id }), name: call.name, args } });
}

/** Plain objects merge key by key (so `extraBody.generationConfig` adds to what llmux set); anything else replaces. */
export function deepMerge(base: WireBody, extra: Readonly<Record<string, unknown>>): WireBody {
  const out: WireBody = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] = isObject(current) && isObject(value) ? deepMerge({ ...current }, value) : value;
  }
  return out;
}
