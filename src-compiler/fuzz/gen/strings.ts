/**
 * Strings: `str` values from literals chosen for their edges (empty, whitespace, digits with signs and
 * underscores, case mappings that change length such as 'ß' and 'ﬁ', astral code points, combining marks),
 * concatenation and repetition, indexing and slicing with any step, the str methods the op registry compiles
 * (case mapping, strip, split, join, replace, find/count/index, padding, predicates), `str()`/`repr()` of
 * numbers, `int()`/`float()` of strings (CPython's ValueError messages), f-strings with format specs of each
 * type, %-formatting, comparisons and `in`; statements: new strings, `+=` in loops, `for ch in s`.
 * `list[str]` is a local type only (it does not cross the ABI yet).
 */
import { pyStringRepr } from '../../lower/abi.ts';
import type { Expr, FStrPart, Stmt, Ty } from '../ast.ts';
import type { ExprRule, Feature, Gen, StmtRule } from './core.ts';
import { boundedInt } from './scalars.ts';

const str = (v: string): Expr => ({ k: 'lit', text: pyStringRepr(v), ty: 'str' });
const lit = (text: string, ty: Ty): Expr => ({ k: 'lit', text, ty });
const name = (id: string): Expr => ({ k: 'name', id });
const call = (fn: string, ...args: Expr[]): Expr => ({ k: 'call', fn, args });
const method = (obj: Expr, m: string, ...args: Expr[]): Expr => ({ k: 'method', obj, name: m, args });

/** Literals with the edges string code meets. Parseable numbers are common so int()/float() sometimes succeed. */
export const STR_LITERALS: [string, number][] = [
  ['', 3], ['a', 2], ['abc', 3], ['Hello, World', 2], ['  padded  ', 2], ['a,b,,c', 2], ['one two  three', 2],
  ['line1\nline2\r\nline3', 1], ['tab\tsep', 1], ['123', 2], ['-42', 1.5], [' 7 ', 1], ['1_000', 1], ['+0', 0.5],
  ['3.5', 1.5], ['-0.0', 0.5], ['1e3', 0.7], ['inf', 0.5], ['nan', 0.5], ['0x1f', 0.5], ['12abc', 0.7],
  ['ß', 1], ['Straße', 1], ['éclair', 1], ['ΑΒΓ δ', 1], ['İstanbul', 0.7], ['ﬁnal', 0.7], ['日本語', 0.7],
  ['😀x', 0.7], ['x😀y', 0.5], ['e\u0301', 0.5], ['aaa', 1], ['abab', 1], ['Title Case words', 1], ['MiXeD', 1],
  ['٣4', 0.4], ['½', 0.3], ['\u00a0nbsp', 0.3], ["it's", 0.5], ['say "hi"', 0.5], ['back\\slash', 0.4],
];
/** Short pieces: separators, substrings, strip sets. */
const PIECES = ['a', 'b', ',', ' ', 'ab', '', 'ß', 'x', ', ', '-', 'ss', '😀', 'l', 'e', 'Wo'];

const isStr = (t: Ty) => t === 'str';
const isStrList = (t: Ty) => typeof t === 'object' && 'list' in t && t.list === 'str';
const strVars = (g: Gen) => g.allVars((v) => v.ty === 'str');
const strListVars = (g: Gen) => g.allVars((v) => isStrList(v.ty));

function piece(g: Gen, d: number): Expr {
  return g.rng.chance(0.75) ? str(g.rng.pick(PIECES)) : g.expr('str', d + 1);
}

/** A string operand: a variable or literal mostly (methods on long expression chains are less interesting). */
function operand(g: Gen, d: number): Expr {
  const vars = strVars(g);
  if (vars.length && g.rng.chance(0.6)) return name(g.rng.pick(vars).name);
  return g.expr('str', d);
}

/** An index into a string: small, sometimes negative or past the end (IndexError). */
function index(g: Gen, d: number): Expr {
  const r = g.rng;
  return r.weighted<() => Expr>([[() => lit(String(r.int(0, 3)), 'int'), 3], [() => lit(String(-r.int(1, 3)), 'int'), 1.5], [() => boundedInt(g, 15, d), 2]])();
}

