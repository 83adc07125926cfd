// `llmux/vcr`: cassettes, record and replay dispatchers, redaction, faults and the test
// helpers (withCassette, expectOk). Kept out of the main entry so test utilities do not sit
// next to createOpenAI.
export * from './vcr/index.js';
