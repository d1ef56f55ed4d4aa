/**
 * Specialisations of an exported function for the argument types Python accepts at its annotated parameters
 * (issue 22). Python does not convert arguments to their annotations: `fma(3, -1, 2)` on
 * `def fma(x: float, y: float, z: float) -> float` computes with ints and returns the int -1, and PEP 484's
 * numeric tower lets an int (and a bool) stand where float is annotated, a bool where int is. So a compiled
 * function has one specialisation per accepted combination of argument types, each typed and lowered as its
 * own C function, and the exported package, the CPython extension, the JS module and `kiln run` pick one by the
 * exact types of a call's arguments.
 *
 * Which ones are built (bounded): only parameters annotated `float`, `int` or `list[float]` vary ("tower
 * parameters"); a float parameter may be float, int or bool, an int parameter int or bool, a list[float] one a list
 * of floats or of ints (LIST_LETTERS). Specialisations replace floats by
 * ints, tried in this order: every float parameter an int (the common call `f(3, -1, 2)`), then those changing
 * fewer parameters before more; the first MAX_SPECIALISATIONS (the annotated one included) that type-check are
 * built, at most MAX_TRIES are typed. A bool runs the specialisation with an int at its place when the C of the two
 * is the same (the code cannot tell them apart); where it is not (the bool is returned, printed, or-ed with another
 * bool, fills a NumPy array), the call raises TypeError: no bool specialisation of its own is built. A candidate
 * that does not type-check is left out with its reason; one past the cap is left out too. A call whose tower
 * arguments are all int, float or bool but match no built specialisation (nor a bool alias) raises TypeError naming
 * the given and the compiled types (converting them to the annotated types would silently change the result's
 * type, or its value past 2**53). An argument of another type (a NumPy
 * scalar, an object with __float__ or __index__) goes through the annotated function's conversion, as before.
 *
 * `@compile(signatures=[...])` replaces those candidates by the user's list (listedSignatures below): each entry is
 * the argument types of one specialisation, as a tuple of Python types `(int, float)` (one type for a
 * one-parameter function) or a string `"(int, float) -> float"` whose return type is checked against the one
 * Kiln infers. The annotated signature is always built; a listed one that cannot be built is an error at the
 * decorator (never left out quietly), and no cap applies.
 *
 * This module is data and pure functions: the codes, the candidates, the pick; the typing is the caller's.
 */
import type { PyLiteral } from '../ir/ir.ts';
import { typeToString, type KType } from './types.ts';

/** Specialisations per exported function, the annotated one included. */
export const MAX_SPECIALISATIONS = 4;
/** Candidates typed per function at most (typing is the cheap part; this bounds it for many parameters). */
export const MAX_TRIES = 16;

/**
 * One letter per number type: the variant's code (`iii`) names its C symbol (`kiln_fma__iii`). `d` (np.float64)
 * and `l` (np.int64) are NumPy's scalars, built only when `@compile(signatures=[...])` lists them: the package
 * then runs them for NumPy scalar arguments, which compute as NumPy does (`np.float64(3) * 2.0` is an np.float64,
 * `np.float64(1.0) / 0.0` is inf with a warning, not ZeroDivisionError).
 */
export type TowerLetter = 'f' | 'i' | 'b' | 'd' | 'l' | 'F' | 'I';
const LETTER_TYPE: Record<TowerLetter, KType> = {
  f: { kind: 'scalar', name: 'float' }, i: { kind: 'scalar', name: 'int' }, b: { kind: 'scalar', name: 'bool' },
  d: { kind: 'scalar', name: 'float64' }, l: { kind: 'scalar', name: 'int64' },
  F: { kind: 'list', item: { kind: 'scalar', name: 'float' } }, I: { kind: 'list', item: { kind: 'scalar', name: 'int' } },
};
export const LETTER_NAME: Record<TowerLetter, string> = { f: 'float', i: 'int', b: 'bool', d: 'np.float64', l: 'np.int64', F: 'list[float]', I: 'list[int]' };
/**
 * List letters (upper case): a parameter annotated `list[float]` also runs with a list of ints, the list[int]
 * specialisation (`total([1, 2])` sums ints and returns the int 3, as CPython does). A call's list picks by the
 * exact type of its items, all of them the same (a list mixing ints and floats has no specialisation: TypeError);
 * an empty list runs the annotated one (its body reads no item, so the element type changes nothing but what the
 * typing of the empty case decides: the annotated function's result, as before).
 */
