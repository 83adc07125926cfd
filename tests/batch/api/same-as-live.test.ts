// The Batch API lane's records carry the very response the live lane produces for the same
// request: the live provider runs each request on a cassette of the non-streaming endpoint
// with the same answer, and the two ChatResponses must be equal but for what only HTTP has
// (the response headers, and the request id, which live comes from x-request-id and in a
// batch from the result line).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runBatch } from '../../../src/batch/runner.js';
import type { BatchRecord } from '../../../src/batch/types.js';
import { parseInput } from '../../../src/batch/input.js';
import { VirtualClock } from '../../../src/http/clock.js';
import { HttpMulti } from '../../../src/http/multi.js';
import { createProvider } from '../../../src/providers/registry.js';
import type { ChatResponse } from '../../../src/providers/types.js';
import { byId, replay, runLane } from './harness.js';
import { ANTHROPIC_ANSWERS, ANTHROPIC_LINES, GEMINI_ANSWERS, GEMINI_LINES, inputText, OPENAI_ANSWERS, OPENAI_LINES, PROVIDER_OPTIONS, type ScenarioLine } from './scenarios.js';

function comparable(response: ChatResponse | undefined): Partial<ChatResponse> | undefined {
  if (response === undefined) return undefined;
  const { headers: _headers, requestId: _requestId, ...rest } = response;
  return rest;
}

const CASES: readonly { name: string; lines: readonly ScenarioLine[]; answers: Readonly<Record<string, object>> }[] = [
  { name: 'openai', lines: OPENAI_LINES, answers: OPENAI_ANSWERS },
  { name: 'anthropic', lines: ANTHROPIC_LINES, answers: ANTHROPIC_ANSWERS },
  { name: 'gemini', lines: GEMINI_LINES, answers: GEMINI_ANSWERS },
];

for (const { name, lines, answers } of CASES) {
  t.test(`${name}: batch records equal the live lane's responses for the same inputs`, async (t) => {
    const batch = await runLane({ dir: t.testdir(), cassette: `${name}-batch`, lines });
    const records = byId(batch.records);
    const clock = new VirtualClock();
    const dispatcher = replay(`${name}-live`, clock);
    const multi = new HttpMulti({ dispatcher, clock, governor: false, breaker: false });
    const provider = createProvider(name, { ...PROVIDER_OPTIONS[name], multi })._unsafeUnwrap();
    const items = parseInput(inputText(lines))._unsafeUnwrap().entries.flatMap((entry) => (entry.kind === 'item' ? [entry.item] : []));
    let compared = 0;
    for (const item of items) {
      if (answers[item.id] === undefined) continue;
      const live = await provider.complete(item.request);
      t.ok(live.isOk(), `${item.id} live: ${live.isErr() ? live.error.message : 'ok'}`);
      const record = records.get(item.id);
      t.equal(record?.ok, true);
      t.same(comparable(record?.response), comparable(live.isOk() ? live.value : undefined), `${item.id}: the same response`);
      t.same(record?.usage, live.isOk() ? live.value.usage : undefined, `${item.id}: the same usage`);
      t.equal(record?.key, item.key, `${item.id}: the same request key`);
      compared++;
    }
    t.ok(compared > 0);
    t.equal(dispatcher.unusedExchanges().length, 0, 'every live exchange was used: the live requests are the ones the generator recorded');
    await provider.cleanup();
    await multi.close();
  });
}

// The same, through the live lane's own runner: its records and the Batch API lane's are equal
// for the requests both answered, but for the fields that say which lane and when (lane,
// startedAt, ms, attempts, cost at batch rates) and the request id HTTP carries.
const LANE_FIELDS = ['lane', 'startedAt', 'ms', 'attempts', 'cost', 'requestId'] as const;

function comparableRecord(record: BatchRecord | undefined): Record<string, unknown> | undefined {
  if (record === undefined) return undefined;
  const copy: Record<string, unknown> = { ...record, response: comparable(record.response) };
  for (const field of LANE_FIELDS) delete copy[field];
  return copy;
}

for (const { name, lines, answers } of CASES) {
  t.test(`${name}: runBatch (live) and runBatchApi write equal records`, async (t) => {
    const dir = t.testdir();
    const batch = await runLane({ dir, cassette: `${name}-batch`, lines });
    const input = join(dir, 'in.jsonl');
    const output = join(dir, 'live.jsonl');
    const clock = new VirtualClock(Date.parse('2026-12-01T00:00:00Z'));
    const dispatcher = replay(`${name}-live`, clock);
    const live = await runBatch({ input, output, providers: PROVIDER_OPTIONS, engine: { dispatcher, clock, maxRetries: 0 }, concurrency: 1 });
    t.ok(live.isOk(), live.isErr() ? live.error.message : 'ok');
    const liveRecords = byId(readFileSync(output, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as BatchRecord));
    const batchRecords = byId(batch.records);
    for (const id of Object.keys(answers)) {
      t.same(comparableRecord(batchRecords.get(id)), comparableRecord(liveRecords.get(id)), `${id}: equal records`);
      t.equal(liveRecords.get(id)?.lane, 'live');
      t.equal(batchRecords.get(id)?.lane, 'batch-api');
    }
  });
}
