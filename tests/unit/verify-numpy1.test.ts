/**
 * Kiln follows NumPy 2. With Debian 12's /usr/bin/python3 (NumPy 1.24, installed by .ci/run), the CPython
 * reference asks NumPy 1.x for NumPy 2's promotion of Python scalars (NEP 50), so `a[0] = 300` on a uint8 array
 * raises OverflowError there too, and NumPy 2's IndexError for an out-of-bounds index with an empty result (`wte[ids]` of a
 * (2, 0) table, which NumPy 1.x only warns of); the report says which NumPy the reference had.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatVerifyReport, verifyModule } from '../../src-compiler/run/verify.ts';

const source = `import numpy as np
import numpy.typing as npt
from kiln import compile


@compile(examples=[(300,), (-1,), (7,)])
def store_u8(v: int) -> int:
    a = np.zeros(3, dtype=np.uint8)
    a[0] = v
    b = a + v
    return int(b[0])


@compile(ndim={"wte": 2, "wpe": 2}, examples=[([5, 1], [[], []], [[1.0, 1.0], [1.0, 1.0]])])
def embed(ids: npt.NDArray[np.int64], wte: npt.NDArray[np.float64], wpe: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return wte[ids] + wpe[range(len(ids))]
`;

describe('verify against NumPy 1.x', () => {
  it('uses NumPy 2 promotion in the reference and says which NumPy it had', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-np1-'));
    const file = path.join(dir, 'np1_mod.py');
    fs.writeFileSync(file, source);
    const report = await verifyModule(file, { python: '/usr/bin/python3', maxCases: 6 });
    const f = report.functions[0];
    expect(f.cases.filter((c) => c.status === 'mismatch')).toEqual([]);
    expect(f.cases.find((c) => c.args[0] === '300')?.python).toBe('OverflowError: Python integer 300 out of bounds for uint8');
    expect(f.referenceNumpy).toMatch(/^\d+\./);
    // An out-of-bounds index whose result is empty (a (2, 0) table): NumPy 2's IndexError, which NumPy 1.x only warns of.
    const embed = report.functions.find((x) => x.name.startsWith('embed'))!;
    expect(embed.cases.filter((c) => c.status === 'mismatch')).toEqual([]);
    expect(embed.cases[0].python).toBe('IndexError: index 5 is out of bounds for axis 0 with size 2');
    const text = formatVerifyReport(report);
    if (f.referenceNumpy!.startsWith('1.')) expect(text).toContain(`note: CPython here has NumPy ${f.referenceNumpy}. Kiln follows NumPy 2`);
    else expect(text).not.toContain('note: CPython here has NumPy');
  }, 120_000);
});
