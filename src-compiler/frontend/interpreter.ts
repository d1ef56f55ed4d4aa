/**
 * The real Python behind a command name such as `python3`. Version managers put shims on PATH (pyenv's is a
 * bash script that runs `pyenv exec`): starting Python through one costs about 0.1 s, at every parse and
 * every reference run. So a bare name is resolved once to the interpreter's `sys.executable` and remembered
 * in Kiln's cache, per everything that decides what the name runs: PATH, the file the name finds there, the
 * working folder, and the version files and variables of pyenv, asdf and virtual environments. An entry whose
 * interpreter is gone is resolved again.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheDir } from '../paths.ts';
import { makeFolder } from '../folders.ts';

const CACHE_FILE = 'python-interpreters.json';
const MAX_ENTRIES = 64;
const VERSION_FILES = ['.python-version', '.tool-versions'];
const ENV_KEYS = ['PYENV_VERSION', 'PYENV_ROOT', 'ASDF_PYTHON_VERSION', 'VIRTUAL_ENV', 'CONDA_PREFIX'];

interface CacheEntry { executable: string; at: number }

/** The first file named `name` on PATH that may be executed, as a shell would find it. */
function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch { /* next */ }
  }
  return undefined;
}

const mtime = (p: string) => fs.statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? null;

/** Everything that decides which Python `name` runs from `cwd` (a few stat calls). */
function resolutionKey(name: string, found: string, cwd: string): string {
  const versionFiles: [string, number | null][] = [];
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const f of VERSION_FILES) {
      const p = path.join(dir, f);
      const t = mtime(p);
      if (t !== null) versionFiles.push([p, t]);
    }
    if (path.dirname(dir) === dir) break;
  }
  const pyenvRoot = process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
  const parts = {
    name, found, foundMtime: mtime(found), path: process.env.PATH ?? '', cwd: path.resolve(cwd), versionFiles,
    pyenvGlobal: mtime(path.join(pyenvRoot, 'version')), env: ENV_KEYS.map((k) => process.env[k] ?? ''),
  };
  return crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

function readCache(file: string): Record<string, CacheEntry> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, CacheEntry>;
  } catch {
    return {};
  }
}

function writeCache(file: string, entries: Record<string, CacheEntry>): void {
  const kept = Object.fromEntries(Object.entries(entries).sort((a, b) => b[1].at - a[1].at).slice(0, MAX_ENTRIES));
  try {
    makeFolder(path.dirname(file));
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(kept));
    fs.renameSync(tmp, file); // atomic: two kiln processes never read half a file
  } catch {
    // A cache that cannot be written costs time, never correctness.
  }
}

/**
 * The interpreter to start for `python` (a name or a path) from `cwd`: for a bare name, the `sys.executable`
 * it runs (resolved once, then remembered); a path, or a name Python cannot be started by, is returned as given.
 */
export function resolveInterpreter(python: string, cwd = process.cwd()): string {
  if (python.includes('/') || python.includes(path.sep) || process.env.KILN_PYTHON_RESOLVE === '0') return python;
  const found = onPath(python);
  if (!found) return python; // starting it reports the error the user needs to see
  const file = path.join(cacheDir(), CACHE_FILE);
  const key = resolutionKey(python, found, cwd);
  const entries = readCache(file);
  const hit = entries[key];
  if (hit && fs.existsSync(hit.executable)) return hit.executable;
  let executable: string;
  try {
    executable = execFileSync(found, ['-c', 'import sys; print(sys.executable)'], { cwd, encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return python;
  }
  if (!executable || !path.isAbsolute(executable) || !fs.existsSync(executable)) return python;
  entries[key] = { executable, at: Date.now() };
  writeCache(file, entries);
  return executable;
}
