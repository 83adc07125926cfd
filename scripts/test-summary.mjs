// Prints one closing line for the whole suite ("tests: N passed, N failed") from the raw TAP
// the runner saved (`tap --output-file`), and names every failure: the file and the nested
// assertion, or, for a file or subtest that failed with no failing assertion inside it (a
// timeout, a signal, a non-zero exit), its name with the reason tap gave. A quiet reporter
// during the run still leaves CI logs that say what broke.
import { readFileSync } from 'node:fs';

const path = process.argv[2] ?? '.tap/run.tap';
let lines;
try {
  lines = readFileSync(path, 'utf8').split('\n');
} catch (error) {
  console.log(`test-summary: cannot read ${path}: ${error.message}`);
  process.exit(1);
}

const names = []; // names[d]: the open subtest announced at indent d
const failuresAt = []; // failuresAt[d]: failures.length when that subtest opened
const failures = [];
let passed = 0;

function reason(from) {
  const found = [];
  for (let j = from; j < lines.length; j++) {
    const line = lines[j];
    if (/^\s*(not )?ok \d+/.test(line) || /^\s*# Subtest:/.test(line)) break;
    const field = /^\s*(exitCode|signal|timeout|expired|message): (.*)$/.exec(line);
    if (field) found.push(`${field[1]}=${field[2]}`);
    if (/^\s*\.\.\.\s*$/.test(line)) break;
  }
  return found.length > 0 ? ` [${found.join(', ')}]` : '';
}

for (let i = 0; i < lines.length; i++) {
  const line = lines[i];
  const subtest = /^(\s*)# Subtest: (.*)$/.exec(line);
  if (subtest) {
    const depth = subtest[1].length / 4;
    names[depth] = subtest[2];
    failuresAt[depth] = failures.length;
    names.length = depth + 1;
    continue;
  }
  const point = /^(\s*)(not )?ok \d+/.exec(line);
  if (!point) continue;
  const depth = point[1].length / 4;
  const isParent = names[depth] !== undefined && names.length === depth + 1;
  const where = names.slice(0, depth).join(' > ');
  const skipped = /# (TODO|SKIP)/i.test(line);
  if (isParent) {
    // A parent only sums its children, unless it failed with none of them failing.
    if (point[2] && !skipped && failures.length === failuresAt[depth]) {
      failures.push(`${where}${where ? ' > ' : ''}${line.trim()}${reason(i + 1)}`);
    }
    names.length = depth;
  } else if (!skipped) {
    if (point[2]) failures.push(`${where}${where ? ' > ' : ''}${line.trim()}${reason(i + 1)}`);
    else passed++;
  }
}
for (const failure of failures.slice(0, 50)) console.log(`FAILED ${failure}`);
if (failures.length > 50) console.log(`... and ${failures.length - 50} more`);
console.log(`tests: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length > 0 ? 1 : 0);
