/** The op registry (types/ops/): one flat table built from the domain files, with the facts passes read. */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execaSync } from 'execa';
import { CONSTANTS, DOMAINS, OPS, lookupConstant, lookupOp } from '../../src-compiler/types/ops/index.ts';
import { compileModule } from '../../src-compiler/pipeline.ts';

describe('op registry', () => {
  it('has one entry per target, each from one domain, and every domain is in the docs order', () => {
    expect(new Set(OPS.map((o) => o.target)).size).toBe(OPS.length);
    const names = DOMAINS.map((d) => d.name);
    expect(OPS.filter((o) => !names.includes(o.domain))).toEqual([]);
    for (const d of DOMAINS) expect(OPS.filter((o) => o.domain === d.name).length, d.name).toBe(d.ops.length);
  });

  it("has the float constants of math and NumPy that CPython has, with CPython's values", () => {
    const floats = CONSTANTS.filter((c) => c.type.kind === 'scalar' && c.type.name === 'float');
    const code = `import json, math, numpy\nprint(json.dumps({n: repr(float(getattr(__import__(n.split('.')[0]), n.split('.')[1]))) if hasattr(__import__(n.split('.')[0]), n.split('.')[1]) else None for n in ${JSON.stringify(floats.map((c) => c.target))}}))`;
    const cpython = JSON.parse(execaSync('python3', ['-c', code]).stdout);
    for (const c of floats) {
      expect(cpython[c.target], `${c.target} exists in CPython`).not.toBeNull();
      expect(String(c.value === Infinity ? 'inf' : Number.isNaN(c.value) ? 'nan' : c.value), c.target).toBe(cpython[c.target]);
      expect(c.c, c.target).toBe(cpython[c.target] === 'inf' ? 'INFINITY' : cpython[c.target] === 'nan' ? 'NAN' : cpython[c.target]);
    }
  });

  it("has sys.maxsize with CPython's value (the int64 maximum, on a 64-bit CPython)", () => {
    expect(execaSync('python3', ['-c', 'import sys; print(sys.maxsize)']).stdout).toBe('9223372036854775807');
    expect(lookupConstant('sys.maxsize')).toMatchObject({ type: { kind: 'scalar', name: 'int' }, c: 'INT64_MAX' });
  });

  it('an in-place operator names a plain operator of the table, and keeps the kinds Python updates in place', () => {
    const inplace = OPS.filter((o) => o.facts.inplace);
    expect(inplace.map((o) => o.target).sort()).toEqual(['_operator.iadd', '_operator.iand', '_operator.ifloordiv', '_operator.ilshift', '_operator.imatmul', '_operator.imod', '_operator.imul', '_operator.ior', '_operator.ipow', '_operator.irshift', '_operator.isub', '_operator.itruediv', '_operator.ixor']);
    for (const o of inplace) expect(lookupOp(o.facts.inplace!.plain), o.target).toBeDefined();
    // A Counter (a dict here) updates in place for += -= |= &= (its __iadd__...); a plain dict's += is CPython's TypeError.
    expect(lookupOp('_operator.iadd')!.facts.inplace!.on).toEqual(['array', 'list', 'str', 'dict']);
    // Sets update in place for -= (and |= &= ^=), dicts for |= (their __isub__, __ior__): a caller's container sees it.
    expect(lookupOp('_operator.isub')!.facts.inplace!.on).toEqual(['array', 'set', 'dict']);
    expect(lookupOp('_operator.ior')!.facts.inplace!.on).toEqual(['array', 'set', 'dict']);
    expect(lookupOp('_operator.imod')!.facts.inplace!.on).toEqual(['array']);
  });

  it('a fallible call that declares a check is the value guarded by it (float division, math.sqrt, int())', () => {
    const resolved = (target: string, types: Parameters<NonNullable<ReturnType<typeof lookupOp>>['resolve']>[0]) => {
      const r = lookupOp(target)!.resolve(types, types.map(() => undefined));
      if (typeof r === 'string' || r.lower.kind !== 'call') throw new Error(`${target}: ${JSON.stringify(r)}`);
      return r.lower;
    };
    const f = { kind: 'scalar', name: 'float' } as const;
    expect(resolved('_operator.truediv', [f, f]).check).toMatchObject({ kind: 'zero', arg: 1 });
    expect(resolved('_operator.truediv', [f, f]).check!.value(['a', 'b'])).toBe('a / b');
    expect(resolved('math.sqrt', [f]).check).toMatchObject({ kind: 'negative', arg: 0 });
    expect(resolved('builtins.int', [f]).check).toMatchObject({ kind: 'floatToInt', arg: 0 });
    expect(resolved('_operator.floordiv', [f, f]).check).toBeUndefined();
  });

  it('np.tau is not compiled: NumPy has no tau (CPython raises AttributeError)', async () => {
    expect(lookupConstant('numpy.pi')).toBeDefined();
    expect(lookupConstant('numpy.tau')).toBeUndefined();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-ops-'));
    const file = path.join(dir, 'tau_mod.py');
    fs.writeFileSync(file, 'import numpy as np\nfrom kiln import compile\n\n\n@compile\ndef turn(x: float) -> float:\n    return x * np.tau\n');
    const compiled = await compileModule(file);
    const d = compiled.functions[0].error;
    expect(d?.line).toBe(7);
    expect(d?.message).toBe('numpy.tau is outside the compiled subset');
    expect(d?.hint).toBe('numpy constants: pi, e, inf, nan, newaxis');
  });
});
