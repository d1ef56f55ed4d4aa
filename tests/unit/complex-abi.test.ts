/**
 * complex across the boundary (docs/design/abi-values.md): CPython's repr() of complex results, the literals
 * `kiln run` reads, the wire tokens of the harness and the reference runner's JSON. The values themselves are
 * verified against CPython by the corpus (complex_numbers.py: mobius, butterfly, principal_root, butterfly_pair).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { complexRepr, decodeFromHarness, encodeForHarness, fromRefJSON, parsePyLiteral, toRefJSON, type PyValue } from '../../src-compiler/run/values.ts';
import { abiParamType, abiValueType } from '../../src-compiler/lower/abi.ts';
import type { KType } from '../../src-compiler/types/types.ts';

const COMPLEX = { kind: 'complex' } as const;
const root = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const PARTS: [number, number][] = [
  [0, 1], [1, 2], [-0, -0], [0, -0], [NaN, Infinity], [1e20, 1.5], [1e16, -1e-5], [0.1, NaN], [-1, 0], [2.5, -3], [5e-324, -Infinity],
];

describe('complex values', () => {
  it("print as CPython's repr()", async () => {
    const py = PARTS.map(([a, b]) => `complex(${[a, b].map((x) => (Number.isNaN(x) ? "float('nan')" : Number.isFinite(x) ? (Object.is(x, -0) ? '-0.0' : String(x)) : `float('${x > 0 ? '' : '-'}inf')`)).join(', ')})`);
    const { stdout } = await execa('python3', ['-c', `import json; print(json.dumps([repr(z) for z in [${py.join(', ')}]]))`]);
    expect(PARTS.map(([a, b]) => complexRepr(a, b))).toEqual(JSON.parse(stdout));
  });

  it('are read from the literals Python writes', () => {
    expect(parsePyLiteral('1+2j')).toEqual({ kind: 'complex', re: 1, im: 2 });
    expect(parsePyLiteral('-2.5j')).toEqual({ kind: 'complex', re: 0, im: -2.5 });
    expect(parsePyLiteral('(3 - 0.5j)')).toEqual({ kind: 'complex', re: 3, im: -0.5 });
    const z = parsePyLiteral('complex(0.0, -0.0)') as PyValue & { kind: 'complex' };
    expect(Object.is(z.im, -0)).toBe(true);
    expect(parsePyLiteral('complex(1, 2j)')).toEqual({ kind: 'complex', re: -1, im: 0 });
  });

  it('cross the harness and the reference runner bit for bit', () => {
    const v: PyValue = { kind: 'complex', re: -0, im: NaN };
    const back = decodeFromHarness(encodeForHarness(v, COMPLEX), COMPLEX) as PyValue & { kind: 'complex' };
    expect(Object.is(back.re, -0) && Number.isNaN(back.im)).toBe(true);
    expect(fromRefJSON(toRefJSON({ kind: 'complex', re: 1.5, im: -2 }))).toEqual({ kind: 'complex', re: 1.5, im: -2 });
    expect(abiParamType(COMPLEX)).toBe('kiln_complex');
    expect(abiValueType(COMPLEX)).toBe('kiln_complex');
  });

  it('cross inside tuples, part for part (tuple[complex, float]: a kiln_complex field)', () => {
    const t: KType = { kind: 'tuple', items: [COMPLEX, { kind: 'scalar', name: 'float' }] };
    const v: PyValue = { kind: 'tuple', items: [{ kind: 'complex', re: -0, im: Infinity }, { kind: 'float', value: 2.5 }] };
    const back = decodeFromHarness(encodeForHarness(v, t), t) as PyValue & { kind: 'tuple' };
    const z = back.items[0] as PyValue & { kind: 'complex' };
    expect(Object.is(z.re, -0) && z.im === Infinity).toBe(true);
    expect(back.items[1]).toEqual({ kind: 'float', value: 2.5 });
    expect(fromRefJSON(toRefJSON(v))).toEqual(v);
  });

  it('cross in tuples and lists through the Python package and the JS module, as CPython computes them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-complex-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'cplx.py'), [
      'from kiln import compile', '',
      '@compile', 'def spin(zs: list[complex], p: tuple[complex, float]) -> tuple[list[complex], complex]:',
      '    out = [z * p[0] for z in zs]', '    zs.append(complex(p[1], -0.0))', '    return out, p[0] * p[1]', '',
      '@compile', 'def turn(m: list[list[complex]]) -> list[list[complex]]:',
      '    for row in m:', '        for i in range(len(row)):', '            row[i] *= 1j', '    m.append([complex(0.0, -0.0)])', '    return [[z.conjugate() for z in row] for row in m]', '',
      '@compile', 'def scaled(d: dict[str, complex], k: float) -> dict[str, complex]:',
      '    d["sum"] = sum(d.values())', '    return {name: z * k for name, z in d.items()}', '',
    ].join('\n'));
    const exp = await execa('node', [path.join(root, 'bin/kiln.mjs'), 'export', path.join(dir, 'cplx.py'), '--target', 'host,wasm32', '--no-verify', '--no-extension', '--out', path.join(dir, 'out')], { cwd: dir, reject: false });
    expect(exp.exitCode, exp.stderr).toBe(0);
    // The same call in CPython (the module itself) and in the Python package: the result and the list after the call.
    const call = 'zs = [1+2j, complex(0.0, -0.0), complex(float("inf"), 1.0)]; r = m.spin(zs, (2j, 1.5)); print(repr((r, zs)))'
      + '; rows = [[1+2j], [], [complex(-0.0, 3.0), 2j]]; first = rows[0]; t = m.turn(rows); print(repr((t, rows, rows[0] is first)))'
      + '; d = {"a": 1+2j, "b": complex(0.0, -0.0)}; print(repr((m.scaled(d, 2.0), d)))';
    const py = await execa('python3', ['-c', `import sys; sys.path[:0] = [${JSON.stringify(path.join(dir, 'out/python'))}]; import cplx as m; ${call}`]);
    const ref = await execa('python3', ['-c', `import sys, types; sys.modules["kiln"] = types.SimpleNamespace(compile=lambda f: f); sys.path.insert(0, ${JSON.stringify(dir)}); import cplx as m; ${call}`]);
    expect(py.stdout).toBe(ref.stdout);
    // JS: [re, im] pairs, the Array updated in place.
    const js = await execa('node', ['--input-type=module', '-e', [
      `const m = await import(${JSON.stringify(path.join(dir, 'out/js/kiln_cplx.mjs'))}); const lib = await m.instantiate();`,
      'const zs = [[1, 2], [0, -0]]; const r = lib.spin(zs, [[0, 2], 1.5]);',
      'console.log(JSON.stringify([r, zs]), Object.is(zs[2][1], -0));',
      'const rows = [[[1, 2]], []]; const t = lib.turn(rows); console.log(JSON.stringify([t, rows]));',
      'const d = new Map([["a", [1, 2]]]); const s = lib.scaled(d, 2); console.log(JSON.stringify([[...s], [...d]]));',
    ].join('\n')]);
    expect(js.stdout.trim()).toBe('[[[[-4,2],[0,0]],[0,3]],[[1,2],[0,0],[1.5,0]]] true\n[[[[-2,-1]],[],[[0,0]]],[[[-2,1]],[],[[0,0]]]]\n[[["a",[2,4]],["sum",[2,4]]],[["a",[1,2]],["sum",[1,2]]]]');
  });
});
