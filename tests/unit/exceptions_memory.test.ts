/**
 * Memory of try/except/finally (lower/c_exceptions.ts): an error that jumps from a try body to an except clause leaves
 * the body's values in the function's slots, released by their next definition or the function's exit; a finally
 * clause that keeps an exception in flight frees its copy of the message. The exception corpus run under valgrind
 * leaks nothing and makes no invalid access, through every handler its examples reach.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { execa, execaSync } from 'execa';
import { buildUnit, compileModule } from '../../src-compiler/pipeline.ts';
import { harnessLine } from '../../src-compiler/run/call.ts';
import { examplesFromDecorator, generateCases, loopSizedParams } from '../../src-compiler/run/inputs.ts';

const root = path.resolve(import.meta.dirname, '../..');
const corpusDir = path.join(root, 'tests/corpus');
const FILES = fs.readdirSync(corpusDir).filter((f) => /^(exceptions_|match_).*\.py$/.test(f)).sort();

function has(cmd: string, args: string[]): boolean {
  try {
    execaSync(cmd, args);
    return true;
  } catch {
    return false;
  }
}
const valgrind = has('valgrind', ['--version']);

describe('try/except/finally do not leak (valgrind)', () => {
  const run = valgrind ? it : it.skip;
  run(`the exception corpus (${FILES.join(', ')}) under valgrind${valgrind ? '' : ' (skipped: valgrind is not installed)'}`, async () => {
    let calls = 0;
    for (const file of FILES) {
      const compiled = await compileModule(path.join(corpusDir, file));
      expect(compiled.functions.filter((f) => f.error), file).toEqual([]);
      // An explicit target builds for the baseline CPU: valgrind does not decode AVX-512 (the native CPU may have it).
      const triple = process.arch === 'x64' ? 'x86_64-linux-gnu' : undefined;
      const built = await buildUnit(compiled.unit!, { harness: true }, { optLevel: 'O1', triple });
      const lines: string[] = [];
      for (const fn of compiled.unit!.exports) {
        const entry = compiled.program!.entries.find((e) => e.name === fn.name)!;
        const pyFn = compiled.module.functions.find((f) => f.name === fn.name)!;
        const examples = examplesFromDecorator(pyFn.decorator?.options.examples, fn.params).cases;
        const { cases } = generateCases(fn.params, loopSizedParams(compiled.program!, entry.ir), 5, examples);
        for (const c of cases) lines.push(harnessLine(fn, c));
      }
      const r = await execa('valgrind', ['--leak-check=full', '--show-leak-kinds=definite,indirect', '--errors-for-leak-kinds=definite,indirect', '--error-exitcode=99', built.harness!], {
        input: `${lines.join('\n')}\n`, reject: false, timeout: 900_000,
      });
      const out = r.stdout.split('\n').filter(Boolean);
      expect(out.length, `${file}: ${r.stderr.slice(-2000)}`).toBe(lines.length);
      expect(r.exitCode, `${file}: ${r.stderr.slice(-3000)}`).toBe(0);
      expect(r.stderr, file).toMatch(/definitely lost: 0 bytes|All heap blocks were freed/);
      expect(r.stderr, file).toMatch(/ERROR SUMMARY: 0 errors/);
      calls += out.length;
    }
    expect(calls).toBeGreaterThan(100);
  }, 1_800_000);
});
