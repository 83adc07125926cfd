/**
 * Writes vcr-fixtures/gemini/ from cassette-cases.ts: each case's request exactly as
 * prepare() builds it (secrets redacted, as the recorder would), then its exchanges, cut into
 * reads at the case's offsets, 20 ms apart. Deterministic.
 *
 *   npx tsc -p tsconfig.json && node dist/tests/providers/gemini/tools/make-cassettes.js --write
 *
 * Without --write it only reports which files would change.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGeminiAdapter } from '../../../../src/providers/gemini/adapter.js';
import { bodyFromText, serializeCassette, type Exchange, type RecordedChunk } from '../../../../src/vcr/cassette.js';
import { CASSETTE_API_KEY, GEMINI_CASES, type GeminiCase, type WireExchange } from '../cassette-cases.js';
import { FIXTURES } from '../helpers.js';

const SECRET_HEADERS = new Set(['x-goog-api-key', 'authorization']);

function reads(exchange: WireExchange, start: number): RecordedChunk[] {
  const bytes = Buffer.from(exchange.body);
  const cuts = [...new Set(exchange.cuts ?? [])].filter((cut) => cut > 0 && cut < bytes.length).sort((a, b) => a - b);
  const bounds = [0, ...cuts, bytes.length];
  return bounds.slice(1).map((end, i) => ({ bytes: bytes.subarray(bounds[i], end), t: start + 20 * (i + 1) }));
}

export function cassetteText(testCase: GeminiCase): string {
  const adapter = createGeminiAdapter({ apiKey: CASSETTE_API_KEY, env: {}, ...testCase.options });
  const prepared = adapter.prepare(testCase.request, testCase.mode ?? 'stream');
  if (prepared.isErr()) throw new Error(`${testCase.name}: ${prepared.error.message}`);
  const { http } = prepared.value;
  const headers = Object.fromEntries(Object.entries(http.headers ?? {}).map(([name, value]) => [name, SECRET_HEADERS.has(name) ? '[REDACTED]' : value]));
  let t = 0;
  const exchanges: Exchange[] = testCase.exchanges.map((wire) => {
    const begin = t;
    const chunks = reads(wire, begin + 300);
    t = (chunks.at(-1)?.t ?? begin + 300) + 1000;
    return {
      request: { method: http.method, url: http.url, headers, body: bodyFromText(String(http.body)) },
      response: { status: wire.status, headers: wire.headers, t: begin + 300 },
      chunks,
      end: { kind: 'ok', t: (chunks.at(-1)?.t ?? begin + 300) + 2 },
    };
  });
  return serializeCassette({ exchanges });
}

if (process.argv[1]?.endsWith('make-cassettes.js')) {
  const write = process.argv.includes('--write');
  if (!existsSync(FIXTURES)) mkdirSync(FIXTURES, { recursive: true });
  for (const testCase of GEMINI_CASES) {
    const file = join(FIXTURES, `${testCase.name}.jsonl`);
    const text = cassetteText(testCase);
    const same = existsSync(file) && readFileSync(file, 'utf8') === text;
    if (!same && write) writeFileSync(file, text);
    console.log(`${same ? 'same   ' : write ? 'written' : 'differs'} ${file}`);
  }
}
