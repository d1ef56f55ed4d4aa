/**
 * opt/fusion.ts: chains of element-wise NumPy operations compute their array in one loop. What folds (temporaries
 * of one expression) and what does not (a named array, an operation whose scalar conversion can raise), and that the
 * fused loop gives every element's bits and every error message as the separate loops do.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fusion } from '../../src-compiler/opt/fusion.ts';
import { compileModule } from '../../src-compiler/pipeline.ts';
import { verifyModule } from '../../src-compiler/run/verify.ts';
import { PRELUDE, fn, typedProgram } from './opt-helpers.ts';

const SOURCE = `${PRELUDE}
@compile
def wave(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.sqrt(x * x + y * y) * 0.5 + np.sin(x) * np.cos(y)


@compile
def named(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    e = np.exp(x - 1.0)
    return e / 2.0 + e


@compile
def left(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return (x + y) * z


@compile
def right(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return x * (y - z)


@compile
def mixed(x: npt.NDArray[np.float32], k: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    return np.tanh(x * 2.0) + k * 3


@compile
def ints(a: npt.NDArray[np.int32], n: int) -> npt.NDArray[np.int32]:
    return (a + n) * 2
`;

describe('fusion', () => {
  it('folds the temporaries of one expression into its last operation, not a named array', async () => {
    const p = await typedProgram(SOURCE);
    const wave = fusion(fn(p, 'wave'));
    expect(Object.keys(wave.roots)).toHaveLength(1);
    expect(wave.folded).toHaveLength(8);
    const named = fusion(fn(p, 'named'));
    // e is a variable: np.exp(x - 1.0) is one loop, e / 2.0 + e another.
    expect(Object.keys(named.roots)).toHaveLength(2);
    expect(named.folded).toHaveLength(2);
    // a + n converts the Python int to int32 before the loop (it can raise OverflowError): not folded.
    expect(fusion(fn(p, 'ints')).folded).toEqual([]);
  });

  describe('gives the bits and the errors of the separate loops', () => {
    const saved = process.env.KILN_PASSES;
    afterEach(() => {
      if (saved === undefined) delete process.env.KILN_PASSES;
      else process.env.KILN_PASSES = saved;
    });
    it('on every generated case, natively, and matches CPython', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-fusion-'));
      const file = path.join(dir, 'fusion_mod.py');
      fs.writeFileSync(file, SOURCE);
      delete process.env.KILN_PASSES;
      const fused = await compileModule(file);
      process.env.KILN_PASSES = '-fusion';
      const separate = await compileModule(file);
      expect(fused.unit!.source).not.toBe(separate.unit!.source);
      const a = await verifyModule(file, { compiled: fused, maxCases: 40 });
      const b = await verifyModule(file, { compiled: separate, maxCases: 40 });
      expect(a.ok, JSON.stringify(a.functions.flatMap((f) => f.cases.filter((c) => c.status !== 'match')).slice(0, 3))).toBe(true);
      for (const [i, f] of a.functions.entries()) {
        expect(f.cases.map((c) => c.native), f.name).toEqual(b.functions[i].cases.map((c) => c.native));
      }
      // Shapes that do not broadcast raise in the order of NumPy's operations, with its message.
      const errors = a.functions.flatMap((f) => f.cases.filter((c) => c.native.startsWith('ValueError')).map((c) => [c.native, c.python]));
      expect(errors.length).toBeGreaterThan(0);
      for (const [native, python] of errors) expect(native).toBe(python);
    }, 300_000);
  });
});