export const LIST_LETTERS: TowerLetter[] = ['F', 'I'];
/** The list letter whose items are of the number letter `l` (`i` -> `I`), if there is one. */
export const listLetterOf = (l: TowerLetter | undefined): TowerLetter | undefined => (l === 'f' ? 'F' : l === 'i' ? 'I' : undefined);
/** Letters only a listed signature gives (the default candidates are Python numbers). */
export const NUMPY_LETTERS: TowerLetter[] = ['d', 'l'];
/** A code of Python numbers only: the ones a JS call or the CPython extension can pick (they make no NumPy scalars). */
export const pythonNumbersOnly = (code: string): boolean => ![...code].some((l) => NUMPY_LETTERS.includes(l as TowerLetter));

/** The letter of a number type or of a list of Python ints or floats, or undefined for any other type (another NumPy scalar, an array, a str...). */
export function towerLetter(t: KType): TowerLetter | undefined {
  if (t.kind === 'list') return listLetterOf(towerLetter(t.item));
  if (t.kind !== 'scalar') return undefined;
  return (Object.keys(LETTER_TYPE) as TowerLetter[]).find((l) => (LETTER_TYPE[l] as { name: string }).name === t.name);
}

/**
 * What Python runs where `t` is annotated, besides `t` itself: PEP 484's numeric tower (an int or a bool where float
 * is annotated, a bool where int is), and a list of ints where a list of floats is (lists are invariant to a type
 * checker, but CPython runs the body on what it is given).
 */
export function towerAlternatives(t: KType): TowerLetter[] {
  const l = towerLetter(t);
  return l === 'f' ? ['i', 'b'] : l === 'i' ? ['b'] : l === 'F' ? ['I'] : [];
}

/** At most this many tower parameters (a code is a base-3 number in the C extension's 64-bit dispatch); more: none vary. */
export const MAX_TOWER_PARAMS = 39;

/** Indices of the parameters whose argument type picks the specialisation. */
export function towerParams(annotated: KType[]): number[] {
  const at = annotated.flatMap((t, i) => (towerAlternatives(t).length ? [i] : []));
  return at.length > MAX_TOWER_PARAMS ? [] : at;
}

/** A signature's code: one letter per tower parameter (`fff` for fma's annotated one). */
export function towerCode(annotated: KType[], types: KType[]): string {
  return towerParams(annotated).map((i) => towerLetter(types[i]) ?? 'x').join('');
}

/** The parameter types a code gives (other parameters keep their annotation). */
export function typesOfCode(annotated: KType[], code: string): KType[] {
  const at = towerParams(annotated);
  return annotated.map((t, i) => (at.includes(i) ? LETTER_TYPE[code[at.indexOf(i)] as TowerLetter] : t));
}

/**
 * The candidate codes besides the annotated one, in the order they are tried: all ints first, then by the number
 * of changed parameters, then left to right. Only ints replace floats: a bool is never a specialisation of its own
 * (see boolAliases below). More than 6 tower parameters: only the all-int one and those changing one parameter
 * (2**k combinations are not enumerated).
 */
export function candidateCodes(annotated: KType[]): string[] {
  const at = towerParams(annotated);
  if (!at.length) return [];
  const own = at.map((i) => towerLetter(annotated[i])!);
  // Bools are not built as their own specialisations: a bool runs an int one where its C is the same (boolAliases).
  const choices = at.map((i, k) => [own[k], ...towerAlternatives(annotated[i]).filter((l) => l !== 'b')]);
  let codes: string[] = [];
  if (at.length <= 6) {
    codes = [''];
    for (const c of choices) codes = codes.flatMap((p) => c.map((l) => p + l));
  } else {
    codes = [own.join('')];
    at.forEach((_i, k) => choices[k].slice(1).forEach((l) => codes.push(own.map((o, j) => (j === k ? l : o)).join(''))));
  }
  const allInt = own.map((l) => (l === 'f' ? 'i' : l === 'F' ? 'I' : l)).join('');
  const count = (code: string, pred: (l: string, k: number) => boolean) => [...code].filter(pred).length;
  const rank = (code: string) => [code === allInt ? 0 : 1, count(code, (l) => l === 'b'), count(code, (l, k) => l !== own[k])];
  const ownCode = own.join('');
  const out = [...new Set(codes)].filter((c) => c !== ownCode);
  if (!out.includes(allInt) && allInt !== ownCode) out.push(allInt);
  return out.sort((a, b) => {
    const ra = rank(a), rb = rank(b);
    for (let k = 0; k < ra.length; k++) if (ra[k] !== rb[k]) return ra[k] - rb[k];
    return a < b ? 1 : a > b ? -1 : 0; // 'i' before 'f' where they differ: the change on the left first
  });
}

/**
 * A bool is an int whose C code cannot tell: where a specialisation with an int at some parameter generates the same
 * C as it would with a bool there (no str(x), no bool result, no bool & bool), a bool argument runs it. The
 * pipeline checks that by lowering both (pipeline.ts numericTowerSpecialisations); the dispatchers hold the
 * aliases (code with the bool -> the built code) as extra entries of their tables.
 */

