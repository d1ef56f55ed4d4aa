/**
 * complex across the boundary (docs/design/abi-values.md): CPython's repr() of complex results, the literals
 * `kiln run` reads, the wire tokens of the harness and the reference runner's JSON. The values themselves are
 * verified against CPython by the corpus (complex_numbers.py: mobius, butterfly, principal_root, butterfly_pair).
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { complexRepr, decodeFromHarness, encodeForHarness, fromRefJSON, parsePyLiteral, toRefJSON, type PyValue } from '../../src-compiler/run/values.ts';
import { abiParamType, abiValueType } from '../../src-compiler/lower/abi.ts';
import type { KType } from '../../src-compiler/types/types.ts';

const COMPLEX = { kind: 'complex' } as const;
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
});
