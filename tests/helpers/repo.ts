/** Where the repository and the shared corpus are, whether a test runs from tests/ or dist/tests/. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  for (let i = 0; i < 8; i++) {
    if (existsSync(resolve(dir, 'package.json'))) return dir;
    dir = resolve(dir, '..');
  }
  throw new Error(`no package.json above ${start}`);
}

export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** The shared corpus beside the checkout (see its README). */
export const CORPUS = resolve(REPO_ROOT, '../shared/corpus');

/** A corpus file's non-blank lines: one recorded event payload each. */
export function corpusLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0);
}

/** The files of a corpus folder whose names end with `suffix`, sorted; none when the folder is absent. */
export function corpusFiles(dir: string, suffix = '.chunks.txt'): string[] {
  const full = resolve(CORPUS, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => resolve(full, name));
}
