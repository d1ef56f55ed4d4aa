/**
 * Memory of compiled dicts and sets: every reference a function owns (the containers, their str keys and values,
 * the loop states that hold a container) is dropped on every path, normal or error (KeyError, RuntimeError when a
 * loop's container changes size), so the dict and collections corpus run under valgrind leaks nothing and makes no
 * invalid access.
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
const DICT_FILES = fs.readdirSync(corpusDir).filter((f) => /^(dicts|collections)_.*\.py$/.test(f)).sort();

function has(cmd: string, args: string[]): boolean {
  try {
    execaSync(cmd, args);
    return true;
  } catch {
    return false;
  }
}
const valgrind = has('valgrind', ['--version']);

describe('compiled dicts and sets do not leak (valgrind)', () => {
  const run = valgrind ? it : it.skip;
  run(`the dict corpus (${DICT_FILES.length} files) under valgrind${valgrind ? '' : ' (skipped: valgrind is not installed)'}`, async () => {
    let calls = 0;
    const raised = new Set<string>();
    for (const file of DICT_FILES) {
      const compiled = await compileModule(path.join(corpusDir, file));
      expect(compiled.functions.filter((f) => f.error), file).toEqual([]);
      // An explicit target builds for the baseline CPU: valgrind does not decode AVX-512 (the native CPU may have it).
      const triple = process.arch === 'x64' ? 'x86_64-linux-gnu' : undefined;
      const built = await buildUnit(compiled.unit!, { harness: true }, { optLevel: 'O1', triple });
      const lines: string[] = [];
      for (const fn of compiled.unit!.exports) {
        const entry = compiled.program!.entries.find((e) => e.name === fn.name)!;
        // The examples first: they hold the error paths (a missing key, a container changed during its loop).
        const pyFn = compiled.module.functions.find((f) => f.name === fn.name)!;
        const examples = examplesFromDecorator(pyFn.decorator?.options.examples, fn.params).cases;
        const { cases } = generateCases(fn.params, loopSizedParams(compiled.program!, entry.ir), 12, examples);
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
      for (const l of out) if (l.startsWith('err ')) raised.add(l.split(' ')[1]);
    }
    expect(calls).toBeGreaterThan(200);
    // The error paths ran too: a missing key, and a container that changed size under its loop.
    expect([...raised].sort()).toEqual(expect.arrayContaining(['KeyError', 'RuntimeError']));
  }, 1_800_000);
});