const SLICES = ['1:', ':2', '::2', '::-1', '1:-1', '-2:', '::-2', '2:0:-1', '-3::', ':100', '5:2'];

/** Format specs CPython accepts for each type (the generator only writes ones Python runs). */
const SPECS: Record<'int' | 'float' | 'str' | 'bool', string[]> = {
  int: ['', ',', '_', '#x', '#o', 'b', '08d', '>6', '<4', '^7', '+d', ' d', 'X', '=+8', '.2f', 'e', '%'],
  float: ['', '.3f', '>10.2f', 'e', '.2e', 'g', '.1%', ',.2f', '+.1f', '.0f', '08.3f', '^12', '.15g', 'G', 'E', '#.0f'],
  str: ['', '>8', '<5', '^9', '.2', '*^7', '>4'],
  bool: [''],
};

function fstring(g: Gen): Expr | undefined {
  const r = g.rng;
  const vars = g.allVars((v) => v.ty === 'int' || v.ty === 'float' || v.ty === 'str' || v.ty === 'bool');
  if (!vars.length) return undefined;
  const parts: FStrPart[] = [];
  const n = r.int(1, 3);
  for (let i = 0; i < n; i++) {
    if (r.chance(0.7)) parts.push({ text: r.pick(['', 'x=', ' | ', 'total: ', '[', '] ', '{', 'é ', '-> ']) });
    const v = r.pick(vars);
    const ty = v.ty as 'int' | 'float' | 'str' | 'bool';
    // A repr conversion makes a str of anything, so only str specs follow it.
    const conv = r.chance(0.15) ? r.pick(['r', 's'] as const) : undefined;
    const spec = r.chance(0.6) ? r.pick(SPECS[conv ? 'str' : ty]) : undefined;
    parts.push({ name: v.name, conv, spec: spec || undefined });
  }
  if (r.chance(0.4)) parts.push({ text: r.pick(['.', ' end', '}', ' %']) });
  return { k: 'fstr', parts };
}

/** `'%d items' % n` with conversions the value's type takes. */
function percent(g: Gen, d: number): Expr {
  const r = g.rng;
  return r.weighted<() => Expr>([
    [() => ({ k: 'bin', op: '%', l: str(r.pick(['%d items', '%5d|', '%-4d|', '%x', '%+d'])), r: g.expr('int', d) }), 2],
    [() => ({ k: 'bin', op: '%', l: str(r.pick(['%.2f', '%8.3f', '%e', '%g', '%r', '%s'])), r: g.expr('float', d) }), 2],
    [() => ({ k: 'bin', op: '%', l: str(r.pick(['%s!', '[%5s]', '%-6s|', '%r'])), r: g.expr('str', d) }), 2],
    [() => ({ k: 'bin', op: '%', l: str('%s=%d'), r: { k: 'tuple', items: [g.expr('str', d), g.expr('int', d)] } }), 1],
  ])();
}

