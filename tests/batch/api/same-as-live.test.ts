// The Batch API lane's records carry the very response the live lane produces for the same
// request: the live provider runs each request on a cassette of the non-streaming endpoint
// with the same answer, and the two ChatResponses must be equal but for what only HTTP has
// (the response headers, and the request id, which live comes from x-request-id and in a
// batch from the result line).
import t from 'tap';
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
