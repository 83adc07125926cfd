import { err, ok, type Result } from 'neverthrow';
import type { ProviderError } from '../../errors/category.js';
import type { ChatRequest, ContentPart, Message, ResponseFormat, ToolChoice, ToolDefinition } from '../types.js';
import { checkRequestShape, dataUrl, invalidArg, roleOf, setIfDefined, withExtraBody, type WireBody } from '../kit/wire.js';
import { assistantTurn } from './assistant-turn.js';

/**
 * ChatRequest -> the JSON body of `POST /v1/chat/completions`. Also what OpenAI-compatible
 * servers (vLLM, Ollama, llama.cpp, OpenRouter, DeepSeek, xAI, ...) accept, so nothing here
 * is specific to api.openai.com. Servers that only know the older `max_tokens` can be given
 * it through `extraBody`.
 */
export function serializeChatBody(request: ChatRequest, model: string, stream: boolean): Result<WireBody, ProviderError> {
  return checkRequestShape(request).andThen(() => chatMessages(request)).map((messages) => {
    const body: WireBody = { model, messages };
    // tool_choice and parallel_tool_calls without tools are a 400 ("only allowed when
    // 'tools' are specified"): they go out only with the tools they qualify.
    if (request.tools !== undefined && request.tools.length > 0) {
      body.tools = request.tools.map(chatTool);
      setIfDefined(body, 'tool_choice', request.toolChoice === undefined ? undefined : chatToolChoice(request.toolChoice));
      setIfDefined(body, 'parallel_tool_calls', request.parallelToolCalls);
    }
    // `max_tokens` is deprecated and rejected by reasoning models; this one works for all.
    setIfDefined(body, 'max_completion_tokens', request.maxOutputTokens);
    setIfDefined(body, 'temperature', request.temperature);
    setIfDefined(body, 'top_p', request.topP);
    setIfDefined(body, 'frequency_penalty', request.frequencyPenalty);
    setIfDefined(body, 'presence_penalty', request.presencePenalty);
    setIfDefined(body, 'stop', request.stop);
    setIfDefined(body, 'seed', request.seed);
    setIfDefined(body, 'reasoning_effort', request.reasoningEffort);
    if (request.responseFormat !== undefined) body.response_format = chatResponseFormat(request.responseFormat);
    if (stream) {
      body.stream = true;
      // Without this the stream carries no token counts at all.
      body.stream_options = { include_usage: true };
    }
    return withExtraBody(body, request);
  });
}

function chatMessages(request: ChatRequest): Result<WireBody[], ProviderError> {
  const out: WireBody[] = [];
  if (request.system !== undefined) out.push({ role: 'system', content: request.system });
  for (const [i, message] of request.messages.entries()) {
    const wire = chatMessage(message, i);
    if (wire.isErr()) return err(wire.error);
    out.push(wire.value);
  }
  return ok(out);
}

function chatMessage(message: Message, i: number): Result<WireBody, ProviderError> {
  switch (message.role) {
    case 'system':
    case 'developer':
      return ok({ role: message.role, content: message.content });
    case 'user': {
      if (typeof message.content === 'string') return ok({ role: 'user', content: message.content });
      const parts: WireBody[] = [];
      for (const part of message.content) {
        const wire = chatPart(part, i);
        if (wire.isErr()) return err(wire.error);
        parts.push(wire.value);
      }
      return ok({ role: 'user', content: parts });
    }
    case 'assistant': {
      const { text, calls } = assistantTurn(message);
      if (calls.length === 0) return ok({ role: 'assistant', content: text ?? '' });
      // An assistant turn that only called tools has `content: null`, as the API returns it.
      return ok({
        role: 'assistant',
        content: text ?? null,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        })),
      });
    }
    case 'tool':
      return ok({ role: 'tool', tool_call_id: message.toolCallId, content: message.content });
    default:
      return err(invalidArg(`messages[${i}] has an unknown role ${JSON.stringify(roleOf(message))}.`, 'messages'));
  }
}

/** Images go as URLs (inline data as a `data:` URL); documents as inline `file` data only. */
function chatPart(part: ContentPart, i: number): Result<WireBody, ProviderError> {
  switch (part.type) {
    case 'text':
      return ok({ type: 'text', text: part.text });
    case 'image': {
      const image: WireBody = { url: 'url' in part ? part.url : dataUrl(part.mediaType, part.data) };
      setIfDefined(image, 'detail', part.detail);
      return ok({ type: 'image_url', image_url: image });
    }
    case 'document':
      if ('url' in part) {
        return err(
          invalidArg(
            `messages[${i}] has a document by URL, which Chat Completions cannot fetch; send its data, or use api: "responses".`,
            'messages',
          ),
        );
      }
      return ok({ type: 'file', file: { filename: part.name ?? 'document', file_data: dataUrl(part.mediaType, part.data) } });
    default:
      return err(invalidArg(`messages[${i}] has a content part of unknown type.`, 'messages'));
  }
}

function chatTool(tool: ToolDefinition): WireBody {
  const fn: WireBody = { name: tool.name };
  setIfDefined(fn, 'description', tool.description);
  fn.parameters = tool.parameters;
  setIfDefined(fn, 'strict', tool.strict);
  return { type: 'function', function: fn };
}

function chatToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

/** Chat nests the schema under `json_schema`; the Responses API flattens it (serialize-responses.ts). */
function chatResponseFormat(format: ResponseFormat): WireBody {
  if (format.type === 'json') return { type: 'json_object' };
  const schema: WireBody = { name: format.name };
  setIfDefined(schema, 'description', format.description);
  schema.schema = format.schema;
  setIfDefined(schema, 'strict', format.strict);
  return { type: 'json_schema', json_schema: schema };
}
