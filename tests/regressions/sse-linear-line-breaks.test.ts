import t from 'tap';
import { SseDecoder } from '../../src/sse/decoder.js';

/**
 * For a chunk holding a CR, eventsource-parser looks up both the next CR and the next LF
 * from the start of every line; when one kind occurs only at the end (many LFs then a lone
 * CR, or many CRs then one LF) each lookup scans to the end of the chunk, so decoding was
 * quadratic in the chunk: 64 KiB took 19 ms, 1 MiB 5 s (issue 16). The work is counted here
 * as the characters that String.prototype.indexOf scans, which is where all the line
 * searching of the decoder and the parser happens; no clock is read.
 */
function scannedCharacters(text: string): number {
  const original = String.prototype.indexOf;
  let scanned = 0;
  String.prototype.indexOf = function (this: string, search: string, from?: number): number {
    const start = Math.max(0, Math.min(from ?? 0, this.length));
    const found = original.call(this, search, start);
    scanned += (found === -1 ? this.length : found + search.length) - start;
    return found;
  };
  try {
    const decoder = new SseDecoder(() => undefined);
    decoder.feed(Buffer.from(text));
    decoder.end();
  } finally {
    String.prototype.indexOf = original;
  }
  return scanned;
}

for (const [name, make] of [
  ['many LFs ending in a lone CR', (n: number) => `${'\n'.repeat(n)}\r`],
  ['many CRs ending in one LF', (n: number) => `${'\r'.repeat(n)}\n`],
  ['many data lines ending in a lone CR', (n: number) => `${'data: x\n'.repeat(n / 8)}\r`],
] as const) {
  t.test(`${name}: the scanning is linear in the chunk`, async (t) => {
    for (const size of [4 * 1024, 64 * 1024]) {
      const text = make(size);
      const scanned = scannedCharacters(text);
      t.ok(scanned <= 8 * text.length, `${size} characters: ${scanned} scanned, at most 8 per character`);
    }
  });
}
