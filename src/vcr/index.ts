/** The public VCR surface: cassettes, record/replay Dispatchers, redaction, faults. */
export {
  bodyBytes,
  parseCassette,
  serializeCassette,
  serializeExchange,
  type Cassette,
  type Exchange,
  type ExchangeEnd,
  type JsonValue,
  type RecordedChunk,
  type RecordedRequest,
  type RecordedResponse,
  type RequestBody,
  type ResponseHeaders,
} from './cassette.js';
export { vcrError, type VcrError, type VcrErrorKind } from './errors.js';
export {
  applyFault,
  applyFaults,
  cutAfterEvent,
  cutAtByte,
  injectAfterEvent,
  mulberry32,
  parseFault,
  rechunkEveryByte,
  rechunkRandom,
  rechunkSingle,
  resetAfterEvent,
  sseEventEnds,
  stallAfterEvent,
  type Fault,
} from './faults.js';
export { compareRequests, findMatch, type MatchOptions, type MatchResult } from './match.js';
export { parseMode, resolveMode, VCR_ENV, type VcrMode } from './mode.js';
export {
  describeFinding,
  findSecrets,
  isSecretHeader,
  redactHeaders,
  redactUrl,
  REDACTED,
  type SecretFinding,
  type SecretKind,
} from './redact.js';
export { RecordingDispatcher, serializeWithoutSecrets, type RecordingOptions } from './recording-dispatcher.js';
export {
  NO_MATCH_CODE,
  ReplayDispatcher,
  type ReplayOptions,
  type ReplaySpeed,
  type UnmatchedRequest,
  type UnusedExchange,
} from './replay-dispatcher.js';
export {
  expectOk,
  openCassette,
  readCassetteFile,
  withCassette,
  type CassetteEngineOptions,
  type CassetteOptions,
  type CassetteSession,
} from './with-cassette.js';