/** A specialisation left out: its code and why (a type error's message, or the cap). */
export interface SkippedSpecialisation {
  code: string;
  signature: string;
  reason: string;
}

/**
 * The codes to build for one function: the first MAX_SPECIALISATIONS - 1 candidates for which `typeOk` answers
 * undefined (it types the function with those parameter types; a string is why not), and the ones left out.
 */
export function chooseSpecialisations(
  annotated: KType[], typeOk: (types: KType[]) => string | undefined, describe: (types: KType[]) => string,
): { codes: string[]; skipped: SkippedSpecialisation[] } {
  const codes: string[] = [];
  const skipped: SkippedSpecialisation[] = [];
  const candidates = candidateCodes(annotated);
  let tries = 0;
  for (const code of candidates) {
    const types = typesOfCode(annotated, code);
    if (codes.length >= MAX_SPECIALISATIONS - 1 || tries >= MAX_TRIES) {
      skipped.push({ code, signature: describe(types), reason: codes.length >= MAX_SPECIALISATIONS - 1 ? `past the cap of ${MAX_SPECIALISATIONS} specialisations per function` : `past ${MAX_TRIES} candidates tried` });
      continue;
    }
    tries++;
    const problem = typeOk(types);
    if (problem === undefined) codes.push(code);
    else skipped.push({ code, signature: describe(types), reason: problem });
  }
  return { codes, skipped };
}

/**
 * The specialisation a call picks: `given` holds the letter of each tower argument's exact type (undefined for
 * another type). 'annotated': some argument is of another type, or a NumPy scalar is in a combination that was not
 * listed (the annotated function converts them, as before); a code: the one built for exactly these types;
 * 'missing': all are Python numbers but that combination is not built (TypeError, see missingMessage).
 */
export function pickSpecialisation(
  annotatedCode: string, built: string[], given: (TowerLetter | undefined)[], boolAliases: Record<string, string> = {},
): string | 'annotated' | 'missing' {
  if (given.some((l) => l === undefined)) return 'annotated';
  const code = given.join('');
  if (code === annotatedCode || built.includes(code)) return code;
  // A NumPy scalar in a combination signatures= does not list: the annotated function's conversion, as any other type.
  if (!pythonNumbersOnly(code) && !(code in boolAliases)) return 'annotated';
  return boolAliases[code] ?? 'missing';
}

/**
 * The letter of a list argument at a list tower parameter from its items' letters: a list whose items are all of
 * one type with a list letter that list letter (`I` for ints); an empty list `empty` (emptyListLetters); undefined
 * when some item is not a Python number (the annotated conversion, as before: it converts a NumPy scalar, refuses a
 * str); 'missing' for Python numbers no specialisation computes on as CPython does (ints mixed with floats, bools):
 * a TypeError, see listMissingMessage.
 */
export function listLetter(empty: TowerLetter, items: (TowerLetter | undefined)[]): TowerLetter | undefined | 'missing' {
  if (!items.length) return empty;
  if (!items.every((l) => l === 'f' || l === 'i' || l === 'b')) return undefined;
  return items.every((l) => l === items[0]) ? listLetterOf(items[0]) ?? 'missing' : 'missing';
}

/**
 * The letter an empty list runs at each tower parameter (its own letter at the others), so that `f([])` computes
 * what CPython computes on a list without items. No item is read, so only the typing of what the body makes
 * without them can differ, and Python's own neutral values are ints (`sum([])` is the int 0, which the list[int]
 * specialisation gives and the list[float] one cannot): the list[int] one runs, where it is built for every
 * specialisation with list[float] there. NumPy makes a float64 array of [] (`np.sum([])` is 0.0): a parameter read
 * only by NumPy functions and len() (`numpyRead`, ExportedFunction's otherKind) keeps the annotated list[float].
 */
export function emptyListLetters(annotated: KType[], built: string[], numpyRead: (i: number) => boolean): string {
  const at = towerParams(annotated);
  return at.map((i, k) => {
    const own = towerLetter(annotated[i])!;
    if (own !== 'F' || numpyRead(i)) return own;
    const withF = built.filter((c) => c[k] === 'F');
    return withF.length && withF.every((c) => built.includes(c.slice(0, k) + 'I' + c.slice(k + 1))) ? 'I' : own;
  }).join('');
}

/** The TypeError's message for a list of Python numbers at a list tower parameter that no specialisation takes. */
export function listMissingMessage(name: string, param: string, itemTypes: string[], compiledCodes: string[], at: number): string {
  const given = [...new Set(itemTypes)].sort().join(' and ');
  const compiled = [...new Set(compiledCodes.map((c) => LETTER_NAME[c[at] as TowerLetter]))].join(', ');
  return `${name}() has no compiled specialisation for a list of ${given} items at ${param}; compiled for ${compiled} (make the items one of these types, e.g. [float(x) for x in ${param}])`;
}

