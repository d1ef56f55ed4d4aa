/**
 * Arrays and lists through the exported packages: the Python package (ctypes, NumPy arrays passed without
 * a copy, results owned by NumPy and freed by the library) against the original module in Debian's CPython
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
    expect(lines.filter((l) => !l.startsWith('PASS') && !l.startsWith('result flags'))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('PASS')).length).toBe(28);
    // The result array is NumPy's view of the library's buffer (no copy), writable and C-contiguous.
    expect(lines).toContain('result flags False True True _OwnedResult');
    expect(lines).toContain('PASS TypeError: a must be a NumPy array of dtype float64 (its annotation), not int64; convert it with a.astype(np.float64)');
  });
});
