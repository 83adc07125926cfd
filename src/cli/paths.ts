/** Finding the package's own files (bundled cassettes, package.json) from any working directory. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory holding llmux's package.json, found by walking up from this module: it
 * works from src/cli (ts runners) and dist/src/cli alike, whatever the cwd.
 */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readManifest(manifest).name === 'llmux') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`llmux: cannot find the package root above ${fileURLToPath(from)}`);
    dir = parent;
  }
}

function readManifest(path: string): { name?: unknown; version?: unknown } {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return {};
  }
}

export function packageVersion(root: string = packageRoot()): string {
  const version = readManifest(join(root, 'package.json')).version;
  return typeof version === 'string' ? version : '0.0.0';
}

/** Where `llmux demo` finds its cassettes. */
export function demoCassetteDir(root: string = packageRoot()): string {
  return join(root, 'vcr-fixtures', 'demo');
}
