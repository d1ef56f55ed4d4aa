/**
 * Memory ownership of arrays and lists: the native harness (a C caller of the exported ABI that passes
 * contiguous, reversed and strided views, and frees every result with kiln_free) runs every array and
 * list function of the corpus on its generated inputs, including the ones that raise, under valgrind.
 * Any leak (definite or indirect) or invalid read/write fails the test.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { execaSync, execa } from 'execa';
import { buildUnit, compileModule } from '../../src-compiler/pipeline.ts';
import { harnessLine } from '../../src-compiler/run/call.ts';
import { generateCases, loopSizedParams } from '../../src-compiler/run/inputs.ts';

const corpusDir = path.resolve(import.meta.dirname, '../corpus');

function hasValgrind(): boolean {
  try {
    execaSync('valgrind', ['--version']);
    return true;
  } catch {
    return false;
  }
}

const run = hasValgrind() ? it : it.skip;

describe('arrays and lists do not leak', () => {
  for (const file of ['arrays_lists.py', 'arrays_numpy.py', 'arrays_1d.py', 'arrays_2d.py', 'arrays_loops.py', 'numpy_manipulation.py', 'numpy_reductions_axis.py', 'numpy_select_sort.py']) {
    run(`${file} under valgrind${hasValgrind() ? '' : ' (skipped: valgrind is not installed)'}`, async () => {
      const compiled = await compileModule(path.join(corpusDir, file));
      expect(compiled.functions.filter((f) => f.error)).toEqual([]);
      // An explicit target builds for the baseline CPU: valgrind does not decode AVX-512 (the native CPU may have it).
      const triple = process.arch === 'x64' ? 'x86_64-linux-gnu' : undefined;
      const built = await buildUnit(compiled.unit!, { harness: true }, { optLevel: 'O1', triple });
      const lines: string[] = [];
      for (const fn of compiled.unit!.exports) {
        const entry = compiled.program!.entries.find((e) => e.name === fn.name)!;
        const { cases } = generateCases(fn.params, loopSizedParams(compiled.program!, entry.ir), 16);
        for (const c of cases) lines.push(harnessLine(fn, c));
      }
      const r = await execa('valgrind', ['--leak-check=full', '--show-leak-kinds=definite,indirect', '--errors-for-leak-kinds=definite,indirect', '--error-exitcode=99', built.harness!], {
        input: `${lines.join('\n')}\n`, reject: false, timeout: 600_000,
      });
      const out = r.stdout.split('\n').filter(Boolean);
      expect(out.length, r.stderr.slice(-2000)).toBe(lines.length);
      expect(out.filter((l) => l.startsWith('ok')).length).toBeGreaterThan(lines.length / 2);
      expect(out.some((l) => l.startsWith('err IndexError') || l.startsWith('err ValueError'))).toBe(true);
      expect(r.exitCode, r.stderr.slice(-3000)).toBe(0);
      expect(r.stderr).toMatch(/definitely lost: 0 bytes|All heap blocks were freed/);
    }, 900_000);
  }
});
