/**
 * lower/abi.ts: the one table of exception kinds is the C runtime's (kiln_runtime.h's enum and names, in
 * order), with CPython's base classes; exported symbols never collide with the library's own functions.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execa, execaSync } from 'execa';
import { EXCEPTION_KINDS, abiPrototype, errorKindC, exceptionMessage, exportSymbol, pyStringRepr } from '../../src-compiler/lower/abi.ts';
import { C_RUNTIME_DIR } from '../../src-compiler/paths.ts';
import { T } from '../../src-compiler/types/types.ts';

const root = path.resolve(import.meta.dirname, '../..');
const header = fs.readFileSync(path.join(C_RUNTIME_DIR, 'kiln_runtime.h'), 'utf8');

/** Where a runtime header's `enum kr_error_kind` and `kr_error_names` differ from EXCEPTION_KINDS. */
function tableProblems(text: string): string[] {
  const problems: string[] = [];
  const enumBody = /enum kr_error_kind \{([^}]*)\}/.exec(text)?.[1];
  const namesBody = /kr_error_names\[\] = \{([^}]*)\}/.exec(text)?.[1];
  if (!enumBody || !namesBody) return ['no enum kr_error_kind or kr_error_names'];
  const entries = [...enumBody.matchAll(/KILN_(\w+)\s*=\s*(\d+)/g)].map((m) => ({ name: m[1], code: Number(m[2]) }));
  const names = [...namesBody.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  const expected = [{ name: 'OK', code: 0 }, ...EXCEPTION_KINDS.map((k, i) => ({ name: k.name, code: i + 1 }))];
  if (JSON.stringify(entries) !== JSON.stringify(expected)) problems.push(`enum: ${entries.map((e) => `${e.name}=${e.code}`).join(' ')}`);
  if (JSON.stringify(names) !== JSON.stringify(['', ...EXCEPTION_KINDS.map((k) => k.name)])) problems.push(`names: ${names.join(' ')}`);
  return problems;
}

describe('exception kinds', () => {
  it("are kiln_runtime.h's enum kr_error_kind and kr_error_names, in order", () => {
    expect(tableProblems(header)).toEqual([]);
  });

  it('a header whose order differs from the table is caught', () => {
    const swapped = header.replace('KILN_ZeroDivisionError = 1,\n  KILN_OverflowError = 2,', 'KILN_OverflowError = 1,\n  KILN_ZeroDivisionError = 2,');
    expect(swapped).not.toBe(header);
    expect(tableProblems(swapped)).toHaveLength(1);
    const renamed = header.replace('"ZeroDivisionError", "OverflowError"', '"OverflowError", "ZeroDivisionError"');
    expect(renamed).not.toBe(header);
    expect(tableProblems(renamed)).toHaveLength(1);
  });

  it("have CPython's base classes, each a kind of the table (or BaseException)", () => {
    // NumPy's kinds come from their module (numpy.exceptions.AxisError); every base is listed (AxisError is a ValueError and an IndexError).
    const kinds = EXCEPTION_KINDS.map((k) => [k.name, k.module ?? 'builtins']);
    const code = `import importlib, json, sys\nfor k, m in json.load(sys.stdin): c = getattr(importlib.import_module(m), k); print(k, ' '.join(b.__name__ for b in c.__bases__))`;
    const cpython = execaSync('python3', ['-c', code], { input: JSON.stringify(kinds) }).stdout.trim().split('\n');
    expect(EXCEPTION_KINDS.map((k) => [k.name, k.base, ...(k.alsoBases ?? [])].join(' '))).toEqual(cpython);
    const names = new Set(EXCEPTION_KINDS.map((k) => k.name));
    expect(EXCEPTION_KINDS.filter((k) => !names.has(k.base) && k.base !== 'BaseException')).toEqual([]);
  });

  it("give the message str() gives in CPython (KeyError's is the repr of its text)", () => {
    const texts = ['missing', "it's", 'say "hi"', 'both \' and "', 'tab\tnew\nline\\', 'nul\x00 del\x7f nbsp\u00a0 zwsp\u200b é 😀'];
    const code = `import json, sys\nfor t in json.load(sys.stdin): print(json.dumps([str(KeyError(t)), str(ValueError(t))]))`;
    const cpython = execaSync('python3', ['-c', code], { input: JSON.stringify(texts) }).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(texts.map((t) => [exceptionMessage('KeyError', t), exceptionMessage('ValueError', t)])).toEqual(cpython);
    expect(pyStringRepr("it's")).toBe('"it\'s"');
  });

  it('name their C constant, and an unknown kind is an internal error', () => {
    expect(errorKindC('MemoryError')).toBe('KILN_MemoryError');
    expect(() => errorKindC('SystemExit')).toThrow(/not an exception kind/);
  });
});

describe('exported symbols', () => {
  it("are kiln_<name>, with a trailing underscore where the name is one of the library's own functions", () => {
    expect(exportSymbol('fma')).toBe('kiln_fma');
    expect(exportSymbol('error_type')).toBe('kiln_error_type_');
    expect(exportSymbol('error_frame_line')).toBe('kiln_error_frame_line_');
    expect(exportSymbol('free')).toBe('kiln_free_');
    expect(exportSymbol('release_memory')).toBe('kiln_release_memory_');
    expect(exportSymbol('dict_str_int_get')).toBe('kiln_dict_str_int_get_');
    expect(exportSymbol('set_int_add')).toBe('kiln_set_int_add_');
    expect(exportSymbol('set_items')).toBe('kiln_set_items');
  });

  it('a function named free builds next to the kiln_free of a library that uses arrays', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-abi-'));
    const file = path.join(dir, 'freemod.py');
    fs.writeFileSync(file, 'import numpy as np\nimport numpy.typing as npt\nfrom kiln import compile\n\n\n@compile\ndef free(a: npt.NDArray[np.float64]) -> float:\n    return float(a.sum())\n');
    const r = await execa('node', [path.join(root, 'bin/kiln.mjs'), 'run', `${file}::free`, '[1.0, 2.5]'], { cwd: root, reject: false });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('3.5');
  }, 120_000);

  it('have the prototype the header declares', () => {
    const e = { name: 'f', symbol: 'kiln_f', params: [{ name: 'a', type: T.array('float64', 2) }, { name: 'xs', type: T.list(T.int) }, { name: 'int', type: T.float }], returnType: T.array('int32', 1), line: 1, signature: '' };
    expect(abiPrototype(e)).toBe('int kiln_f(kiln_array_float64 a, kiln_list_int *xs, double int_py, kiln_array_int32 *out)');
  });
});
