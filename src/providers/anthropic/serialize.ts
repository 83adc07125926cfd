import { err, ok, type Result } from 'neverthrow';
import type { ProviderError } from '../../errors/category.js';
import type { ChatRequest, Message, ReasoningEffort, ResponseFormat, ToolChoice } from '../types.js';
import { assistantBlocks, isObject } from '../kit/index.js';
import { PROVIDER } from './blocks.js';
import { modelInfo } from './models.js';
import { cacheControl, invalidArg, toolResultTurn, toolUseBlock, userTurn, type Turn, type Wire } from './serialize-content.js';

/** Thinking budgets for `reasoningEffort` on models without adaptive thinking (the API's minimum is 1024). */
export const EFFORT_BUDGETS: Readonly<Record<Exclude<ReasoningEffort, 'none'>, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16_384,
  xhigh: 32_768,
};

const MIN_BUDGET = 1024;

/** Parameters Anthropic has no counterpart for: an error, so a caller never believes they took effect. */
const UNSUPPORTED = [
  ['seed', 'seed'],
  ['frequencyPenalty', 'frequency_penalty'],
  ['presencePenalty', 'presence_penalty'],
] as const;

/** The neutral request -> the Messages API body. Pure; errors are values. */
export function serializeAnthropicBody(request: ChatRequest, model: string, stream: boolean): Result<Wire, ProviderError> {
  if (!Array.isArray(request.messages)) return err(invalidArg('The request needs a `messages` array.', 'messages'));
  for (const [field, wire] of UNSUPPORTED) {
    if (request[field] !== undefined) {
      return err(invalidArg(`Anthropic does not support \`${field}\` (${wire}); remove it from the request.`, field));
    }
  }
  const max = request.maxOutputTokens;
  if (max !== undefined && (!Number.isInteger(max) || max <= 0)) {
    return err(invalidArg(`maxOutputTokens must be a positive integer, got ${String(max)}.`, 'maxOutputTokens'));
  }
  const split = splitSystem(request);
  if (split.isErr()) return err(split.error);
  const messages = serializeMessages(split.value.messages, request);
  if (messages.isErr()) return err(messages.error);
  if (messages.value.length === 0) {
    return err(invalidArg('The request has no user or assistant messages; Anthropic needs at least one.', 'messages'));
  }
  const info = modelInfo(model);
  const thinking = thinkingFor(request, model);
  if (thinking.isErr()) return err(thinking.error);
  const answer = max ?? info.defaultMaxTokens;
  const body: Wire = { model };
  const budget = thinking.value?.budget;
  if (budget === undefined) {
    body.max_tokens = answer;
  } else {
    // The API wants budget_tokens < max_tokens, and max_tokens within the model's limit:
    // ask for the answer's room plus the budget, and shrink the budget first when that is too much.
    const total = Math.min(answer + budget, info.maxOutput);
    body.max_tokens = total;
    (thinking.value as Thinking).wire.budget_tokens = Math.max(MIN_BUDGET, Math.min(budget, total - Math.min(answer, total - MIN_BUDGET)));
  }
  const system = split.value.system;
  if (system.length > 0) {
    const cache = request.cache?.system;
    if (cache === undefined && system.length === 1) body.system = system[0];
    else {
      const blocks: Wire[] = system.map((text) => ({ type: 'text', text }));
      if (cache !== undefined) (blocks[blocks.length - 1] as Wire).cache_control = cacheControl(cache);
      body.system = blocks;
    }
  }
  body.messages = messages.value;
  const tools = serializeTools(request);
  if (tools !== undefined) body.tools = tools;
  const choice = toolChoice(request.toolChoice, request.parallelToolCalls);
  if (choice.isErr()) return err(choice.error);
  if (choice.value !== undefined) body.tool_choice = choice.value;
  if (thinking.value !== undefined) body.thinking = thinking.value.wire;
  const format = outputFormat(request.responseFormat);
  if (format.isErr()) return err(format.error);
  const outputConfig: Wire = {};
  if (thinking.value?.effort !== undefined) outputConfig.effort = thinking.value.effort;
  if (format.value !== undefined) outputConfig.format = format.value;
  if (Object.keys(outputConfig).length > 0) body.output_config = outputConfig;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) body.stop_sequences = [...request.stop];
  if (stream) body.stream = true;
  // Last, so it can set what llmux does not model and override what it does.
  return ok(request.extraBody === undefined ? body : { ...body, ...request.extraBody });
}

