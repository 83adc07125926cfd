import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import type { VirtualClock } from '../../../src/http/clock.js';
import { readOutput } from '../../../src/batch/output.js';
import type { Result } from 'neverthrow';
import type { BatchFailure } from '../../../src/batch/errors.js';
import type { BatchRun, BatchSummary } from '../../../src/batch/runner.js';
import type { BatchRecord } from '../../../src/batch/types.js';
import { job, startBatchServer, type BatchServer } from './batch-server.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Waits for a run on a VirtualClock: lets in-process answers land, and when the engine only
 * waits on a timer (a backoff, a pause) moves the clock there. `mayAdvance` false holds the
 * clock (while a test keeps answers back, the next deadline would be a timeout).
 */
export async function drive(run: BatchRun, clock: VirtualClock, mayAdvance: () => boolean = () => true): Promise<Result<BatchSummary, BatchFailure>> {
  let settled = false;
  let value: Result<BatchSummary, BatchFailure> | undefined;
  void run.result.then((result) => {
    settled = true;
    value = result;
  });
  for (let round = 0; round < 200_000 && !settled; round++) {
    await tick();
    if (settled || !mayAdvance()) continue;
    const wait = run.multi?.timeout() ?? -1;
    if (wait > 0) clock.advance(wait);
  }
  if (!settled) throw new Error('drive: the run did not finish');
  return value as Result<BatchSummary, BatchFailure>;
}

export function scratch(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmux-batch-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeInput(dir: string, lines: readonly unknown[], name = 'in.jsonl'): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n');
  return path;
}

export function records(path: string): BatchRecord[] {
  return [...readOutput(readFileSync(path, 'utf8'))._unsafeUnwrap().records];
}

/** `{id, request}` asking for `text` (openai-answers.ts reads its behaviour from it). */
export function ask(id: string, text: string = `ok:${id}`): unknown {
  return { id, request: { messages: [{ role: 'user', content: text }] } };
}

export const OPENAI_TEST = { openai: { apiKey: 'sk-test', baseURL: 'http://fake.test/v1', env: {} } };

/** The must-hold runs' setup: a started batch server (closed at teardown) and an N-line job on disk. */
export async function stageJob(t: Test, n: number): Promise<{ server: BatchServer; ids: string[]; expected: ReturnType<typeof job>['expected']; input: string; output: string }> {
  const server = await startBatchServer();
  t.teardown(() => server.close());
  const dir = scratch(t);
  const { lines, ids, expected } = job(n);
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, `${lines.join('\n')}\n`);
  return { server, ids, expected, input, output: join(dir, 'out.jsonl') };
}
