/**
 * Verification treats array arguments as in-out, like lists: the native harness prints each array argument
 * after the call, the CPython reference reports NumPy's array after the call, and a difference is a mismatch.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildUnit, compileModule, runHarness, type CompiledModule } from '../../src-compiler/pipeline.ts';
import { harnessLine, parseHarnessLine } from '../../src-compiler/run/call.ts';
import { compareOutcome, runReference, verifyModule } from '../../src-compiler/run/verify.ts';
import { literalToArray, py, pyRepr, type PyValue } from '../../src-compiler/run/values.ts';
import { pythonWithNumpy } from '../tools.ts';

const file = path.resolve(import.meta.dirname, '../corpus/arrays_inout.py');

const python = pythonWithNumpy();

let compiled: CompiledModule;
let harness: string;
beforeAll(async () => {
  if (!python) return;
  compiled = await compileModule(file, { python });
  harness = (await buildUnit(compiled.unit!, { harness: true })).harness!;
}, 120_000);

const arr = (dtype: 'float64' | 'int64', values: number[], layout?: 'c' | 'reversed' | 'strided') =>
  ({ ...literalToArray({ kind: 'list', items: values.map((v) => (dtype === 'float64' ? py.float(v) : py.int(v))) }, dtype, 1, 'a'), ...(layout ? { layout } : {}) });

async function both(fnName: string, args: PyValue[]) {
  const fn = compiled.unit!.exports.find((e) => e.name === fnName)!;
  const [ref] = await runReference(file, fnName, [args], { python });
  const run = await runHarness(harness, harnessLine(fn, args) + '\n');
  return { fn, ref, nat: parseHarnessLine(fn, run.stdout.split('\n')[0]) };
}

describe.skipIf(!python)('verify: array arguments after the call', () => {
  it('the harness and the CPython reference both report the array as the call left it (strided and reversed views too)', async () => {
    for (const layout of ['c', 'strided', 'reversed'] as const) {
      const { ref, nat } = await both('zero_every_other', [arr('int64', [1, 2, 3, 4, 5], layout)]);
      expect(nat.ok).toBe(true);
      expect(nat.ok && nat.after?.[0] && pyRepr(nat.after[0])).toBe('array([0, 2, 0, 4, 0], dtype=int64)');
      expect('after' in ref && ref.after?.[0]).toEqual({ ndarray: 'int64', shape: [5], v: ['0', '2', '0', '4', '0'] });
    }
  });

  it('also when the call raised (a write before an IndexError stays)', async () => {
    const { ref, nat } = await both('write_then_raise', [arr('int64', [1, 2, 3]), py.int(9)]);
    expect(!nat.ok && 'error' in nat && nat.error.type).toBe('IndexError');
    expect(!nat.ok && 'after' in nat && nat.after?.[0] && pyRepr(nat.after[0])).toBe('array([7, 2, 3], dtype=int64)');
    expect('after' in ref && ref.after?.[0]).toEqual({ ndarray: 'int64', shape: [3], v: ['7', '2', '3'] });
  });

  it('a native array that ends differently from NumPy\'s is a mismatch, dtype-aware (-0.0 is not 0.0)', async () => {
    const { fn, ref, nat } = await both('scale_in_place', [arr('float64', [1, -2, 0]), py.float(-0.0)]);
    const names = fn.params.map((p) => p.name);
    expect(compareOutcome(ref, nat, names)).toEqual({ status: 'match' });
    if (!nat.ok || !nat.after?.[0] || nat.after[0].kind !== 'array') throw new Error('no array after the call');
    const flipped: PyValue = { ...nat.after[0], values: nat.after[0].values.map((x) => (Object.is(x, -0) ? 0 : x)) };
    expect(compareOutcome(ref, { ...nat, after: [flipped, undefined] }, names)).toEqual({
      status: 'mismatch', note: 'argument a after the call: CPython array([-0.0, 0.0, -0.0], dtype=float64), native array([0.0, 0.0, 0.0], dtype=float64)',
    });
    const asInt: PyValue = { kind: 'array', dtype: 'int64', shape: [3], values: [0n, 0n, 0n] };
    expect(compareOutcome(ref, { ...nat, after: [asInt, undefined] }, names).status).toBe('mismatch');
  });

  it('kiln verify of the in-out corpus file compares every array argument after the call and matches', async () => {
    const report = await verifyModule(file, { python, compiled, harness, maxCases: 24 });
    expect(report.functions.map((f) => [f.name, f.ok])).toEqual(report.functions.map((f) => [f.name, true]));
    expect(report.functions.length).toBeGreaterThanOrEqual(8);
  });
});
