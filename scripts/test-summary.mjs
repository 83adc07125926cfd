// Prints one closing line for the whole suite ("tests: N passed, N failed") from the TAP
// files tap saves per test file, and names every failure (file and assertion), so a quiet
// reporter during the run still leaves CI logs that say what broke.
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
const failures = [];
for (const file of files('.tap/test-results')) {
  const subtests = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const subtest = /^(\s*)# Subtest: (.*)$/.exec(line);
    if (subtest) subtests[subtest[1].length / 4] = subtest[2];
    if (/^\s*ok \d+/.test(line)) passed++;
    else if (/^\s*not ok \d+/.test(line) && !/# (TODO|SKIP)/i.test(line)) {
      failed++;
      const depth = (/^(\s*)/.exec(line)?.[1].length ?? 0) / 4;
      failures.push(`${file.replace(/^\.tap\/test-results\//, '').replace(/\.tap$/, '')}: ${subtests.slice(0, depth).join(' > ')}${depth > 0 ? ' > ' : ''}${line.trim()}`);
    }
  }
}
for (const failure of failures.slice(0, 50)) console.log(`FAILED ${failure}`);
if (failures.length > 50) console.log(`... and ${failures.length - 50} more`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
