/** The bridge to Python: runs Kiln's helper scripts (stdlib only) with the chosen interpreter and reads JSON. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir, PYTHON_RESOURCES } from '../paths.ts';
import { makeFolder } from '../folders.ts';
import { KilnError } from '../diagnostics.ts';
import { resolveInterpreter } from './interpreter.ts';
import { runProcess } from '../process.ts';
import type { PyModule, DiscoverResult } from './ast.ts';
import { generatorFrames } from '../ir/generator_frames.ts';

export function pythonInterpreter(explicit?: string): string {
  return explicit ?? process.env.KILN_PYTHON ?? 'python3';
}

export interface RunPythonOptions {
  python?: string;
  input?: string;
  timeoutMs?: number;
  cwd?: string;
  signal?: AbortSignal;
  /** A script that needs only the standard library: Python starts without `site` (-S), 20 ms sooner. */
  stdlibOnly?: boolean;
  /** PYTHONHASHSEED for the run (the iteration order of a set of str depends on it). */
  hashSeed?: string;
}

export async function runPythonScript(script: string, args: string[], opts: RunPythonOptions = {}) {
  const python = pythonInterpreter(opts.python);
  const r = await runProcess(resolveInterpreter(python, opts.cwd), [...(opts.stdlibOnly ? ['-S'] : []), path.join(PYTHON_RESOURCES, script), ...args], {
    input: opts.input,
    timeoutMs: opts.timeoutMs ?? 60_000,
    cwd: opts.cwd,
    signal: opts.signal,
    env: { PYTHONPATH: PYTHON_RESOURCES, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8', ...(opts.hashSeed !== undefined ? { PYTHONHASHSEED: opts.hashSeed } : {}) },
  });
  if (r.code) {
    throw new KilnError({
      severity: 'error', file: python, line: 0, col: 0, construct: 'Python interpreter',
      message: `cannot run the Python interpreter '${python}': ${r.code === 'ENOENT' ? 'not found' : r.code === 'EACCES' ? 'not executable (permission denied)' : r.message}`,
      hint: 'install Python 3.9+ or set KILN_PYTHON / --python to an interpreter',
    });
  }
  return r;
}

/** How long the frontend may take to read a module (or discover a tree) before it is stopped. */
const FRONTEND_TIMEOUT_MS = 60_000;

async function runFrontend(args: string[], python?: string): Promise<unknown> {
  const r = await runPythonScript('kiln_frontend.py', args, { python, stdlibOnly: true, timeoutMs: FRONTEND_TIMEOUT_MS });
  const fail = (why: string) => new KilnError({ severity: 'error', file: args[1] ?? '', line: 0, col: 0, construct: 'Python frontend', message: `the Python frontend failed: ${why}` });
  // A frontend killed part-way (a timeout on a loaded machine, a signal) leaves no answer or half of one: say which.
  if (r.timedOut) throw fail(`it did not answer within ${FRONTEND_TIMEOUT_MS / 1000} s (a loaded machine?); nothing was read`);
  if (r.failed && !r.stdout) throw fail((r.stderr || r.message).trim().split('\n').pop() ?? 'no output');
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw fail(`its answer was cut short (${r.stdout.length} bytes${r.signal ? `, killed by ${r.signal}` : ''}${r.stderr ? `: ${r.stderr.trim().split('\n').pop()}` : ''})`);
  }
}

export async function discoverPaths(paths: string[], python?: string): Promise<DiscoverResult> {
  return (await runFrontend(['discover', ...paths], python)) as DiscoverResult;
}

type ParseOutput = { module?: PyModule; error?: { file: string; line: number; col: number; message: string } };

/**
 * Where the front end's answer for this file is kept: a hash of everything it depends on (the file's path
 * and bytes, the interpreter that parses it, the front end script). A parse takes a Python start (about
 * 40 ms); an unchanged file (`kiln run` again, `kiln trace` after `kiln run`) needs none. Undefined when the
 * file cannot be read (the front end then reports why).
 */
function parseCacheFile(file: string, python?: string): string | undefined {
  try {
    const interpreter = resolveInterpreter(pythonInterpreter(python));
    const h = crypto.createHash('sha256');
    for (const part of [file, interpreter, String(fs.statSync(interpreter, { throwIfNoEntry: false })?.mtimeMs ?? ''), fs.readFileSync(path.join(PYTHON_RESOURCES, 'kiln_frontend.py'))]) h.update(part).update('\0');
    h.update(fs.readFileSync(file));
    return path.join(cacheDir(), 'parsed', `${h.digest('hex').slice(0, 32)}.json`);
  } catch {
    return undefined;
  }
}

function readCached(cached: string | undefined): ParseOutput | undefined {
  try {
    if (cached) return JSON.parse(fs.readFileSync(cached, 'utf8')) as ParseOutput;
  } catch { /* not parsed before */ }
  return undefined;
}

function writeCached(cached: string | undefined, out: ParseOutput) {
  if (!cached) return;
  try {
    makeFolder(path.dirname(cached));
    const tmp = `${cached}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(out));
    fs.renameSync(tmp, cached); // atomic: another kiln never reads half of it
  } catch { /* a cache that cannot be written costs time, never correctness */ }
}

function parsed(out: ParseOutput): PyModule {
  if (out.error) {
    throw new KilnError({
      severity: 'error', file: out.error.file, line: out.error.line, col: out.error.col,
      construct: 'syntax', message: out.error.message,
    });
  }
  return generatorFrames(out.module!);
}

/** Parses one module (its AST as JSON). Throws a KilnError tied to file:line when it does not parse. */
export async function parseModule(file: string, python?: string): Promise<PyModule> {
  const cached = parseCacheFile(file, python);
  let out = readCached(cached);
  if (!out) {
    out = (await runFrontend(['parse', file], python)) as ParseOutput;
    writeCached(cached, out);
  }
  return parsed(out);
}

/**
 * Parses several modules (a project's): the cached ones are read back, the others parsed by ONE Python run.
 * Each entry is the module, or the KilnError saying where it does not parse.
 */
export async function parseModules(files: string[], python?: string): Promise<(PyModule | KilnError)[]> {
  const keys = files.map((f) => parseCacheFile(f, python));
  const outs = keys.map(readCached);
  const missing = files.filter((_, i) => !outs[i]);
  if (missing.length) {
    const r = (await runFrontend(['parse-many', ...missing], python)) as { results: ParseOutput[] };
    let k = 0;
    outs.forEach((o, i) => {
      if (o) return;
      outs[i] = r.results[k++];
      writeCached(keys[i], outs[i]!);
    });
  }
  return outs.map((o) => {
    try {
      return parsed(o!);
    } catch (e) {
      if (e instanceof KilnError) return e;
      throw e;
    }
  });
}
