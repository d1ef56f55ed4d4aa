/**
 * KILN_PASSES switches optimisations off to bisect a miscompile: the C changes, and it is still correct. Each
 * optimisation is switched off on a corpus file whose C it changes, and that file is verified against CPython.
 */
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { execa, execaSync } from 'execa';
import { compileModule } from '../../src-compiler/pipeline.ts';
import { verifyModule } from '../../src-compiler/run/verify.ts';
import { PASSES, passesFromEnv, type PassName } from '../../src-compiler/opt/index.ts';
import { KilnError } from '../../src-compiler/diagnostics.ts';

const root = path.resolve(import.meta.dirname, '../..');
const corpus = (f: string) => path.join(root, 'tests/corpus', f);

function pythonWithNumpy(): string | undefined {
  for (const py of [process.env.KILN_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean) as string[]) {
    try {
      execaSync(py, ['-c', 'import numpy']);
      return py;
    } catch {
      /* try the next */
    }
  }
  return undefined;
}

describe('KILN_PASSES', () => {
  it('switches optimisations off by name or all at once; the passes that decide behaviour stay on', () => {
    const all = Object.keys(PASSES) as PassName[];
    expect([...passesFromEnv(undefined)]).toEqual(all);
    expect([...passesFromEnv(' -twoLanes, -deferral ')]).toEqual(all.filter((p) => p !== 'twoLanes' && p !== 'deferral'));
    expect([...passesFromEnv('-all')]).toEqual(['definiteAssignment', 'writes', 'tolerance', 'lifetimes', 'listFrees']);
  });

  it('a name that is not a pass, or a pass that cannot be switched off, is an error naming the setting', () => {
    const error = (value: string) => { try { passesFromEnv(value); } catch (e) { return (e as KilnError).diagnostic; } return undefined; };
    expect(error('-nosuch')).toMatchObject({ file: 'KILN_PASSES', message: "'nosuch' is not a pass" });
    expect(error('twoLanes')).toMatchObject({ file: 'KILN_PASSES', message: "'twoLanes' is not -<pass>" });
    expect(error('-writes')?.message).toBe('writes cannot be switched off: it decides behaviour, not speed');
    expect(error('-lifetimes')?.message).toBe('lifetimes cannot be switched off: it decides behaviour, not speed');
    expect(error('-definiteAssignment')?.hint).toMatch(/^write -<pass>.*: valueStructs, borrowedReads, borrowedLocals, signs, fusion, unrollRecursion, tailSum, whileCounters, loopVersioning, twoLanes, truncIndex, deferral, pureKeys, splitLoops, dictUpdates, appendLoops$/);
  });

  it('kiln reports a bad KILN_PASSES without a stack trace', async () => {
    const r = await execa('node', [path.join(root, 'bin/kiln.mjs'), 'run', 'examples/fma.py::fma', '1', '2', '3'], { cwd: root, reject: false, env: { KILN_PASSES: '-lanes' } });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain("KILN_PASSES: error: 'lanes' is not a pass");
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

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
