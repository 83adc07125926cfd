// Prints one closing line for the whole suite ("tests: N passed, N failed") from the TAP
// files tap saves per test file, so CI logs end with a count rather than a row of dots.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.tap') ? [path] : [];
  });
}

let passed = 0;
let failed = 0;
for (const file of files('.tap/test-results')) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^ok \d+/.test(line)) passed++;
    else if (/^not ok \d+/.test(line) && !/# (TODO|SKIP)/i.test(line)) failed++;
  }
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
