import t from 'tap';
import { BEHAVIORS, startChaosServer } from '../fuzz/lib/chaos-server.js';
import { chaosWave, type Mode } from '../fuzz/lib/chaos-run.js';

/**
 * Chaos (issue 16): a loopback server that misbehaves in every way of chaos-server.ts
 * (resets before and after headers, stalls, floods, HTML with 200 and 502, 429 with short
 * and too-long waits, in-band errors, missing [DONE], slow drips, CR framing), and waves
 * of requests with random cancels and throwing callbacks, driven by the README host loop,
 * by run(), by autoPump(), and cut short by cleanup(). Every request must get exactly one
 * completion, events in order and nothing after cancel(), and the outcome its behaviour
 * calls for. Stalls end by the engine's own short timeouts; the test never sleeps.
 * `make chaos` runs this file alone; FUZZ_SEED changes the draw.
 */
const SEED = Number(process.env['FUZZ_SEED'] ?? 16);
const PER_WAVE = 750;

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

const server = await startChaosServer();
t.teardown(() => server.close());

const waves: { mode: Mode; note?: string }[] = [{ mode: 'host-loop' }, { mode: 'run' }, { mode: 'auto-pump' }, { mode: 'cleanup-mid-run' }];

for (const { mode } of waves) {
  t.test(`${mode}: ${PER_WAVE} requests (seed ${SEED})`, async (t) => {
    const result = await chaosWave(server.url, mode, PER_WAVE, SEED ^ mode.length);
    for (const line of result.mismatches.slice(0, 10)) t.fail(line);
    t.equal(result.mismatches.length, 0, `${result.mismatches.length} contract mismatches`);
    const behaviors = new Set([...result.outcomes.keys()].map((key) => key.split(' -> ')[0]));
    t.ok(behaviors.size >= BEHAVIORS.length - 2, `${behaviors.size} of ${BEHAVIORS.length} behaviours drawn`);
    if (process.env['CHAOS_VERBOSE'] === '1') t.comment([...result.outcomes].sort().map(([key, n]) => `${key}: ${n}`).join('\n'));
  });
}

t.test('after cleanup() every server socket closes', async (t) => {
  const deadline = Date.now() + 10_000;
  while (server.openSockets > 0 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
  t.equal(server.openSockets, 0);
  t.same(unhandled, [], 'no unhandled rejections');
});
