/**
 * KILN_PASSES switches optimisations off to bisect a miscompile: the C changes, and it is still correct. Each
 * optimisation is switched off on a corpus file whose C it changes, and that file is verified against CPython.
 * A sweep (one build and verification per pass): it runs in `npm run test:long` (LONG_TESTS in vitest.config.ts);
 * how the setting itself is read and refused is passes-off.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { compileModule } from '../../src-compiler/pipeline.ts';
import { verifyModule } from '../../src-compiler/run/verify.ts';
import { pythonWithNumpy } from '../tools.ts';

const root = path.resolve(import.meta.dirname, '../..');
const corpus = (f: string) => path.join(root, 'tests/corpus', f);

const CASES: [string, string[]][] = [
  ['-signs', ['builtins_math.py']],
  ['-fusion', ['numpy_kernels.py']],
  ['-deferral', ['builtins_math.py']],
  ['-unrollRecursion', ['calls.py']],
  ['-tailSum', ['calls.py']],
  ['-whileCounters', ['loops_lanes.py']],
  ['-twoLanes', ['loops_lanes.py']],
  ['-loopVersioning', ['arrays_trunc_index.py']],
  ['-truncIndex', ['arrays_trunc_index.py']],
  ['-pureKeys', ['sort_pure_keys.py']],
  ['-splitLoops', ['strings_text.py']],
  ['-dictUpdates', ['dicts_views.py']],
  ['-appendLoops', ['strings_ciphers.py']],
  ['-borrowedReads', ['classes_geometry.py']],
  ['-borrowedLocals', ['classes_linked.py']],
  ['-borrowedArgs', ['classes_linked.py']],
  ['-directReturns', ['classes_linked.py']],
  ['-all', ['loops_counters.py', 'arrays_trunc_index.py']],
];

describe('with an optimisation switched off, the C differs and still matches CPython', () => {
  const saved = process.env.KILN_PASSES;
  afterEach(() => {
    if (saved === undefined) delete process.env.KILN_PASSES;
    else process.env.KILN_PASSES = saved;
  });
  const python = pythonWithNumpy();
  for (const [passes, files] of CASES) {
    for (const file of files) {
      const needsNumpy = file.startsWith('arrays') || file.startsWith('numpy') || file === 'loops_counters.py';
      const run = needsNumpy && !python ? it.skip : it;
      run(`KILN_PASSES=${passes} ${file}${needsNumpy && !python ? ' (skipped: no Python with numpy on this machine)' : ''}`, async () => {
        delete process.env.KILN_PASSES;
        const all = await compileModule(corpus(file), { python });
        process.env.KILN_PASSES = passes;
        const off = await compileModule(corpus(file), { python });
        expect(off.unit!.source).not.toBe(all.unit!.source);
        const report = await verifyModule(corpus(file), { python, maxCases: 10, compiled: off, caseTimeoutSec: 0.5 });
        for (const f of report.functions) {
          expect(f.compileError, `${file}::${f.name}`).toBeUndefined();
          expect(f.cases.filter((c) => c.status === 'mismatch' || c.status === 'crash'), `${file}::${f.name}`).toEqual([]);
          expect(f.counts.match, `${file}::${f.name}`).toBeGreaterThan(0);
        }
      }, 300_000);
    }
  }
});
