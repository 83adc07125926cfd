// House rules the compiler does not enforce: no `any`, no console.log left in library code
// (the CLI and bench print on purpose), source files under 350 lines, and one-way layers:
//   errors -> http -> sse -> providers -> vcr -> batch -> cli
// Each layer of src/ imports only from itself and the layers before it (type imports
// included). A provider's own folder (providers/openai, ...) imports only the providers
// root, the kit and itself, and the kit imports no provider, so providers share code only
// through the kit. The entry files at the root of src/ may import anything.
// Usage: node scripts/lint.mjs [root]   (root defaults to the current directory)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const LAYERS = ['errors', 'http', 'sse', 'providers', 'vcr', 'batch', 'cli'];
const MAX_LINES = 350;
const root = resolve(process.argv[2] ?? '.');
const problems = [];

function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.ts')) check(path);
  }
}

/** src/<layer>/... -> the layer's rank (-1: not a layer); undefined for files at the root of src/. */
function layerOf(rel) {
  const parts = rel.split('/');
  if (parts[0] !== 'src' || parts.length < 3) return undefined;
  return LAYERS.indexOf(parts[1]);
}

/** src/providers/<name>/... -> name, for provider folders other than the shared kit. */
function providerFolder(rel) {
  const parts = rel.split('/');
  if (parts[0] !== 'src' || parts[1] !== 'providers' || parts.length < 4) return undefined;
  return parts[2] === 'kit' ? undefined : parts[2];
}

function checkImport(rel, spec, lineNo) {
  if (!spec.startsWith('.')) return;
  const from = layerOf(rel);
  if (from === undefined) return;
  const target = relative(root, resolve(root, dirname(rel), spec)).split(sep).join('/');
  if (!target.startsWith('src/')) return;
  const to = layerOf(target);
  if (from < 0) {
    problems.push(`${rel}: src/${rel.split('/')[1]}/ is not one of the layers ${LAYERS.join(' -> ')}`);
    return;
  }
  if (to === undefined) {
    problems.push(`${rel}:${lineNo}: imports ${spec}, an entry file at the root of src/; layers import only from layers`);
  } else if (to < 0) {
    problems.push(`${rel}:${lineNo}: imports ${spec}, outside the layers ${LAYERS.join(' -> ')}`);
  } else if (to > from) {
    problems.push(`${rel}:${lineNo}: ${LAYERS[from]}/ imports ${spec} from ${LAYERS[to]}/, a layer above it (${LAYERS.join(' -> ')})`);
  } else {
    const own = providerFolder(rel);
    const theirs = providerFolder(target);
    if (theirs === undefined || theirs === own) return;
    if (own !== undefined) {
      problems.push(`${rel}:${lineNo}: imports ${spec} from the ${theirs} provider; providers share code only through providers/kit`);
    } else if (rel.startsWith('src/providers/kit/')) {
      problems.push(`${rel}:${lineNo}: the kit imports ${spec} from the ${theirs} provider; the kit knows no provider`);
    }
  }
}

function check(path) {
  const rel = relative(root, path).split(sep).join('/');
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  if (rel.startsWith('src/') && lines.length > MAX_LINES) {
    problems.push(`${rel}: ${lines.length} lines; keep source files under ${MAX_LINES} (one job per file)`);
  }
  lines.forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    if (/(:|<|as)\s*any\b/.test(code) || /\bany\[\]/.test(code)) problems.push(`${rel}:${i + 1}: 'any' is not allowed`);
    if (rel.startsWith('src/') && !rel.startsWith('src/cli/') && /console\.log\(/.test(code)) {
      problems.push(`${rel}:${i + 1}: console.log in library code`);
    }
  });
  if (!rel.startsWith('src/')) return;
  // `from '...'` (imports and re-exports, over several lines too), `import '...'`, `import('...')`.
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  for (const match of text.matchAll(pattern)) {
    const lineNo = text.slice(0, match.index).split('\n').length;
    checkImport(rel, match[1], lineNo);
  }
}

for (const dir of ['src', 'tests', 'bench']) {
  try {
    walk(join(root, dir));
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('lint: ok');
