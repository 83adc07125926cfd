import t from 'tap';
import { runLane } from '../../batch/api/harness.js';
import { exchange, openAICreate } from '../../batch/api/tools/make-batch-cassettes.js';
import { OPENAI_LINES } from '../../batch/api/scenarios.js';

/**
 * A batch that ended but whose results file the provider no longer has (OpenAI deletes
 * batch output files with the account's file retention; a 404 on files/{id}/content) made
 * the collect step fail the whole run with a batch_api error, before the batch was marked
 * collected. Every restart polled it again, hit the same 404 and failed again: the job was
 * wedged, and --cancel could not help (it collects too). A 404 on the download is now what a
 * 404 on the poll already was: the batch's requests end `not_found` (--retry-errors sends
 * them again) and the run goes on.
 */
const OPENAI = 'https://api.openai.com/v1';

t.test('a results file that is gone (404): the requests end not_found and the run finishes', async (t) => {
  const create = openAICreate('batch_ok');
  const done = exchange('GET', `${OPENAI}/batches/batch_ok`, undefined, 200, JSON.stringify({ id: 'batch_ok', status: 'completed', output_file_id: 'file-out' }));
  const gone = exchange('GET', `${OPENAI}/files/file-out/content`, undefined, 404, JSON.stringify({ error: { message: 'No such File object: file-out', type: 'invalid_request_error', code: null } }));
  const dir = t.testdir();
  const run = await runLane({ dir, cassette: [...create, done, gone], lines: OPENAI_LINES });
  t.ok(run.result.isOk(), 'the run finishes');
  t.equal(run.records.length, OPENAI_LINES.length, 'one record per id');
  t.ok(run.records.every((record) => record.error?.category === 'not_found' && /No such File/.test(record.error.message)));
  t.match(run.manifest.batches, [{ batchId: 'batch_ok', collected: true }]);
});
