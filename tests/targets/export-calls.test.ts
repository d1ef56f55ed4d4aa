/**
 * The exported packages' calling convention (tests/targets/fixtures/calls_abi.py): the Python package accepts the
 * positional and keyword arguments the original accepts, fills in its defaults and raises CPython's TypeError for
 * a wrong call (both through the CPython extension and through ctypes); the JS module takes keyword arguments as
 * a last options object, with the same defaults and messages. Lists of lists are in-out and keep the caller's
 * row objects; tuples of arrays and lists come back as tuples (arrays) of NumPy arrays / typed arrays and lists.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportModule, type ExportResult } from '../../src-compiler/export/export.ts';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(root, 'tests/targets/fixtures/calls_abi.py');
const python = process.env.KILN_PYTHON ?? 'python3';

let exported: ExportResult;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-export-calls-'));
  exported = await exportModule(fixture, { targets: ['linux-x64', 'wasm32'], out: dir });
}, 20 * 60_000);

describe('export: keyword arguments, defaults, lists of lists, tuples of arrays', () => {
  it('both targets build and verify against CPython', () => {
    expect(exported.targets.map((t) => [t.target, t.status])).toEqual([['linux-x64', 'verified'], ['wasm32', 'verified']]);
  });

  for (const backend of ['extension', 'ctypes']) {
    it(`the Python package (${backend}) binds calls as CPython does, and keeps the caller's rows`, async () => {
      const r = await execa(python, [path.join(root, 'tests/targets/fixtures/calls_abi_check.py'), exported.pythonPackage!.replace(/\/[^/]+$/, ''), fixture, path.join(root, 'resources/python')],
        { reject: false, env: backend === 'ctypes' ? { KILN_PYTHON_BACKEND: 'ctypes' } : {} });
      expect(r.stderr).toBe('');
      const lines = r.stdout.trim().split('\n');
      expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
      expect(lines.filter((l) => l.startsWith('PASS')).length).toBe(26);
      expect(lines).toContain(`PASS scale () {} ('err', 'TypeError', "scale() missing 1 required positional argument: 'x'") ('err', 'TypeError', "scale() missing 1 required positional argument: 'x'")`);
      const rows = lines.filter((l) => l.startsWith('rows'));
      expect(rows).toEqual([
        'rows original 5 [[1.0], [0.75, -0.25], [0.0, 0.0], [1.0], [0.0]] True True True True True',
        'rows abi 5 [[1.0], [0.75, -0.25], [0.0, 0.0], [1.0], [0.0]] True True True True True',
      ]);
      expect(lines).toContain("aliased rows kiln: the same inner list appears more than once in 'm' (as [[0] * n] * m makes); compiled code copies each row, so writes through one would not show through the others: make the rows distinct ([[0] * n for _ in range(m)])");
      expect(lines).toContain(backend === 'ctypes' ? 'backend ctypes ctypes' : 'backend extension ctypes');
    });
  }

  it('the JS module takes an options object for keywords, with the defaults and Python\'s TypeErrors', async () => {
    const r = await execa('node', [path.join(root, 'tests/targets/fixtures/calls_abi_check.mjs'), exported.jsModule!], { reject: false });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      'scale(3) 6.000000001',
      'scale(3, 4) 12.000000001',
      'scale(3, {shift: 1}) 7.000000001',
      'scale({x: 2, k: 0.5}) 1.000000001',
      'scale(1, 2, 3) TypeError: scale() takes from 1 to 2 positional arguments but 3 were given',
      "scale() TypeError: scale() missing 1 required positional argument: 'x'",
      "scale(1, {d: 1}) TypeError: scale() got an unexpected keyword argument 'd'",
      "scale(1, 2, {k: 3}) TypeError: scale() got multiple values for argument 'k'",
      'clip(15n) "10n"',
      'clip(5, 6, {hi: 7}) "6n"',
      "clip({x: 1}) TypeError: clip() got some positional-only arguments passed as keyword arguments: 'x'",
      'needs_kw(1, {b: 2}) 5',
      "needs_kw(1) TypeError: needs_kw() missing 1 required keyword-only argument: 'b'",
      'needs_kw(1, 2) TypeError: needs_kw() takes 1 positional argument but 2 were given',
      'smallest(5) 4',
      'smallest(5, {pair: [7, 3]}) 9',
      'pascal(4) [["1n"],["1n","1n"],["1n","2n","1n"],["1n","3n","3n","1n"]]',
      'split_signs [{"Float64Array":[1,3]},[-2,-0.5],"5n"]',
      'rows 5 [[1],[0.75,-0.25],[0,0],[1],[0]] true true true true true',
    ]);
  });

  it('the header documents the full parameter list, the defaults and the nested list ABI', () => {
    const t = exported.targets.find((x) => x.target === 'linux-x64')!;
    const header = fs.readFileSync(path.join(t.dir!, 'kiln_calls_abi.h'), 'utf8');
    expect(header).toContain('/* scale(x: float, k: float = 2.0, *, shift: float = 0.0, tol: float = 1e-09) -> float  (calls_abi.py:12)');
    expect(header).toContain('C callers pass every parameter, in this order (keyword-only ones too: shift, tol)');
    expect(header).toContain('int kiln_scale(double x, double k_py, double shift, double tol, double *out);');
    expect(header).toContain('/* clip(x: int, /, lo: int = 0, hi: int = 10) -> int');
    expect(header).toContain('typedef struct { int64_t len; kiln_list_float *data; int64_t *origin; } kiln_list_list_float;');
    expect(header).toContain('int kiln_normalize_rows(kiln_list_list_float *m, int64_t p, int64_t *out);');
    expect(header).toMatch(/origin\[i\] is the index \(on entry\) of the caller's inner list/);
    expect(header).toContain('typedef struct { kiln_array_float64 f0; kiln_list_float f1; int64_t f2; } kiln_abi_tuple_A1float64_Lfloat_int;');
  });
});
