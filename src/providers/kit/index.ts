/**
 * The provider kit: what every provider builds on. A provider folder imports the providers
 * root, this kit and itself only (scripts/lint.mjs checks), so shared code lives here.
 */
export { buildResponse, ContentAssembler, type FinishedCall, type ResponseParts, type TextKind } from './content.js';
export { apiKeyHint, optionOrEnv, resolveApiKey, textOption, type ApiKeyRule, type Env } from './env.js';
export { bodyOnlyHttpMessage, cleanBodySnippet } from './error-text.js';
export { refinedError, type ErrorParts, type Refinement } from './error-map.js';
export {
  isHeaderSafe,
  joinUrl,
  LLMUX_VERSION,
  mergeHeaders,
  parseBaseURL,
  requestHeaders,
  stringifyBody,
  USER_AGENT,
} from './http.js';
export {
  arrayField,
  asJsonValue,
  isObject,
  isPresent,
  nonEmpty,
  numberField,
  objectField,
  parseJson,
  parseJsonObject,
  parseJsonText,
  snippet,
  stringifyJson,
  stringField,
  tryParseJson,
  tryParseJsonObject,
  type JsonObject,
} from './json.js';
export { checkModelName, MAX_MODEL_NAME_LENGTH, type KnownModel, type ModelNameRule } from './models.js';
export { redactSecrets, REDACTED_TEXT, SECRET_PATTERNS, type SecretPattern } from './secrets.js';
export { StreamBuilder, type CallPlace, type DeltaOptions, type ToolCallInfo } from './stream-builder.js';
export { createKitStreamParser, type KitStreamParserOptions, type StreamHandler } from './stream-parser.js';
export { ToolCallAssembler } from './tool-calls.js';
export { mergeUsage } from './usage.js';
export { assistantBlocks, checkRequestShape, dataUrl, invalidArg, roleOf, setIfDefined, withExtraBody, type WireBody } from './wire.js';
