import t from 'tap';
import { customId } from '../../../src/batch/api/types.js';
import { byId, loadExchanges, runLane } from '../../batch/api/harness.js';
import { exchange } from '../../batch/api/tools/make-batch-cassettes.js';
import { ANTHROPIC_ANSWERS, ANTHROPIC_ERROR, ANTHROPIC_LINES } from '../../batch/api/scenarios.js';

/**
 * A results file that names one request twice (a provider retry that logged both attempts,
 * a file concatenated by a proxy): the OpenAI protocol keeps the answer over an error line,
 * but the Anthropic one kept whichever line came last. An answer that was produced (and
 * billed) followed by an `errored` line for the same custom_id became a failure record, and
 * `--retry-errors` would pay for it again. Every protocol now keeps an answer over an error.
 */
const ANTHROPIC = 'https://api.anthropic.com/v1/messages';

t.test('Anthropic: an answer is kept over a later error line for the same request', async (t) => {
  const dir = t.testdir();
  const create = loadExchanges('anthropic-batch').slice(0, 2);
  await runLane({ dir, cassette: create, lines: ANTHROPIC_LINES, stopAfterRounds: 1 });
  const results = `${ANTHROPIC}/batches/msgbatch_01/results`;
  const lines = [
    { custom_id: customId(0), result: { type: 'succeeded', message: ANTHROPIC_ANSWERS['haiku-1'] } },
    { custom_id: customId(0), result: { type: 'errored', error: ANTHROPIC_ERROR } },
    { custom_id: customId(1), result: { type: 'errored', error: ANTHROPIC_ERROR } },
    { custom_id: customId(1), result: { type: 'succeeded', message: ANTHROPIC_ANSWERS['haiku-1'] } },
    { custom_id: customId(2), result: { type: 'expired' } },
  ];
  const after = await runLane({
    dir,
    cassette: [
      exchange('GET', `${ANTHROPIC}/batches/msgbatch_01`, undefined, 200, JSON.stringify({ id: 'msgbatch_01', processing_status: 'ended', results_url: results })),
      exchange('GET', results, undefined, 200, lines.map((line) => JSON.stringify(line)).join('\n')),
    ],
    lines: ANTHROPIC_LINES,
  });
  t.ok(after.result.isOk());
  const records = byId(after.records);
  t.equal(after.records.length, 3, 'one record per id');
  t.match(records.get('haiku-1'), { ok: true }, 'the answer first, an error after: the answer stands');
  t.match(records.get('haiku-2'), { ok: true }, 'an error first, the answer after: the answer stands');
  t.match(records.get('haiku-3'), { ok: false, error: { category: 'timeout' } });
});