/** The TypeError's message for a call whose argument types have no specialisation: the given and the compiled types. */
export function missingMessage(name: string, paramNames: string[], givenCode: string, compiledCodes: string[]): string {
  const show = (code: string) => `(${[...code].map((l, k) => `${paramNames[k]}: ${LETTER_NAME[l as TowerLetter]}`).join(', ')})`;
  return `${name}() has no compiled specialisation for ${show(givenCode)}; compiled: ${compiledCodes.map(show).join(', ')} (convert the arguments, e.g. float(x), or give the types of a compiled one)`;
}

/** A specialisation listed by `@compile(signatures=[...])`: its code, the text as written and its return type, if given. */
export interface ListedSignature {
  code: string;
  text: string;
  returns?: string;
}

const TYPE_LETTER: Record<string, TowerLetter> = {
  int: 'i', float: 'f', bool: 'b', 'np.float64': 'd', 'np.int64': 'l', 'list[int]': 'I', 'list[float]': 'F',
};
const squash = (s: string) => s.replace(/\s+/g, '').replace(/^numpy\./, 'np.');

/**
 * The codes `@compile(signatures=...)` lists, in order and without repeats, or an Error saying which entry is wrong
 * and why (the caller ties it to the decorator's line). `written`: each parameter's annotation as written. A tower
 * parameter takes its annotated type or one Python accepts there (PEP 484: int or bool for float, bool for int);
 * any other parameter its annotation, as written or as Kiln shows it (`np.ndarray` or `ndarray[float64, 1d]`).
 */
export function listedSignatures(option: PyLiteral, names: string[], annotated: KType[], written: (string | null)[]): ListedSignature[] {
  const form = 'write signatures=[(int, int), (float, float)]: one tuple of argument types per specialisation (a string such as "(int, int) -> int" also checks the return type)';
  if (typeof option === 'string' || option === null || typeof option !== 'object' || option._t !== 'list') {
    throw new Error(`signatures=${typeof option === 'string' ? option : JSON.stringify(option)} is not a list; ${form}`);
  }
  if (!option.items.length) throw new Error(`signatures=[] lists no specialisation; ${form}`);
  const at = towerParams(annotated);
  const out: ListedSignature[] = [];
  for (const item of option.items) {
    if (typeof item !== 'string') throw new Error(`signatures entry ${JSON.stringify(item)} is not a tuple of types; ${form}`);
    const arrow = item.split('->');
    if (arrow.length > 2) throw new Error(`signatures entry "${item}" has two '->'; ${form}`);
    let args = arrow[0].trim();
    if (args.startsWith('(') && args.endsWith(')')) args = args.slice(1, -1);
    // Split on top-level commas (`ndarray[float64, 1d]` is one type).
    const types: string[] = [];
    let depth = 0, cur = '';
    for (const ch of args) {
      if (ch === ',' && depth === 0) { types.push(cur.trim()); cur = ''; continue; }
      if (ch === '[' || ch === '(') depth++;
      if (ch === ']' || ch === ')') depth--;
      cur += ch;
    }
    if (cur.trim()) types.push(cur.trim());
    const sig = `signatures entry "${item}"`;
    if (types.length !== names.length) {
      throw new Error(`${sig} gives ${types.length} argument type${types.length === 1 ? '' : 's'}, the function takes ${names.length} (${names.join(', ')})`);
    }
    let code = '';
    types.forEach((t, i) => {
      const own = typeToString(annotated[i]);
      const k = at.indexOf(i);
      if (k < 0) {
        if (squash(t) !== squash(own) && squash(t) !== squash(written[i] ?? '')) {
          throw new Error(`${sig}: ${names[i]} is annotated ${written[i] ?? own} and only numbers vary by specialisation; write ${written[i] ?? own} there`);
        }
        return;
      }
      const letter = TYPE_LETTER[squash(t)];
      const mine = towerLetter(annotated[i])!;
      const ok = [mine, ...towerAlternatives(annotated[i]), ...(LIST_LETTERS.includes(mine) ? [] : NUMPY_LETTERS)];
      if (!letter || !ok.includes(letter)) {
        throw new Error(`${sig}: ${names[i]}: ${t} where ${own} is annotated; Python accepts ${ok.map((l) => LETTER_NAME[l]).join(', ')} there`);
      }
      code += letter;
    });
    if (out.some((s) => s.code === code)) continue;
    out.push({ code, text: item, ...(arrow.length === 2 ? { returns: arrow[1].trim() } : {}) });
  }
  return out;
}

/** Whether a listed return type (`int`, `np.float64`, `tuple[int, float]`) names the type Kiln inferred. */
export function sameReturnType(written: string, inferred: KType): boolean {
  return squash(written) === squash(typeToString(inferred));
}