const exprRules: ExprRule[] = [
  // ---- str values ----
  { name: 'concat', weight: 3, accepts: isStr, build: (g, _t, d) => ({ k: 'bin', op: '+', l: g.expr('str', d), r: g.expr('str', d) }) },
  { name: 'repeat', weight: 0.7, accepts: isStr, build: (g, _t, d) => ({ k: 'bin', op: '*', l: operand(g, d), r: boundedInt(g, 3, d) }) },
  { name: 'str item', weight: 1.5, accepts: isStr, build: (g, _t, d) => ({ k: 'index', e: operand(g, d), i: index(g, d) }) },
  { name: 'str slice', weight: 2, accepts: isStr, build: (g, _t, d) => ({ k: 'index', e: operand(g, d), i: { k: 'slice', text: g.rng.pick(SLICES) } }) },
  {
    name: 'case/strip', weight: 3, accepts: isStr,
    build: (g, _t, d) => method(operand(g, d), g.rng.pick(['upper', 'lower', 'strip', 'lstrip', 'rstrip', 'title', 'capitalize', 'swapcase', 'casefold'])),
  },
  { name: 'strip chars', weight: 1, accepts: isStr, build: (g, _t, d) => method(operand(g, d), g.rng.pick(['strip', 'lstrip', 'rstrip']), str(g.rng.pick(['ab', ' ,', 'xß', '-']))) },
  {
    name: 'replace', weight: 1.5, accepts: isStr,
    build: (g, _t, d) => (g.rng.chance(0.7) ? method(operand(g, d), 'replace', piece(g, d), piece(g, d)) : method(operand(g, d), 'replace', piece(g, d), piece(g, d), lit(String(g.rng.int(-1, 2)), 'int'))),
  },
  {
    name: 'pad', weight: 1.5, accepts: isStr,
    build: (g, _t, d) => {
      const r = g.rng;
      const m = r.pick(['zfill', 'center', 'ljust', 'rjust']);
      const width = boundedInt(g, 12, d);
      return m !== 'zfill' && r.chance(0.4) ? method(operand(g, d), m, width, str(r.pick(['*', '-', 'ß', '😀']))) : method(operand(g, d), m, width);
    },
  },
  {
    name: 'join', weight: 1.5, accepts: isStr,
    build: (g, _t, d) => {
      const lists = strListVars(g);
      const items: Expr = lists.length && g.rng.chance(0.7) ? name(g.rng.pick(lists).name) : { k: 'list', items: Array.from({ length: g.rng.int(0, 3) }, () => g.expr('str', d + 1)) };
      return method(str(g.rng.pick([', ', '', '-', ' ', '\n'])), 'join', items);
    },
  },
  {
    name: 'str()/repr()', weight: 2, accepts: isStr,
    build: (g, _t, d) => {
      const ty = g.rng.weighted<Ty>([['int', 2], ['float', 2], ['bool', 0.5], ['str', 0.5]]);
      return call(ty === 'str' || g.rng.chance(0.3) ? 'repr' : 'str', g.expr(ty, d));
    },
  },
  { name: 'chr', weight: 0.7, accepts: isStr, build: (g, _t, d) => call('chr', g.rng.chance(0.7) ? { k: 'bin', op: '+', l: lit(String(g.rng.pick([32, 65, 97, 0xdf, 0x391, 0x1f600])), 'int'), r: boundedInt(g, 31, d) } : g.expr('int', d)) },
  { name: 'f-string', weight: 2, accepts: isStr, build: (g) => fstring(g) },
  { name: '%-format', weight: 1, accepts: isStr, build: (g, _t, d) => percent(g, d) },
  {
    name: 'format()', weight: 0.7, accepts: isStr,
    build: (g, _t, d) => method(str(g.rng.pick(['{} and {}', '{1}-{0}', '{:>5}|{:<3}', '{0}{0}'])), 'format', g.expr(g.rng.pick<Ty>(['int', 'str']), d), g.expr('str', d)),
  },
  { name: 'partition', weight: 0.7, accepts: isStr, build: (g, _t, d) => ({ k: 'index', e: method(operand(g, d), g.rng.pick(['partition', 'rpartition']), str(g.rng.pick(PIECES.filter((p) => p)))), i: lit(String(g.rng.int(0, 2)), 'int') }) },
  // ---- numbers and bools from strings ----
  { name: 'len(str)', weight: 2, accepts: (t, g) => t === 'int' && strVars(g).length > 0, build: (g) => call('len', name(g.rng.pick(strVars(g)).name)) },
  {
    name: 'find/count/index', weight: 1.5, accepts: (t) => t === 'int',
    build: (g, _t, d) => method(operand(g, d), g.rng.weighted<string>([['find', 2], ['rfind', 1], ['count', 2], ['index', 1], ['rindex', 0.5]]), piece(g, d)),
  },
  { name: 'ord', weight: 1, accepts: (t) => t === 'int', build: (g, _t, d) => call('ord', { k: 'index', e: operand(g, d), i: index(g, d) }) },
  {
    name: 'int(str)', weight: 1.5, accepts: (t) => t === 'int',
    build: (g, _t, d) => (g.rng.chance(0.8) ? call('int', operand(g, d)) : call('int', operand(g, d), lit(g.rng.pick(['16', '2', '36', '0', '8']), 'int'))),
  },
  { name: 'float(str)', weight: 1, accepts: (t) => t === 'float', build: (g, _t, d) => call('float', operand(g, d)) },
  { name: 'in str', weight: 1.5, accepts: (t) => t === 'bool', build: (g, _t, d) => ({ k: 'cmp', ops: [g.rng.chance(0.8) ? 'in' : 'not in'], items: [piece(g, d), operand(g, d)] }) },
  {
    name: 'startswith', weight: 1, accepts: (t) => t === 'bool',
    build: (g, _t, d) => method(operand(g, d), g.rng.pick(['startswith', 'endswith']), g.rng.chance(0.8) ? piece(g, d) : { k: 'tuple', items: [piece(g, d), piece(g, d)] }),
  },
  {
    name: 'str predicate', weight: 1.5, accepts: (t) => t === 'bool',
    build: (g, _t, d) => method(operand(g, d), g.rng.pick(['isdigit', 'isalpha', 'isspace', 'isupper', 'islower', 'isalnum', 'isdecimal', 'isnumeric', 'istitle'])),
  },
  {
    name: 'str compare', weight: 1.5, accepts: (t) => t === 'bool',
    build: (g, _t, d) => ({ k: 'cmp', ops: [g.rng.pick(['<', '<=', '==', '!=', '>'] as const)], items: [operand(g, d), g.expr('str', d)] }),
  },
  // ---- lists of str ----
  {
    name: 'split', weight: 3, accepts: isStrList,
    build: (g, _t, d) => {
      const r = g.rng;
      return r.weighted<() => Expr>([
        [() => method(operand(g, d), 'split'), 2],
        [() => method(operand(g, d), 'split', str(r.pick([',', ' ', 'a', ', ', 'ß']))), 2],
        [() => method(operand(g, d), r.pick(['split', 'rsplit']), str(r.pick([',', ' '])), lit(String(r.int(-1, 2)), 'int')), 1],
        [() => method(operand(g, d), 'splitlines'), 0.7],
        [() => call('list', operand(g, d)), 0.7],
        [() => call('sorted', operand(g, d)), 0.5],
      ])();
    },
  },
];

