/**
 * What the demo-cassette generators (tests/cli/tools/) share: the recorded request with its
 * secret header redacted, and the write-or-check loop over vcr-fixtures/demo.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoCassetteDir } from '../../src/cli/paths.js';
import type { TransferRequest } from '../../src/http/types.js';
import { bodyFromText, serializeCassette, type Exchange } from '../../src/vcr/cassette.js';

/** The request as a cassette stores it: the header that carries the key is `[REDACTED]`. */
export function demoRequest(http: TransferRequest, secretHeader: string): Exchange['request'] {
  return { method: http.method, url: http.url, headers: { ...http.headers, [secretHeader]: '[REDACTED]' }, body: bodyFromText(http.body ?? '') };
}

/**
 * With `--write` in argv, writes one single-exchange cassette per script (seeded 1, 2, ...);
 * without it only reports files that differ, so running a generator by mistake changes nothing.
 */
export function writeDemoCassettes<S extends { readonly name: string }>(scripts: readonly S[], exchangeFor: (script: S, seed: number) => Exchange): void {
  const dir = demoCassetteDir();
  const write = process.argv.includes('--write');
  if (write) mkdirSync(dir, { recursive: true });
  scripts.forEach((script, i) => {
    const path = join(dir, `${script.name}.jsonl`);
    const text = serializeCassette({ exchanges: [exchangeFor(script, i + 1)] });
    if (write) {
      writeFileSync(path, text);
      process.stdout.write(`wrote ${path}\n`);
    } else if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
      process.stdout.write(`# ${path} is not what this script writes; run it with --write\n`);
    }
  });
}
