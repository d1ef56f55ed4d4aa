/**
 * Unions across the boundary (types.ts unions, lower/abi.ts): the exported Python package (the abi3 extension and
 * ctypes) returns int, float, bool, tuple or None exactly as CPython does and takes Optional/union arguments; the
 * JS module returns bigint, number, boolean, array or null. Every expected value is computed by CPython here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportModule } from '../../src-compiler/export/export.ts';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = path.join(root, 'tests/export/union_abi.py');
const python = process.env.KILN_PYTHON ?? 'python3';
let out: string;

// Calls as Python literals: (function, arguments).
const CALLS: [string, string][] = [
  ['mean_or_zero', '(3.0, 0)'], ['mean_or_zero', '(3.0, 2)'], ['find', '(10, 49)'], ['find', '(3, 5)'],
  ['shifted', '(None, 3)'], ['shifted', '(4, 3)'], ['shifted', '(True, 1)'], ['pair_or_none', '(6, 12)'], ['pair_or_none', '(3, 17)'],
  ['smaller', '(1, 1.0)'], ['smaller', '(2, 1.5)'], ['smaller', '(3, float("nan"))'], ['flag_or_count', '(-1,)'], ['flag_or_count', '(4,)'],
  ['plus_one', '(None,)'], ['plus_one', '(2.5,)'], ['plus_one', '(2,)'], ['either', '(3, True)'], ['either', '(2.5, True)'], ['either', '(3, False)'],
  ['first_negative', '([1.0, -2.5, 3.0],)'], ['first_negative', '([1.0, 2.0],)'], ['row_sums', '(3,)'], ['row_sums', '(0,)'],
];

/** What CPython (or a module imported the same way) gives for each call: [type name, repr] or [exception type, message]. */
const PY_CALLS = `
import importlib, json, sys
import numpy as np
sys.path.insert(0, sys.argv[1])
mod = importlib.import_module(sys.argv[2])
calls = ${JSON.stringify(CALLS)}
out = []
for name, args in calls:
    try:
        r = getattr(mod, name)(*[np.array(a) if isinstance(a, list) else a for a in eval(args)])
        out.append([type(r).__name__, repr(r)])
    except Exception as e:
        out.append([type(e).__name__, str(e)])
print(json.dumps({"results": out, "backend": getattr(mod, "__kiln_backend__", None)}))
`;

async function pyResults(dir: string, module: string, env: Record<string, string> = {}) {
  const r = await execa(python, ['-c', PY_CALLS, dir, module], { env: { ...process.env, PYTHONPATH: path.join(root, 'resources/python'), ...env } });
  return JSON.parse(r.stdout) as { results: [string, string][]; backend: Record<string, string> | null };
}

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-union-abi-'));
  await exportModule(fixture, { targets: ['linux-x64', 'wasm32'], out, python });
}, 30 * 60_000);

describe('unions across the C ABI', () => {
  it('the header documents the tagged struct and its tags', () => {
    const header = fs.readFileSync(path.join(out, 'union_abi-linux-x64', 'kiln_union_abi.h'), 'utf8');
    expect(header).toContain('typedef struct { uint8_t tag; union { int64_t i; double f; } v; } kiln_union_int_float;');
    expect(header).toContain('#define KILN_TAG_NONE 0');
    expect(header).toContain('#define KILN_TAG_INT 2');
    // (The parameter k is k_py in C: k is one of the names op lowerings declare for their own scratch values.)
    expect(header).toMatch(/int kiln_find\(int64_t n, int64_t k_py, kiln_union_int_n \*out\);/);
    expect(header).toMatch(/tag says which member it holds/);
  });

  it('the exported Python package gives what CPython gives, through the extension and through ctypes', async () => {
    const expected = await pyResults(path.dirname(fixture), 'union_abi');
    const fast = await pyResults(path.join(out, 'python'), 'union_abi');
    const ctypes = await pyResults(path.join(out, 'python'), 'union_abi', { KILN_PYTHON_BACKEND: 'ctypes' });
    expect(fast.results).toEqual(expected.results);
    expect(ctypes.results).toEqual(expected.results);
    expect(fast.backend!.mean_or_zero).toBe('extension'); // a union result is on the fast path
    expect(ctypes.backend!.mean_or_zero).toBe('ctypes');
    // the distinctions that matter: 0 is an int, 1.5 a float, None None, False a bool
    expect(expected.results[0]).toEqual(['int', '0']);
    expect(expected.results[3]).toEqual(['NoneType', 'None']);
    expect(expected.results[12]).toEqual(['bool', 'False']);
    expect(expected.results[22]).toEqual(['list', '[[0, 1.25, 2.5], [0, 2.25, 4.5]]']); // sum() of nothing is the int 0
  });

  it('the JS module returns bigint for an int, number for a float, boolean, array and null, as CPython\'s values', async () => {
    const expected = (await pyResults(path.dirname(fixture), 'union_abi')).results;
    const js = `
const m = await import(${JSON.stringify(path.join(out, 'js', 'kiln_union_abi.mjs'))});
const calls = ${JSON.stringify(CALLS)};
const out = [];
for (const [name, args] of calls) {
  const a = name === 'first_negative' ? [new Float64Array(JSON.parse(args.slice(1, -2)))] : JSON.parse(args.replace(/^\\(|,?\\)$/g, (s) => (s === '(' ? '[' : ']')).replace(/None/g, 'null').replace(/True/g, 'true').replace(/False/g, 'false').replace(/float\\("nan"\\)/g, '"nan"'))
    .map((v, i) => v === 'nan' ? NaN : typeof v === 'number' && Number.isInteger(v) && !/\\./.test(args.split(',')[i] ?? '') ? BigInt(v) : v);
  try {
    const r = m[name](...a);
    out.push([r === null ? 'null' : Array.isArray(r) ? 'array' : typeof r, Array.isArray(r) ? r.map(String).join(',') : String(r)]);
  } catch (e) { out.push([e.name, e.message]); }
}
console.log(JSON.stringify(out));
`;
    const r = await execa('node', ['--input-type=module', '-e', js]);
    const got = JSON.parse(r.stdout) as [string, string][];
    const asJs = ([type, repr]: [string, string]): [string, string] => {
      switch (type) {
        case 'int': return ['bigint', repr];
        case 'float': case 'float64': return ['number', repr === 'nan' ? 'NaN' : String(Number(repr.replace(/^np\.float64\((.*)\)$/, '$1')))];
        case 'bool': return ['boolean', repr === 'True' ? 'true' : 'false'];
        case 'NoneType': return ['null', 'null'];
        case 'tuple': return ['array', repr.replace(/[() ]/g, '')];
        case 'list': return ['array', repr.replace(/[[\] ]/g, '')]; // rows of int | float: their items' values
        default: return [type, repr];
      }
    };
    expect(got).toEqual(expected.map(asJs));
  });
});
