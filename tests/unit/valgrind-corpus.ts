/**
 * The one valgrind harness of the memory tests: compile a corpus file, build its native harness for the baseline CPU,
 * call every exported function on its generated cases (and its `examples=`, which hold the error paths) through the
 * C ABI, and assert that valgrind saw no leak (definite or indirect) and no invalid access. The feature tests
 * (tests/unit/*_memory.test.ts, bigint_twins.test.ts) say which files, how many cases, and what must have been raised.
 */
import { expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa, execaSync } from 'execa';
import { buildUnit, compileModule, type CompiledModule } from '../../src-compiler/pipeline.ts';
import type { CUnit } from '../../src-compiler/lower/abi.ts';
import { compileC, hostToolchain } from '../../src-compiler/targets/toolchain.ts';
import { C_RUNTIME_DIR } from '../../src-compiler/paths.ts';
import { harnessLine } from '../../src-compiler/run/call.ts';
import { examplesFromDecorator, generateCases, loopSizedParams } from '../../src-compiler/run/inputs.ts';
import { noLtoFlags } from '../tools.ts';

export const corpusDir = path.resolve(import.meta.dirname, '../corpus');

function has(cmd: string, args: string[]): boolean {
  try {
    execaSync(cmd, args);
    return true;
  } catch {
    return false;
  }
}

/** Whether valgrind is installed; `it` or `it.skip` for a test that needs it, and the reason shown when skipped. */
export const hasValgrind = has('valgrind', ['--version']);
export const withValgrind = hasValgrind ? it : it.skip;
export const skipNote = hasValgrind ? '' : ' (skipped: valgrind is not installed)';

/** An explicit target builds for the baseline CPU: valgrind does not decode AVX-512 (the native CPU may have it). */
export const baselineTriple = process.arch === 'x64' ? 'x86_64-linux-gnu' : undefined;

/**
 * Builds a C driver that includes a unit's generated C (written beside it, `#include "<unit.sourceName>"` in `body`)
 * for the baseline CPU and runs it: under valgrind's memcheck where installed (then no error and every block freed),
 * else natively. Its stdout and stderr are the test's to read.
 */
export async function runUnitDriver(unit: CUnit, body: string, timeout: number): Promise<{ stdout: string; stderr: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-driver-'));
  fs.writeFileSync(path.join(dir, unit.sourceName), unit.source);
  fs.writeFileSync(path.join(dir, unit.headerName), unit.header);
  const src = path.join(dir, 'driver.c');
  fs.writeFileSync(src, body);
  const exe = path.join(dir, 'driver');
  const r = await compileC({ toolchain: await hostToolchain(), sources: [src], output: exe, kind: 'exe', triple: baselineTriple, optLevel: 'O1', includeDirs: [dir, C_RUNTIME_DIR], extraFlags: ['-g', ...noLtoFlags(baselineTriple)] });
  expect(r.ok, r.log).toBe(true);
  const ran = hasValgrind
    ? await execa('valgrind', ['--leak-check=full', '--show-leak-kinds=all', '--errors-for-leak-kinds=all', '--error-exitcode=99', exe], { reject: false, timeout })
    : await execa(exe, [], { reject: false });
  fs.rmSync(dir, { recursive: true, force: true });
  if (hasValgrind) {
    expect(ran.exitCode, ran.stderr.slice(-3000)).toBe(0);
    expect(ran.stderr).toMatch(/All heap blocks were freed/);
  }
  return { stdout: ran.stdout, stderr: ran.stderr };
}

export interface ValgrindOptions {
  /** Generated cases per function. */
  cases: number;
  /** Whether the decorator's `examples=` come first (default true). */
  examples?: boolean;
  /** Extra harness lines after the generated ones (e.g. invalid UTF-8 for a str parameter). */
  extraLines?: (compiled: CompiledModule) => string[];
}

export interface ValgrindRun {
  compiled: CompiledModule;
  /** The harness lines sent, and the result line of each (`ok ...` or `err <Kind> ...`). */
  lines: string[];
  out: string[];
}

/** Runs one corpus file (a name in tests/corpus or an absolute path) under valgrind and asserts it is clean. */
export async function runUnderValgrind(file: string, opts: ValgrindOptions): Promise<ValgrindRun> {
  const compiled = await compileModule(path.isAbsolute(file) ? file : path.join(corpusDir, file));
  expect(compiled.functions.filter((f) => f.error), file).toEqual([]);
  // Without the runtime's free lists: a block used after it was freed, or never freed, is seen by valgrind.
  const built = await buildUnit(compiled.unit!, { harness: true }, { optLevel: 'O1', triple: baselineTriple, harnessFlags: ['-DKR_NO_FREE_LISTS', ...noLtoFlags(baselineTriple)] });
  const lines: string[] = [];
  for (const fn of compiled.unit!.exports) {
    const entry = compiled.program!.entries.find((e) => e.name === fn.name)!;
    const pyFn = compiled.module.functions.find((f) => f.name === fn.name)!;
    const examples = opts.examples === false ? [] : examplesFromDecorator(pyFn.decorator?.options.examples, fn.params).cases;
    const { cases } = generateCases(fn.params, loopSizedParams(compiled.program!, entry.ir), opts.cases, examples);
    for (const c of cases) lines.push(harnessLine(fn, c));
  }
  lines.push(...(opts.extraLines?.(compiled) ?? []));
  const r = await execa('valgrind', ['--leak-check=full', '--show-leak-kinds=definite,indirect', '--errors-for-leak-kinds=definite,indirect', '--error-exitcode=99', built.harness!], {
    input: `${lines.join('\n')}\n`, reject: false, timeout: 900_000,
  });
  const out = r.stdout.split('\n').filter(Boolean);
  expect(out.length, `${file}: ${r.stderr.slice(-2000)}`).toBe(lines.length);
  expect(r.exitCode, `${file}: ${r.stderr.slice(-3000)}`).toBe(0);
  expect(r.stderr, file).toMatch(/definitely lost: 0 bytes|All heap blocks were freed/);
  expect(r.stderr, file).toMatch(/ERROR SUMMARY: 0 errors/);
  return { compiled, lines, out };
}

export interface CorpusSummary { calls: number; raisedCalls: number; raised: Set<string>; runs: ValgrindRun[] }

/** Runs every file under valgrind; returns the number of calls, of calls that raised, and the kinds raised. */
export async function valgrindCorpus(files: string[], opts: ValgrindOptions): Promise<CorpusSummary> {
  let calls = 0, raisedCalls = 0;
  const raised = new Set<string>();
  const runs: ValgrindRun[] = [];
  for (const file of files) {
    const run = await runUnderValgrind(file, opts);
    runs.push(run);
    calls += run.out.length;
    for (const l of run.out) {
      if (!l.startsWith('err ')) continue;
      raisedCalls++;
      raised.add(l.split(' ')[1]);
    }
  }
  return { calls, raisedCalls, raised, runs };
}
