/** Where Kiln's shipped files live. One place, so bundlers and tests can override it. */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';

/**
 * The checkout or package holding resources/: found from this module's own place, which is
 * src-compiler/ when run from source and dist/cli/ when run from the CLI bundle.
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'resources', 'python'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}

export const KILN_ROOT = process.env.KILN_ROOT ?? findRoot(path.dirname(fileURLToPath(import.meta.url)));
export const RESOURCES = path.join(KILN_ROOT, 'resources');
export const PYTHON_RESOURCES = path.join(RESOURCES, 'python');
export const C_RUNTIME_DIR = path.join(RESOURCES, 'c');

/** Build cache: artifacts keyed by the hash of (C source, target, flags, toolchain version). */
export function cacheDir(): string {
  if (process.env.KILN_CACHE_DIR) return process.env.KILN_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'kiln');
}
