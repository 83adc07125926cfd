import { err, ok, type Result } from 'neverthrow';
import type { ProviderError } from '../../errors/category.js';
import type { ChatRequest, ContentPart, Message, ResponseFormat, ToolChoice, ToolDefinition } from '../types.js';
import { checkRequestShape, dataUrl, invalidArg, roleOf, setIfDefined, withExtraBody, type WireBody } from '../kit/wire.js';
import { assistantTurn } from './assistant-turn.js';

/**
 * ChatRequest -> the JSON body of `POST /v1/responses`. The whole conversation is sent as
 * `input` items each time; `store` is left to the API default (pass `store: false` or
 * `previous_response_id` through `extraBody` to change how state is kept).
 */
export function serializeResponsesBody(
  request: ChatRequest,
  model: string,
  stream: boolean,
): Result<WireBody, ProviderError> {
  return checkRequestShape(request)
    .andThen(rejectChatOnlyFields)
    .andThen(() => responsesInput(request))
    .map((input) => {
      const body: WireBody = { model };
      setIfDefined(body, 'instructions', request.system);
      body.input = input;
      // As on Chat: tool options go out only with the tools they qualify.
      if (request.tools !== undefined && request.tools.length > 0) {
        body.tools = request.tools.map(responsesTool);
        setIfDefined(
          body,
          'tool_choice',
          request.toolChoice === undefined ? undefined : responsesToolChoice(request.toolChoice),
        );
        setIfDefined(body, 'parallel_tool_calls', request.parallelToolCalls);
      }
      setIfDefined(body, 'max_output_tokens', request.maxOutputTokens);
      setIfDefined(body, 'temperature', request.temperature);
      setIfDefined(body, 'top_p', request.topP);
      if (request.reasoningEffort !== undefined) {
        // Summaries are what the Responses API streams of the model's reasoning; without
        // `summary` there is nothing to show. Effort `none` has no reasoning to summarize.
        body.reasoning =
          request.reasoningEffort === 'none'
            ? { effort: 'none' }
            : { effort: request.reasoningEffort, summary: 'auto' };
      }
      if (request.responseFormat !== undefined) body.text = { format: responsesFormat(request.responseFormat) };
      if (stream) body.stream = true;
      return withExtraBody(body, request);
    });
}

/**
 * The Responses API has no frequency/presence penalties, stop sequences or seed. Dropping
 * them silently would change what the caller asked for, so they are an error here; use the
 * Chat Completions API (`api: "chat"`) for them.
 */
function rejectChatOnlyFields(request: ChatRequest): Result<ChatRequest, ProviderError> {
  const fields: ReadonlyArray<readonly [keyof ChatRequest, string]> = [
    ['frequencyPenalty', 'frequencyPenalty'],
    ['presencePenalty', 'presencePenalty'],
    ['stop', 'stop sequences'],
    ['seed', 'seed'],
  ];
  for (const [key, what] of fields) {
    if (request[key] !== undefined) {
      return err(
        invalidArg(
          `The OpenAI Responses API does not support ${what}; remove \`${key}\` or use api: "chat".`,
          key,
        ),
      );
    }
  }
  return ok(request);
}

function responsesInput(request: ChatRequest): Result<WireBody[], ProviderError> {
  const out: WireBody[] = [];
  for (const [i, message] of request.messages.entries()) {
    const items = responsesItems(message, i);
    if (items.isErr()) return err(items.error);
    out.push(...items.value);
  }
  return ok(out);
}

/** One message can become several items: an assistant turn is its text plus one item per call. */
function responsesItems(message: Message, i: number): Result<WireBody[], ProviderError> {
  switch (message.role) {
    case 'system':
    case 'developer':
      return ok([{ role: message.role, content: message.content }]);
    case 'user':
      return ok([
        {
          role: 'user',
          content: typeof message.content === 'string' ? message.content : message.content.map(responsesPart),
        },
      ]);
    case 'assistant': {
      const items: WireBody[] = [];
      const { text, calls } = assistantTurn(message);
      if (text !== undefined && text.length > 0) {
        items.push({ role: 'assistant', content: [{ type: 'output_text', text }] });
      }
      for (const call of calls) {
        items.push({ type: 'function_call', call_id: call.id, name: call.name, arguments: call.arguments });
      }
      return ok(items);
    }
    case 'tool':
      return ok([{ type: 'function_call_output', call_id: message.toolCallId, output: message.content }]);
    default:
      return err(invalidArg(`messages[${i}] has an unknown role ${JSON.stringify(roleOf(message))}.`, 'messages'));
  }
}

/** Images as URLs (inline data as a `data:` URL); documents as `input_file` data or URL. */
function responsesPart(part: ContentPart): WireBody {
  switch (part.type) {
    case 'text':
      return { type: 'input_text', text: part.text };
    case 'image': {
      const image: WireBody = { type: 'input_image', image_url: 'url' in part ? part.url : dataUrl(part.mediaType, part.data) };
      setIfDefined(image, 'detail', part.detail);
      return image;
    }
    default: {
      if ('url' in part) return { type: 'input_file', file_url: part.url };
      return { type: 'input_file', filename: part.name ?? 'document', file_data: dataUrl(part.mediaType, part.data) };
    }
  }
}

function responsesTool(tool: ToolDefinition): WireBody {
  const wire: WireBody = { type: 'function', name: tool.name };
  setIfDefined(wire, 'description', tool.description);
  wire.parameters = tool.parameters;
  // Unlike Chat Completions, the Responses API treats a missing `strict` as true and rewrites
  // the schema into strict form (every property required), so the same ToolDefinition would
  // behave differently per API. Saying false keeps "unset" meaning "not strict" on both.
  wire.strict = tool.strict ?? false;
  return wire;
}

function responsesToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
}

function responsesFormat(format: ResponseFormat): WireBody {
  if (format.type === 'json') return { type: 'json_object' };
  const wire: WireBody = { type: 'json_schema', name: format.name };
  setIfDefined(wire, 'description', format.description);
  wire.schema = format.schema;
  setIfDefined(wire, 'strict', format.strict);
  return wire;
}
