/**
 * Specialisations of an exported function for the argument types Python accepts at its annotated parameters
 * (issue 22). Python does not convert arguments to their annotations: `fma(3, -1, 2)` on
 * `def fma(x: float, y: float, z: float) -> float` computes with ints and returns the int -1, and PEP 484's
 * numeric tower lets an int (and a bool) stand where float is annotated, a bool where int is. So a compiled
 * function has one specialisation per accepted combination of argument types, each typed and lowered as its
 * own C function, and the exported package, the CPython extension, the JS module and `kiln run` pick one by the
 * exact types of a call's arguments.
 *
 * Which ones are built (bounded): only parameters annotated `float` or `int` vary ("tower parameters"); a
 * float parameter may be float, int or bool, an int parameter int or bool. Specialisations replace floats by
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
export type TowerLetter = 'f' | 'i' | 'b' | 'd' | 'l';
const LETTER_TYPE: Record<TowerLetter, KType> = {
  f: { kind: 'scalar', name: 'float' }, i: { kind: 'scalar', name: 'int' }, b: { kind: 'scalar', name: 'bool' },
  d: { kind: 'scalar', name: 'float64' }, l: { kind: 'scalar', name: 'int64' },
};
export const LETTER_NAME: Record<TowerLetter, string> = { f: 'float', i: 'int', b: 'bool', d: 'np.float64', l: 'np.int64' };
/** Letters only a listed signature gives (the default candidates are Python numbers). */
export const NUMPY_LETTERS: TowerLetter[] = ['d', 'l'];
/** A code of Python numbers only: the ones a JS call or the CPython extension can pick (they make no NumPy scalars). */
export const pythonNumbersOnly = (code: string): boolean => ![...code].some((l) => NUMPY_LETTERS.includes(l as TowerLetter));

/** The letter of a number type, or undefined for any other type (another NumPy scalar, an array, a str...). */
export function towerLetter(t: KType): TowerLetter | undefined {
  if (t.kind !== 'scalar') return undefined;
  return (Object.keys(LETTER_TYPE) as TowerLetter[]).find((l) => (LETTER_TYPE[l] as { name: string }).name === t.name);
}

/** What Python accepts where `t` is annotated, besides `t` itself (PEP 484's numeric tower). */
export function towerAlternatives(t: KType): TowerLetter[] {
  const l = towerLetter(t);
  return l === 'f' ? ['i', 'b'] : l === 'i' ? ['b'] : [];
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
  const allInt = own.map((l) => (l === 'f' ? 'i' : l)).join('');
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

const TYPE_LETTER: Record<string, TowerLetter> = { int: 'i', float: 'f', bool: 'b', 'np.float64': 'd', 'np.int64': 'l' };
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
      const ok = [towerLetter(annotated[i])!, ...towerAlternatives(annotated[i]), ...NUMPY_LETTERS];
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
