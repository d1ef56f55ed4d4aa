/**
 * Specialisations for the numeric tower (types/tower.ts, issue 22): which are tried and in what order, the cap,
 * the pick a call's exact argument types make (bool aliases included), and the TypeError's words.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModule } from '../../src-compiler/pipeline.ts';
import {
  MAX_SPECIALISATIONS, candidateCodes, chooseSpecialisations, emptyListLetters, listLetter, listMissingMessage, listedSignatures, missingMessage,
  pickSpecialisation, towerCode, towerParams, typesOfCode,
} from '../../src-compiler/types/tower.ts';
import { listUnionParameterType, typeVarParameterType } from '../../src-compiler/types/annotations.ts';
import { T, typeToString, type KType } from '../../src-compiler/types/types.ts';
import { harnessLine, specialisedCall } from '../../src-compiler/run/call.ts';
import { parsePyLiteral } from '../../src-compiler/run/values.ts';

const fff = [T.float, T.float, T.float];

describe('numeric tower specialisations', () => {
  it('tries all ints first, then fewer changes before more; a bool is never a specialisation of its own', () => {
    expect(candidateCodes(fff)).toEqual(['iii', 'iff', 'fif', 'ffi', 'iif', 'ifi', 'fii']);
    // An int parameter picks by its argument's type (int, or a bool through an alias) but has no candidates;
    // other parameters (str, arrays, NumPy scalars) do not vary.
    expect(candidateCodes([T.int, T.str, T.np('float32')])).toEqual([]);
    expect(towerParams([T.int, T.str, T.float])).toEqual([0, 2]);
    expect(candidateCodes([T.int, T.float])).toEqual(['ii']);
    expect(candidateCodes([T.str])).toEqual([]);
  });

  it('keeps the all-int candidate when there are many tower parameters (no 2**k enumeration)', () => {
    const many = Array.from({ length: 9 }, () => T.float);
    const c = candidateCodes(many);
    expect(c[0]).toBe('iiiiiiiii');
    expect(c.length).toBe(1 + 9);
  });

  it('builds at most MAX_SPECIALISATIONS, leaving out what does not type-check with its reason and the rest past the cap', () => {
    const describe = (ts: KType[]) => `f(${ts.map(typeToString).join(', ')})`;
    const ffff = [...fff, T.float];
    // Pretend an int at the first parameter does not type-check unless the second is one too.
    const r = chooseSpecialisations(ffff, (ts) => (typeToString(ts[0]) === 'float' || ts[0] === ts[1] ? undefined : 'x.hex() is a float method'), describe);
    expect(r.codes.length).toBe(MAX_SPECIALISATIONS - 1);
    expect(r.codes[0]).toBe('iiii');
    expect(r.skipped.find((s) => s.code === 'ifff')).toEqual({ code: 'ifff', signature: 'f(int, float, float, float)', reason: 'x.hex() is a float method' });
    expect(r.skipped.filter((s) => /cap of 4/.test(s.reason)).length).toBeGreaterThan(0);
    expect(r.codes.length + r.skipped.length).toBe(15); // 2 ** 4 combinations, the annotated one left out
  });

  it('picks by exact types: the annotated one, a built one, a bool alias, another type to the annotated path, or missing', () => {
    const built = ['iii', 'iff'];
    expect(pickSpecialisation('fff', built, ['f', 'f', 'f'])).toBe('fff');
    expect(pickSpecialisation('fff', built, ['i', 'i', 'i'])).toBe('iii');
    expect(pickSpecialisation('fff', built, ['b', 'f', 'f'])).toBe('missing');
    expect(pickSpecialisation('fff', built, ['b', 'f', 'f'], { bff: 'iff' })).toBe('iff');
    expect(pickSpecialisation('fff', built, [undefined, 'i', 'i'])).toBe('annotated');
    // NumPy scalars run a listed specialisation of theirs; in a combination not listed, the annotated conversion.
    expect(pickSpecialisation('ff', ['ii', 'df'], ['d', 'f'])).toBe('df');
    expect(pickSpecialisation('ff', ['ii', 'df'], ['d', 'd'])).toBe('annotated');
    expect(pickSpecialisation('ff', ['ii', 'df'], ['l', 'i'])).toBe('annotated');
    expect(typesOfCode([T.float, T.str, T.float], 'if').map(typeToString)).toEqual(['int', 'str', 'float']);
    expect(towerCode([T.float, T.str, T.int], [T.int, T.str, T.bool])).toBe('ib');
  });

  it('a list[float] parameter also runs a list of ints: picked by its items, [] by emptyListLetters, mixed items refused', () => {
    const lf = T.list(T.float);
    expect(candidateCodes([lf, T.float])).toEqual(['Ii', 'If', 'Fi']);
    expect(candidateCodes([T.list(T.int)])).toEqual([]);
    expect(typesOfCode([lf, T.str], 'I').map(typeToString)).toEqual(['list[int]', 'str']);
    expect(listLetter('I', ['i', 'i'])).toBe('I');
    expect(listLetter('I', ['f'])).toBe('F');
    expect(listLetter('I', [])).toBe('I');
    expect(listLetter('I', ['i', 'f'])).toBe('missing');
    expect(listLetter('I', ['b'])).toBe('missing');
    expect(listLetter('I', ['f', undefined])).toBe(undefined);
    // [] runs list[int] (sum([]) is the int 0) where it is built beside every list[float] one, and the parameter is not
    // read by NumPy alone (np.asarray([]) is float64).
    expect(emptyListLetters([lf, T.float], ['Ff', 'Ii', 'If', 'Fi'], () => false)).toBe('If');
    expect(emptyListLetters([lf, T.float], ['Ff', 'Ii'], () => false)).toBe('Ff');
    expect(emptyListLetters([lf], ['F', 'I'], () => true)).toBe('F');
    expect(listMissingMessage('total', 'xs', ['int', 'float', 'int'], ['F', 'I'], 0)).toBe(
      'total() has no compiled specialisation for a list of float and int items at xs; compiled for list[float], list[int] (make the items one of these types, e.g. [float(x) for x in xs])');
    expect(listedSignatures({ _t: 'list', items: ['(list[int], int)'] }, ['xs', 'k'], [lf, T.float], ['list[float]', 'float'])[0].code).toBe('Ii');
    expect(() => listedSignatures({ _t: 'list', items: ['(np.float64, int)'] }, ['xs', 'k'], [lf, T.float], ['list[float]', 'float'])).toThrow('xs: np.float64 where list[float] is annotated; Python accepts list[float], list[int] there');
    expect(typeToString(listUnionParameterType('list[int] | list[float]', {})!)).toBe('list[float]');
    expect(typeToString(listUnionParameterType('Union[list[float], List[int]]', { List: 'typing.List', Union: 'typing.Union' })!)).toBe('list[float]');
    expect(listUnionParameterType('list[int] | None', {})).toBeUndefined();
    // A constrained TypeVar of the module (T = TypeVar("T", int, float), as the frontend reads it): list[T] is list[float].
    const name = (id: string) => ({ _t: 'Name', id });
    const typeVar = (...c: string[]) => ({ value: { _t: 'Call', func: name('TypeVar'), args: [{ _t: 'Constant', value: 'T' }, ...c.map(name)] } });
    const imports = { TypeVar: 'typing.TypeVar' };
    expect(typeToString(typeVarParameterType('list[T]', imports, { T: typeVar('int', 'float') })!)).toBe('list[float]');
    expect(typeToString(typeVarParameterType('T', imports, { T: typeVar('float', 'int') })!)).toBe('float');
    expect(typeVarParameterType('list[T]', imports, { T: typeVar('int', 'str') })).toBeUndefined();
    expect(typeVarParameterType('list[T]', {}, { T: typeVar('int', 'float') })).toBeUndefined();
  });

  it("says the given and the compiled types in the TypeError", () => {
    expect(missingMessage('fma', ['x', 'y'], 'bf', ['ff', 'ii'])).toBe(
      'fma() has no compiled specialisation for (x: bool, y: float); compiled: (x: float, y: float), (x: int, y: int) (convert the arguments, e.g. float(x), or give the types of a compiled one)',
    );
  });

  it('reads @compile(signatures=[...]): tuples or strings, in order without repeats; a wrong entry says why', () => {
    const list = (...items: string[]) => ({ _t: 'list' as const, items });
    const annotated = [T.float, T.int, T.array('float64', 1)];
    const sigs = (...items: string[]) => listedSignatures(list(...items), ['x', 'n', 'a'], annotated, ['float', 'int', 'np.ndarray']);
    expect(sigs('(int, int, np.ndarray)', '(float, bool, ndarray[float64, 1d]) -> float', '(int,int,np.ndarray)')).toEqual([
      { code: 'ii', text: '(int, int, np.ndarray)' }, { code: 'fb', text: '(float, bool, ndarray[float64, 1d]) -> float', returns: 'float' },
    ]);
    expect(() => sigs('(int, int)')).toThrow('gives 2 argument types, the function takes 3 (x, n, a)');
    expect(() => sigs('(int, float, np.ndarray)')).toThrow('n: float where int is annotated; Python accepts int, bool, np.float64, np.int64 there');
    expect(sigs('(numpy.float64, np.int64, np.ndarray)')[0].code).toBe('dl');
    expect(() => sigs('(np.bool_, int, np.ndarray)')).toThrow('x: np.bool_ where float is annotated');
    expect(() => sigs('(int, int, list)')).toThrow('a is annotated np.ndarray and only numbers vary by specialisation');
    expect(() => listedSignatures('SIGS', ['x'], [T.float], ['float'])).toThrow('signatures=SIGS is not a list');
  });

  it('a bool runs the int specialisation where only arithmetic reads it, never where it shows (a dict key, %s)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-tower-'));
    const file = path.join(dir, 'bools.py');
    fs.writeFileSync(file, [
      'from kiln import compile', '', '',
      '@compile', 'def halve(a: int, b: int) -> int:', '    return a // b + a * b', '', '',
      '@compile', 'def keyed(a: int) -> int:', '    d = {1: 10, 2: 20}', '    return d[a]', '', '',
      '@compile', 'def shown(a: int, b: int) -> str:', '    return "%s" % a + str(b)', '',
    ].join('\n'));
    try {
      const r = await compileModule(file);
      const aliases = Object.fromEntries(r.unit!.exports.map((e) => [e.name, e.boolAliases ?? {}]));
      // halve(True, 2) is 2 as halve(1, 2): the C differs only by widening the bool, which // and * read as the int.
      expect(aliases.halve).toEqual({ bi: 'ii', ib: 'ii', bb: 'ii' });
      // keyed(False) raises KeyError: False in CPython (KeyError: 0 from the int one); "%s" % True is 'True'.
      expect(aliases.keyed).toEqual({});
      expect(aliases.shown).toEqual({});
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a list stands for an array (and an array for a list) only where NumPy functions and len() read the parameter; int specialisations get big-int twins', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-tower-'));
    const file = path.join(dir, 'kinds.py');
    const fn = (sig: string, ...body: string[]) => ['@compile', `def ${sig}:`, ...body.map((l) => `    ${l}`), '', ''];
    fs.writeFileSync(file, [
      'import numpy as np', 'import numpy.typing as npt', 'from kiln import compile', '', '',
      ...fn('numpy_only(a: npt.NDArray[np.float64], n: list[int]) -> float', 'return float(np.sum(a) * np.max(a)) / len(a) + len(n)'),
      ...fn('repeats(a: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]', 'return a * 2'),
      ...fn('iterates(a: npt.NDArray[np.float64], xs: list[float]) -> float', 's = 0.0', 'for x in a:', '    s += x', 'return s + sum(xs)'),
      ...fn('writes(a: npt.NDArray[np.float64]) -> float', 'np.ravel(a)[0] = 1.0', 'return float(np.sum(a))'),
      ...fn('int32s(a: npt.NDArray[np.int32]) -> int', 'return len(a)'),
      ...fn('fma(x: float, y: float, z: float) -> float', 'return x * y + z'),
      '@compile(signatures=[(np.float64, float)])', ...fn('ratio(a: float, b: float) -> float', 'return a / b'),
    ].join('\n'));
    try {
      const r = await compileModule(file);
      const kinds = Object.fromEntries(r.unit!.exports.map((e) => [e.name, e.params.map((p) => !!p.otherKind)]));
      expect(kinds).toEqual({
        numpy_only: [true, true], repeats: [false], iterates: [false, false], writes: [false],
        // np.asarray of a list of ints is int64, never int32: no list stands for that array.
        int32s: [false], fma: [false, false, false], ratio: [false, false],
      });
      // fma(2**32, 2**32, 1) runs kiln_fma__iii, whose int64 overflow falls back on its own twin (CPython's big int).
      const fma = r.unit!.exports.find((e) => e.name === 'fma')!;
      expect(fma.variants!.find((v) => v.code === 'iii')!.bigResults).toBe(true);
      expect(r.unit!.source).toMatch(/static int kb_fma__iii\(/);
      // Ints past 64 bits as arguments: <symbol>_big takes each as its hex() text, and kiln run's harness line goes there.
      expect(r.unit!.header).toContain('int kiln_fma__iii_big(const char *x, const char *y, const char *z, int64_t *out);');
      // ... and beside floats: fma(2**70, 0.5, 1.0) runs kiln_fma__iff's twin (float(x * y) rounded as CPython rounds it).
      expect(r.unit!.header).toContain('int kiln_fma__iff_big(const char *x, double y, double z, double *out);');
      const big = specialisedCall(file, fma, [String(2n ** 70n), '-3', 'True']);
      expect(big.fn.code).toBe('iii');
      expect(harnessLine(big.fn, big.values).split(' ').slice(0, 2)).toEqual(['fma__iii!big', `x${Buffer.from('0x400000000000000000').toString('hex')}`]);
      expect(harnessLine(big.fn, specialisedCall(file, fma, ['1', '-3', '2']).values).split(' ')[0]).toBe('fma__iii');
      // kiln run's literals np.float64(1.5) and numpy.int64(7) are NumPy scalars: they pick the listed specialisation, and
      // a combination not listed takes the annotated function's conversion, as the package does.
      const ratio = r.unit!.exports.find((e) => e.name === 'ratio')!;
      const call = specialisedCall(file, ratio, ['np.float64(1.5)', '2.0']);
      expect([call.fn.code, call.values]).toEqual(['df', [{ kind: 'np', dtype: 'float64', value: 1.5 }, { kind: 'float', value: 2 }]]);
      const other = specialisedCall(file, ratio, ['numpy.int64(7)', 'np.float64(2)']);
      expect([other.fn.code, other.values]).toEqual([undefined, [{ kind: 'float', value: 7 }, { kind: 'float', value: 2 }]]);
      expect(parsePyLiteral('np.int64(-2.9)')).toEqual({ kind: 'np', dtype: 'int64', value: -2n });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
