/** Where Kiln's shipped files live. One place, so bundlers and tests can override it. */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';

const here = path.dirname(fileURLToPath(import.meta.url));

export const KILN_ROOT = process.env.KILN_ROOT ?? path.resolve(here, '..');
export const RESOURCES = path.join(KILN_ROOT, 'resources');
export const PYTHON_RESOURCES = path.join(RESOURCES, 'python');
export const C_RUNTIME_DIR = path.join(RESOURCES, 'c');

/** Build cache: artifacts keyed by the hash of (C source, target, flags, toolchain version). */
export function cacheDir(): string {
  if (process.env.KILN_CACHE_DIR) return process.env.KILN_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'kiln');
}
