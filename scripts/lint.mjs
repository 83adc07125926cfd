// House rules the compiler does not enforce: no `any` in the source, no console.log
// left in library code (the CLI and bench print on purpose).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const problems = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.ts')) check(path);
  }
}
function check(path) {
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    if (/(:|<|as)\s*any\b/.test(code) || /\bany\[\]/.test(code)) problems.push(`${path}:${i + 1}: 'any' is not allowed`);
    if (path.startsWith('src/') && !path.startsWith('src/cli/') && /console\.log\(/.test(code)) {
      problems.push(`${path}:${i + 1}: console.log in library code`);
    }
  });
}
for (const dir of ['src', 'tests', 'bench']) {
  try {
    walk(dir);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('lint: ok');
