/**
 * KILN_PASSES switches optimisations off to bisect a miscompile: how the setting is read and refused. That each
 * optimisation switched off still gives CPython's results is the sweep of passes-off-sweep.test.ts (npm run test:long).
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { execa } from 'execa';
import { PASSES, passesFromEnv, type PassName } from '../../src-compiler/opt/index.ts';
import { KilnError } from '../../src-compiler/diagnostics.ts';

const root = path.resolve(import.meta.dirname, '../..');

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
    expect(error('-definiteAssignment')?.hint).toMatch(/^write -<pass>.*: valueStructs, borrowedReads, borrowedLocals, consumedParams, borrowedArgs, signs, fusion, unrollRecursion, tailSum, whileCounters, loopVersioning, twoLanes, truncIndex, deferral, pureKeys, splitLoops, dictUpdates, directReturns, appendLoops$/);
  });

  it('kiln reports a bad KILN_PASSES without a stack trace', async () => {
    const r = await execa('node', [path.join(root, 'bin/kiln.mjs'), 'run', 'examples/fma.py::fma', '1', '2', '3'], { cwd: root, reject: false, env: { KILN_PASSES: '-lanes' } });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain("KILN_PASSES: error: 'lanes' is not a pass");
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
