/**
 * Arrays and lists through the exported packages: the Python package (its CPython extension for the array functions
 * it takes, NumPy's C API, built against NumPy 2's headers and run here with Debian's NumPy 1.24; ctypes for the rest
 * and for the arguments the extension leaves to it; NumPy arrays passed without a copy, also as a dict[str, NDArray]
 * parameter's values, results owned by NumPy and freed by the library) against the original module in Debian's CPython
 * with NumPy, and the wasm ES module (typed arrays and {data, shape}) under Node.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportModule, type ExportResult } from '../../src-compiler/export/export.ts';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(root, 'tests/targets/fixtures/arrays_abi.py');
const numpyPython = '/usr/bin/python3';

let exported: ExportResult;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-export-arrays-'));
  exported = await exportModule(fixture, { targets: ['linux-x64', 'wasm32'], out: dir });
}, 20 * 60_000);

describe('export: arrays and lists', () => {
  it('both targets build and verify against CPython/NumPy', () => {
    expect(exported.targets.map((t) => [t.target, t.status])).toEqual([['linux-x64', 'verified'], ['wasm32', 'verified']]);
  });

  it('the Python package passes arrays (views, 2-D, empty) and lists, returns arrays and lists, raises as Python, and frees results', async () => {
    const r = await execa(numpyPython, [path.join(root, 'tests/targets/fixtures/arrays_abi_check.py'), exported.pythonPackage!.replace(/\/[^/]+$/, ''), fixture, path.join(root, 'resources/python')], { reject: false });
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => !l.startsWith('PASS') && !l.startsWith('result flags') && !l.startsWith('extension '))).toEqual([]);
    // The array functions run in the extension (the lists, the dicts and trees of arrays in ctypes); every check above
    // that gives it a list, another dtype, a record array's field or a read-only array for a written parameter is
    // the ctypes function's call, made by the extension with the same arguments.
    expect(lines).toContain('extension clamp_in_place every_other item_at positive_mask row_sums scaled total transposed zero_second');
    expect(lines.filter((l) => l.startsWith('PASS')).length).toBe(67);
    // A read-only array for a parameter the function writes raises NumPy's ValueError (also through a view);
    // one that is only read passes zero-copy; the same list for two list parameters, one written, is refused.
    expect(lines).toContain("PASS read-only array written by clamp_in_place ('err', 'ValueError', 'assignment destination is read-only') ('err', 'ValueError', 'assignment destination is read-only')");
    expect(lines).toContain("PASS read-only array written by zero_second ('err', 'ValueError', 'assignment destination is read-only') ('err', 'ValueError', 'assignment destination is read-only')");
    expect(lines).toContain('PASS read-only array passed zero-copy');
    expect(lines).toContain("PASS TypeError: kiln: the same list object was passed for parameters 'dst' and 'src'; compiled functions take distinct lists (pass a copy: list(xs)) [1, 2, 3]");
    // The result array is NumPy's view of the library's buffer (no copy; a capsule frees it), writable and C-contiguous.
    expect(lines).toContain('result flags False True True PyCapsule');
    expect(lines).toContain('PASS TypeError: a must be a NumPy array of dtype float64 (its annotation), not int64; convert it with a.astype(np.float64)');
    expect(lines.find((l) => l.includes('list to array param refused'))).toMatch(/^PASS .*total\(\) was compiled for a NumPy array at a \(ndarray\[float64, 1d\]\)/);
  });

  it('the wasm ES module takes typed arrays, { data, shape } and plain arrays (also in dicts of arrays and ndim= trees), returns typed arrays, lists and Maps of arrays, and frees everything', async () => {
    const r = await execa('node', [path.join(root, 'tests/targets/fixtures/arrays_abi_check.mjs'), exported.jsModule!], { reject: false });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      'total 3',
      'total plain 6',
      'total empty 0',
      'item_at "7n"',
      'item_at IndexError IndexError: index 3 is out of bounds for axis 0 with size 3',
      'scaled {"Float64Array":[0.5,1,1.5]}',
      'scaled empty {"Float64Array":[]}',
      'every_other {"Int32Array":[1,3,5]}',
      'wrong dtype TypeError: a must hold int32 elements (Int32Array), not a Float64Array',
      'clamp writes back {"Float64Array":[0,2,0]}',
      'clamp writes back into plain { data, shape } [0,2,0]',
      'a plain array is read like a Python list, not written [-1,2,-3]',
      'zero_second through a view 12',
      'zero_second plain data after [5,0,7]',
      'row_sums {data,shape} {"Float64Array":[14,32]}',
      'row_sums nested {"Float64Array":[14,32]}',
      'row_sums empty {"Float64Array":[]}',
      'transposed {"data":{"BigInt64Array":["1n","4n","2n","5n","3n","6n"]},"shape":[3,2]}',
      'ragged TypeError: a is ragged: dimension 1 has lengths 2 and 1',
      'positive_mask {"Uint8Array":[1,0,0,1]}',
      'list_total "-4n"',
      'doubled [1,3,-4]',
      'squares ["0n","1n","4n","9n","16n"]',
      'squares 0 []',
      'overflow OverflowError: xs[1] = 1180591620717411303424 does not fit in 64 bits',
      'list_setitem null ["3n","-1n","2n"]',
      'list_append "4n" ["3n","1n","2n","7n"]',
      'list_pop "3n" ["1n","2n"]',
      'list_pop empty IndexError: pop from empty list []',
      'list_sort null [1,2.5,3]',
      'list mutate then IndexError IndexError: list index out of range ["99n","1n","2n","5n","6n"]',
      'list typed array read only null {"Float64Array":[2,1]}',
      // A dict of arrays: a Map or a plain object in, the function's writes back in the caller's arrays; a Map out; laid-out trees.
      'sgd_dict "2n"',
      'sgd_dict writes back [{"Float64Array":[0,1.5]},[-0.5]]',
      "sgd_dict KeyError KeyError: 'b'",
      'sgd_dict not a dict TypeError: params must be a Map or a plain object (a dict of arrays)',
      'init_dict [true,["w",{"Float64Array":[0.5,1.5,2.5]}],["b",{"Float64Array":[0.5,0.5,0.5]}]]',
      'tree_decay "1n"',
      'tree_decay writes back {"w":{"data":{"Float64Array":[0,1,0.5,1.5]},"shape":[2,2]},"b":{"Float64Array":[0.5,1]}}',
      'tree_blocks {"data":{"Float64Array":[3,4,5]},"shape":[1,3]}',
      "tree_blocks KeyError KeyError: 'ln'",
      'tree_blocks extra key TypeError: tree_blocks() was compiled for blocks[0] with the keys "mlp", "ln" (its ndim= layout), not "x"',
      'no leak 3001200',
    ]);
  }, 300_000);

  it('the .d.mts documents arrays: typed arrays for 1-D, { data, shape } for N-D', () => {
    const dts = fs.readFileSync(exported.jsModule!.replace(/\.mjs$/, '.d.mts'), 'utf8');
    expect(dts).toContain('init_dict(n: bigint | number, scale: number): Map<string, Float64Array>;');
    expect(dts).toContain('export interface NDArray<D> { data: D; shape: number[] }');
    expect(dts).toContain('scaled(a: Float64Array | ArrayLike<number>, k: number): Float64Array;');
    expect(dts).toContain('transposed(a: NDArrayInput<BigInt64Array, bigint | number>): NDArray<BigInt64Array>;');
    expect(dts).toContain('squares(n: bigint | number): bigint[];');
  });
});