const stmtRules: StmtRule[] = [
  {
    name: 'new str', weight: 2.5,
    build: (g) => {
      const ty: Ty = g.rng.chance(0.75) ? 'str' : { list: 'str' };
      const value = g.expr(ty, 1);
      return [{ k: 'assign', targets: [g.define(g.fresh('w'), ty).name], value }];
    },
  },
  {
    // Building a string piece by piece: CPython's += is amortised, and so must Kiln's be.
    name: 'str +=', weight: 2, when: (g) => g.writable((v) => v.ty === 'str').length > 0,
    build: (g) => {
      const v = g.rng.pick(g.writable((x) => x.ty === 'str'));
      return [{ k: 'aug', target: v.name, op: '+', value: g.expr('str', 1), ty: 'str' }];
    },
  },
  {
    name: 'for ch in str', weight: 2, when: (g) => g.loopDepth < 2 && g.budget > 1 && strVars(g).length > 0,
    build: (g) => {
      const src = g.rng.pick(strVars(g));
      const v = g.fresh('ch');
      g.loopDepth++;
      const body = g.nested(() => {
        g.define(v, 'str');
        return g.block(g.rng.int(1, 3));
      });
      g.loopDepth--;
      g.scope.maybe.push({ name: v, ty: 'str' });
      const s: Stmt = { k: 'forin', v, iter: name(src.name), body };
      return [s];
    },
  },
];

export const strings: Feature = {
  name: 'strings',
  summary: 'str: edge literals, concatenation, indexing and slicing, methods, f-strings and %-formatting, str()/repr()/int()/float(), comparisons, in, split/join, += in loops, for over a string',
  paramTypes: [['str', 3]],
  localTypes: [['str', 1], [{ list: 'str' }, 0.3]],
  returnTypes: [['str', 2]],
  exprs: exprRules,
  stmts: stmtRules,
  literal: (g, ty) => {
    if (ty === 'str') return str(g.rng.weighted(STR_LITERALS));
    return undefined;
  },
};