/** Leading system (and developer) messages join `request.system`; Anthropic has no system role in `messages`. */
function splitSystem(request: ChatRequest): Result<{ system: string[]; messages: readonly Message[] }, ProviderError> {
  const system: string[] = request.system === undefined || request.system.length === 0 ? [] : [request.system];
  let start = 0;
  while (start < request.messages.length) {
    const message: unknown = request.messages[start];
    if (!isSystem(message)) break;
    system.push(message.content);
    start++;
  }
  const rest = request.messages.slice(start);
  const late = rest.findIndex(isSystem);
  if (late !== -1) {
    return err(
      invalidArg(
        `messages[${start + late}]: Anthropic takes system instructions only before the conversation; move it to \`system\` or into a user message.`,
        'messages',
      ),
    );
  }
  return ok({ system, messages: rest });
}

function isSystem(message: unknown): message is Extract<Message, { role: 'system' | 'developer' }> {
  const role = typeof message === 'object' && message !== null ? (message as { role?: unknown }).role : undefined;
  return role === 'system' || role === 'developer';
}

/**
 * Neutral messages -> Anthropic's alternating turns. Tool results become `tool_result`
 * blocks of a user turn, and consecutive turns of one role are merged, because the API
 * wants every result of an assistant's tool calls in the one user message after it.
 */
function serializeMessages(messages: readonly Message[], request: ChatRequest): Result<Wire[], ProviderError> {
  const turns: Turn[] = [];
  for (const [i, message] of messages.entries()) {
    const where = `messages[${i}]`;
    const turn = turnOf(message, where);
    if (turn.isErr()) return err(turn.error);
    const last = turns[turns.length - 1];
    if (last !== undefined && last.role === turn.value.role) {
      turns[turns.length - 1] = { role: last.role, blocks: [...last.blocks, ...turn.value.blocks] };
    } else turns.push(turn.value);
  }
  const cache = request.cache?.messages;
  if (cache !== undefined) {
    const lastTurn = turns[turns.length - 1];
    const lastBlock = lastTurn?.blocks[lastTurn.blocks.length - 1];
    if (lastTurn !== undefined && lastBlock !== undefined) {
      lastTurn.blocks[lastTurn.blocks.length - 1] = { ...lastBlock, cache_control: cacheControl(cache) };
      turns[turns.length - 1] = { role: lastTurn.role, blocks: lastTurn.blocks };
    }
  }
  return ok(turns.map((turn) => ({ role: turn.role, content: turn.text ?? turn.blocks })));
}

function turnOf(message: Message, where: string): Result<Turn, ProviderError> {
  if (typeof message !== 'object' || message === null) return err(invalidArg(`${where} is not a message object.`, 'messages'));
  switch (message.role) {
    case 'user':
      return userTurn(message, where);
    case 'tool':
      return ok(toolResultTurn(message));
    case 'assistant':
      return assistantTurn(message, where);
    default:
      return err(invalidArg(`${where}: unknown role ${JSON.stringify((message as { role?: unknown }).role)}.`, 'messages'));
  }
}

/**
 * An assistant turn, from its blocks (a previous response's content) or its text and tool
 * calls. Thinking goes back with its signature, unchanged, and Anthropic's own `provider`
 * blocks (redacted thinking, server tool blocks) verbatim, as the API requires when a turn
 * continues; thinking without a signature (another provider's) and other providers' blocks
 * cannot be verified by Anthropic and are left out.
 */
function assistantTurn(message: Extract<Message, { role: 'assistant' }>, where: string): Result<Turn, ProviderError> {
  const blocks: Wire[] = [];
  for (const block of assistantBlocks(message)) {
    switch (block.type) {
      case 'text':
        if (block.text.length > 0) blocks.push(block.citations === undefined ? { type: 'text', text: block.text } : { type: 'text', text: block.text, citations: block.citations });
        break;
      case 'thinking':
        if (block.signature !== undefined) blocks.push({ type: 'thinking', thinking: block.text, signature: block.signature });
        break;
      case 'tool_call': {
        const wire = toolUseBlock(block, where);
        if (wire.isErr()) return err(wire.error);
        blocks.push(wire.value);
        break;
      }
      case 'provider':
        if (block.provider === PROVIDER && isObject(block.data)) blocks.push({ ...block.data });
        break;
      default:
        // A refusal is the model's own text about not answering; it is not sent back.
        break;
    }
  }
  if (blocks.length === 0) return err(invalidArg(`${where}: an assistant message needs content or tool calls.`, 'messages'));
  return ok({ role: 'assistant', blocks });
}

function serializeTools(request: ChatRequest): Wire[] | undefined {
  if (request.tools === undefined || request.tools.length === 0) return undefined;
  const tools = request.tools.map((tool): Wire => {
    const wire: Wire = { name: tool.name };
    if (tool.description !== undefined) wire.description = tool.description;
    wire.input_schema = tool.parameters;
    if (tool.strict !== undefined) wire.strict = tool.strict;
    if (tool.cache !== undefined) wire.cache_control = cacheControl(tool.cache);
    return wire;
  });
  const cache = request.cache?.tools;
  if (cache !== undefined) (tools[tools.length - 1] as Wire).cache_control = cacheControl(cache);
  return tools;
}

function toolChoice(choice: ToolChoice | undefined, parallel: boolean | undefined): Result<Wire | undefined, ProviderError> {
  const serial = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined) return ok(parallel === false ? { type: 'auto', ...serial } : undefined);
  if (choice === 'none') return ok({ type: 'none' });
  if (choice === 'auto') return ok({ type: 'auto', ...serial });
  if (choice === 'required') return ok({ type: 'any', ...serial });
  if (typeof choice === 'object' && choice !== null && typeof choice.name === 'string') {
    return ok({ type: 'tool', name: choice.name, ...serial });
  }
  return err(invalidArg(`Unknown toolChoice ${JSON.stringify(choice)}: use auto, none, required or { name }.`, 'toolChoice'));
}

interface Thinking {
  readonly wire: Wire;
  readonly budget?: number;
  readonly effort?: string;
}

/**
 * An explicit `thinkingBudget` wins; otherwise `reasoningEffort` gives adaptive thinking
 * with that effort on models that have it, and a fixed budget on the others.
 */
function thinkingFor(request: ChatRequest, model: string): Result<Thinking | undefined, ProviderError> {
  const { thinkingBudget: budget, reasoningEffort: effort } = request;
  const effortWire = effort === undefined || effort === 'none' ? undefined : effort === 'minimal' ? 'low' : effort;
  if (budget === 'adaptive') {
    return ok({ wire: { type: 'adaptive' }, ...(effortWire === undefined ? {} : { effort: effortWire }) });
  }
  if (budget !== undefined) {
    if (budget === 0) return ok(undefined);
    if (!Number.isInteger(budget) || budget < MIN_BUDGET) {
      return err(invalidArg(`thinkingBudget must be 0, "adaptive" or an integer of at least ${MIN_BUDGET}, got ${String(budget)}.`, 'thinkingBudget'));
    }
    return ok({ wire: { type: 'enabled', budget_tokens: budget }, budget });
  }
  if (effort === undefined || effort === 'none') return ok(undefined);
  if (modelInfo(model).adaptive === true) return ok({ wire: { type: 'adaptive' }, effort: effortWire as string });
  const fixed = EFFORT_BUDGETS[effort];
  return ok({ wire: { type: 'enabled', budget_tokens: fixed }, budget: fixed });
}

/** Structured output is `output_config.format`; Anthropic has no schema-less JSON mode, so `json` is refused. */
function outputFormat(format: ResponseFormat | undefined): Result<Wire | undefined, ProviderError> {
  if (format === undefined) return ok(undefined);
  if (format.type === 'json_schema') return ok({ type: 'json_schema', schema: format.schema });
  return err(invalidArg('Anthropic has no JSON mode without a schema; use responseFormat { type: "json_schema", name, schema }.', 'responseFormat'));
}
