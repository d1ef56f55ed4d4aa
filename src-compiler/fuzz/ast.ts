/**
 * The fuzzer's own small Python AST: what the generators build, the reducer shrinks and the printer turns
 * into source. It is plain data (JSON-serialisable), so a program can be stored next to its reproducer.
 *
 * `Ty` is the type CPython gives a value, as the generator knows it: `num` is a number whose type depends on
 * the path or the values (int on one branch, float on another), which Python runs and Kiln refuses today.
 */

export type ScalarTy = 'int' | 'float' | 'bool' | 'num' | 'str';
/** Types a dict key or a set item has here. */
export type KeyTy = 'int' | 'str';
export type Ty =
  | ScalarTy
  | { tuple: Ty[] }
  | { list: 'int' | 'float' | 'str' }
  | { array: 'float64' | 'int64' }
  | { dict: [KeyTy, 'int' | 'float' | 'str'] }
  | { set: KeyTy };

/** One piece of an f-string: text, or a variable with its conversion and format spec (`{x!r:>8}`). */
export type FStrPart = { text: string } | { name: string; conv?: 'r' | 's'; spec?: string };

export type BinOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '<<' | '>>' | '&' | '|' | '^';
export type CmpOp = '<' | '<=' | '>' | '>=' | '==' | '!=' | 'in' | 'not in';
export type UnaryOp = '-' | '+' | '~' | 'not';

export type Expr =
  /** A literal as Python source (`3`, `0x7f`, `-0.0`, `1e999`, `True`, `math.inf`); a leading '-' is a unary minus. */
  | { k: 'lit'; text: string; ty: Ty }
  | { k: 'name'; id: string }
  | { k: 'bin'; op: BinOp; l: Expr; r: Expr }
  | { k: 'unary'; op: UnaryOp; e: Expr }
  /** A call of a builtin (`abs`), a module function (`math.sqrt`, `np.sum`) or a function of the program. */
  | { k: 'call'; fn: string; args: Expr[] }
  | { k: 'method'; obj: Expr; name: string; args: Expr[] }
  | { k: 'cmp'; ops: CmpOp[]; items: Expr[] }
  | { k: 'boolop'; op: 'and' | 'or'; items: Expr[] }
  | { k: 'ifexp'; test: Expr; body: Expr; orelse: Expr }
  | { k: 'tuple'; items: Expr[] }
  | { k: 'list'; items: Expr[] }
  | { k: 'index'; e: Expr; i: Expr }
  | { k: 'attr'; obj: Expr; name: string }
  /** `(target := value)`, always in parentheses. */
  | { k: 'walrus'; target: string; value: Expr }
  /** A slice as an index: `1:`, `::-1` (only inside `index`). */
  | { k: 'slice'; text: string }
  /** `[elt for v in iter if cond]`, and `{...}` as a set comprehension */
  | { k: 'comp'; elt: Expr; v: string; iter: Expr; cond?: Expr; set?: boolean }
  /** `{key: value for v in iter if cond}` */
  | { k: 'dictcomp'; key: Expr; value: Expr; v: string; iter: Expr; cond?: Expr }
  /** `{k: v, ...}` */
  | { k: 'dict'; keys: Expr[]; values: Expr[] }
  /** `{a, b}` (never empty: an empty set is `set()`) */
  | { k: 'set'; items: Expr[] }
  /** `f"..."`: only variables inside the braces (Python 3.11 forbids backslashes and the same quote there) */
  | { k: 'fstr'; parts: FStrPart[] }
  /** Parentheses the printer would not need: they test the frontend, not the semantics. */
  | { k: 'paren'; e: Expr };

export type Stmt =
  | { k: 'assign'; targets: string[]; value: Expr }
  | { k: 'aug'; target: string; op: BinOp; value: Expr; ty: Ty }
  | { k: 'setitem'; obj: string; index: Expr; value: Expr }
  | { k: 'del'; obj: string; index: Expr }
  | { k: 'expr'; e: Expr }
  | { k: 'if'; test: Expr; body: Stmt[]; orelse: Stmt[] }
  | { k: 'for'; v: string; args: Expr[]; body: Stmt[]; orelse: Stmt[] }
  | { k: 'forin'; v: string; iter: Expr; body: Stmt[] }
  | { k: 'while'; test: Expr; body: Stmt[]; orelse: Stmt[] }
  | { k: 'break' }
  | { k: 'continue' }
  | { k: 'return'; value: Expr }
  | { k: 'assert'; test: Expr; msg?: string }
  | { k: 'raise'; exc: string; msg: string }
  | { k: 'pass' };

export interface Param {
  name: string;
  ty: Ty;
  /** The annotation written in the source (entry functions always have one; helpers may not). */
  annotation?: string;
}

export interface FuncDef {
  name: string;
  params: Param[];
  returns?: string;
  body: Stmt[];
}

export interface Program {
  /** The entry function's name: it is the one compiled with @compile and called on the inputs. */
  name: string;
  seed: number;
  index: number;
  features: string[];
  /** Module-level constants (`p3_k0 = 2 ** 62 + 1`), read by the functions; Python evaluates them at import. */
  constants: { name: string; value: Expr }[];
  /** Module functions the entry calls, defined before it. */
  helpers: FuncDef[];
  entry: FuncDef;
  /** Imports the program needs beyond `math` (e.g. NumPy). */
  imports: string[];
}

// ---- types --------------------------------------------------------------------------------------------

/** Every `Expr` kind (the reducer tells expressions from statements by it). */
export const EXPR_KINDS: ReadonlySet<string> = new Set(['lit', 'name', 'bin', 'unary', 'call', 'method', 'cmp', 'boolop', 'ifexp', 'tuple', 'list', 'index', 'attr', 'comp', 'slice', 'paren', 'walrus', 'dictcomp', 'dict', 'set', 'fstr'] satisfies Expr['k'][]);

export function tyText(t: Ty): string {
  if (typeof t === 'string') return t === 'num' ? 'int | float' : t;
  if ('tuple' in t) return `tuple[${t.tuple.map(tyText).join(', ')}]`;
  if ('list' in t) return `list[${t.list}]`;
  if ('dict' in t) return `dict[${t.dict[0]}, ${t.dict[1]}]`;
  if ('set' in t) return `set[${t.set}]`;
  return `npt.NDArray[np.${t.array}]`;
}

export const sameTy = (a: Ty, b: Ty): boolean => tyText(a) === tyText(b);
export const isScalarTy = (t: Ty): t is ScalarTy => typeof t === 'string';

// ---- printing -----------------------------------------------------------------------------------------
// ---- printing -----------------------------------------------------------------------------------------

export interface PrintOptions {
  /** Parentheses around every compound operand (for reading, not for testing the frontend's precedence). */
  parenthesise?: boolean;
}

const PREC: Record<string, number> = {
  ifexp: 1, or: 2, and: 3, not: 4, cmp: 5, '|': 6, '^': 7, '&': 8, '<<': 9, '>>': 9, '+': 10, '-': 10,
  '*': 11, '/': 11, '//': 11, '%': 11, unary: 12, '**': 13, primary: 14, atom: 15,
};

function precOf(e: Expr): number {
  switch (e.k) {
    case 'lit': return e.text.startsWith('-') ? PREC.unary : PREC.atom;
    case 'name': case 'tuple': case 'list': case 'paren': case 'comp': case 'slice': case 'walrus':
    case 'dictcomp': case 'dict': case 'set': case 'fstr': return PREC.atom;
    case 'bin': return PREC[e.op];
    case 'unary': return e.op === 'not' ? PREC.not : PREC.unary;
    case 'call': case 'method': case 'index': case 'attr': return PREC.primary;
    case 'cmp': return PREC.cmp;
    case 'boolop': return PREC[e.op];
    case 'ifexp': return PREC.ifexp;
  }
}

/** Python source of an expression, with the parentheses its place (`min`, a precedence) needs. */
export function printExpr(e: Expr, o: PrintOptions = {}, min = 0): string {
  const s = exprText(e, o);
  const p = precOf(e);
  return p < min || (o.parenthesise && min > 0 && p < PREC.primary) ? `(${s})` : s;
}

function exprText(e: Expr, o: PrintOptions): string {
  const sub = (x: Expr, min: number) => printExpr(x, o, min);
  switch (e.k) {
    case 'lit': case 'slice': return e.text;
    case 'name': return e.id;
    case 'paren': return `(${sub(e.e, 0)})`;
    case 'walrus': return `(${e.target} := ${sub(e.value, 1)})`;
    case 'bin': {
      // ** binds tighter than a unary minus on its left ((-x) ** 2) and looser on its right (x ** -y); right-associative.
      if (e.op === '**') return `${sub(e.l, PREC.primary)} ** ${sub(e.r, PREC.unary)}`;
      const p = PREC[e.op];
      return `${sub(e.l, p)} ${e.op} ${sub(e.r, p + 1)}`;
    }
    case 'unary': return e.op === 'not' ? `not ${sub(e.e, PREC.not)}` : `${e.op}${sub(e.e, PREC.unary)}`;
    case 'call': return `${e.fn}(${e.args.map((a) => sub(a, 1)).join(', ')})`;
    case 'method': return `${sub(e.obj, PREC.primary)}.${e.name}(${e.args.map((a) => sub(a, 1)).join(', ')})`;
    case 'attr': return `${sub(e.obj, PREC.primary)}.${e.name}`;
    case 'index': return `${sub(e.e, PREC.primary)}[${sub(e.i, 1)}]`;
    // Operands of a comparison never print as bare comparisons: a < (b < c) is not a chain.
    case 'cmp': return e.items.map((x, i) => (i ? `${e.ops[i - 1]} ` : '') + sub(x, PREC.cmp + 1)).join(' ');
    case 'boolop': return e.items.map((x) => sub(x, PREC[e.op] + 1)).join(` ${e.op} `);
    case 'ifexp': return `${sub(e.body, PREC.ifexp + 1)} if ${sub(e.test, PREC.ifexp + 1)} else ${sub(e.orelse, PREC.ifexp)}`;
    case 'tuple': return e.items.length === 1 ? `(${sub(e.items[0], 1)},)` : `(${e.items.map((x) => sub(x, 1)).join(', ')})`;
    case 'list': return `[${e.items.map((x) => sub(x, 1)).join(', ')}]`;
    case 'comp': {
      const inner = `${sub(e.elt, 1)} for ${e.v} in ${sub(e.iter, 2)}${e.cond ? ` if ${sub(e.cond, 2)}` : ''}`;
      return e.set ? `{${inner}}` : `[${inner}]`;
    }
    case 'dictcomp': return `{${sub(e.key, 1)}: ${sub(e.value, 1)} for ${e.v} in ${sub(e.iter, 2)}${e.cond ? ` if ${sub(e.cond, 2)}` : ''}}`;
    case 'dict': return `{${e.keys.map((k, i) => `${sub(k, 1)}: ${sub(e.values[i], 1)}`).join(', ')}}`;
    case 'set': return `{${e.items.map((x) => sub(x, 1)).join(', ')}}`;
    case 'fstr': return fstrText(e.parts);
  }
}

/** An f-string in double quotes: text with braces doubled and quotes, backslashes and newlines left out by the generator. */
function fstrText(parts: FStrPart[]): string {
  const body = parts.map((p) => ('text' in p ? p.text.replace(/[{}]/g, (c) => c + c) : `{${p.name}${p.conv ? `!${p.conv}` : ''}${p.spec ? `:${p.spec}` : ''}}`)).join('');
  return `f"${body}"`;
}

export function printStmts(stmts: Stmt[], indent: string, o: PrintOptions = {}): string[] {
  const lines: string[] = [];
  const block = (body: Stmt[]) => (body.length ? printStmts(body, `${indent}    `, o) : [`${indent}    pass`]);
  for (const s of stmts) {
    switch (s.k) {
      case 'assign': {
        const value = s.targets.length > 1 && s.value.k === 'tuple' && s.value.items.length === s.targets.length
          ? s.value.items.map((x) => printExpr(x, o, 1)).join(', ') // a, b = b, a
          : printExpr(s.value, o, 0);
        lines.push(`${indent}${s.targets.join(', ')} = ${value}`);
        break;
      }
      case 'aug': lines.push(`${indent}${s.target} ${s.op}= ${printExpr(s.value, o, 0)}`); break;
      case 'setitem': lines.push(`${indent}${s.obj}[${printExpr(s.index, o, 1)}] = ${printExpr(s.value, o, 0)}`); break;
      case 'del': lines.push(`${indent}del ${s.obj}[${printExpr(s.index, o, 1)}]`); break;
      case 'expr': lines.push(`${indent}${printExpr(s.e, o, 0)}`); break;
      case 'if': {
        lines.push(`${indent}if ${printExpr(s.test, o, 0)}:`, ...block(s.body));
        let orelse = s.orelse;
        // else: if ...: as elif, when the else holds just that if.
        while (orelse.length === 1 && orelse[0].k === 'if') {
          const inner: Stmt & { k: 'if' } = orelse[0];
          lines.push(`${indent}elif ${printExpr(inner.test, o, 0)}:`, ...block(inner.body));
          orelse = inner.orelse;
        }
        if (orelse.length) lines.push(`${indent}else:`, ...block(orelse));
        break;
      }
      case 'for':
        lines.push(`${indent}for ${s.v} in range(${s.args.map((a) => printExpr(a, o, 1)).join(', ')}):`, ...block(s.body));
        if (s.orelse.length) lines.push(`${indent}else:`, ...block(s.orelse));
        break;
      case 'forin':
        lines.push(`${indent}for ${s.v} in ${printExpr(s.iter, o, 1)}:`, ...block(s.body));
        break;
      case 'while':
        lines.push(`${indent}while ${printExpr(s.test, o, 0)}:`, ...block(s.body));
        if (s.orelse.length) lines.push(`${indent}else:`, ...block(s.orelse));
        break;
      case 'break': case 'continue': case 'pass': lines.push(`${indent}${s.k}`); break;
      case 'return': lines.push(`${indent}return ${printExpr(s.value, o, 0)}`); break;
      case 'assert': lines.push(`${indent}assert ${printExpr(s.test, o, 0)}${s.msg !== undefined ? `, ${JSON.stringify(s.msg)}` : ''}`); break;
      case 'raise': lines.push(`${indent}raise ${s.exc}(${JSON.stringify(s.msg)})`); break;
    }
  }
  return lines;
}

export function printFunction(f: FuncDef, o: PrintOptions = {}, decorator?: string): string[] {
  const params = f.params.map((p) => (p.annotation ? `${p.name}: ${p.annotation}` : p.name)).join(', ');
  const returns = f.returns ? ` -> ${f.returns}` : '';
  return [...(decorator ? [decorator] : []), `def ${f.name}(${params})${returns}:`, ...printStmts(f.body, '    ', o)];
}

/** The program's constants, then every function, helpers first; the entry carries `decorator` (e.g. `@compile`). */
export function printProgram(p: Program, o: PrintOptions = {}, decorator = '@compile'): string {
  const constants = p.constants.map((c) => `${c.name} = ${printExpr(c.value, o, 0)}`);
  const functions = [...p.helpers.map((h) => printFunction(h, o)), printFunction(p.entry, o, decorator)].map((lines) => lines.join('\n')).join('\n\n\n');
  return constants.length ? `${constants.join('\n')}\n\n\n${functions}` : functions;
}

/** The imports a module of these programs needs. */
export function moduleImports(programs: Program[]): string[] {
  const lines = ['import math'];
  const extra = new Set(programs.flatMap((p) => p.imports));
  for (const imp of ['import numpy as np', 'import numpy.typing as npt']) if (extra.has(imp)) lines.push(imp);
  return lines;
}

// ---- walking ------------------------------------------------------------------------------------------

export function childExprs(e: Expr): Expr[] {
  switch (e.k) {
    case 'lit': case 'name': case 'slice': return [];
    case 'bin': return [e.l, e.r];
    case 'unary': case 'paren': return [e.e];
    case 'walrus': return [e.value];
    case 'call': return e.args;
    case 'method': return [e.obj, ...e.args];
    case 'cmp': case 'boolop': case 'tuple': case 'list': return e.items;
    case 'ifexp': return [e.test, e.body, e.orelse];
    case 'index': return [e.e, e.i];
    case 'attr': return [e.obj];
    case 'comp': return [e.elt, e.iter, ...(e.cond ? [e.cond] : [])];
    case 'dictcomp': return [e.key, e.value, e.iter, ...(e.cond ? [e.cond] : [])];
    case 'dict': return [...e.keys, ...e.values];
    case 'set': return e.items;
    case 'fstr': return [];
  }
}

export function stmtExprs(s: Stmt): Expr[] {
  switch (s.k) {
    case 'assign': case 'aug': return [s.value];
    case 'setitem': return [s.index, s.value];
    case 'del': return [s.index];
    case 'expr': return [s.e];
    case 'if': case 'while': return [s.test];
    case 'for': return s.args;
    case 'forin': return [s.iter];
    case 'return': return [s.value];
    case 'assert': return [s.test];
    default: return [];
  }
}

export function stmtBlocks(s: Stmt): Stmt[][] {
  switch (s.k) {
    case 'if': case 'for': case 'while': return [s.body, s.orelse];
    case 'forin': return [s.body];
    default: return [];
  }
}

/** Names a function body reads (for dropping unused parameters and helpers). */
export function namesUsed(stmts: Stmt[], out = new Set<string>()): Set<string> {
  const visit = (e: Expr) => {
    if (e.k === 'name') out.add(e.id);
    if (e.k === 'walrus') out.add(e.target);
    if (e.k === 'call') out.add(e.fn);
    if (e.k === 'fstr') for (const p of e.parts) if ('name' in p) out.add(p.name);
    childExprs(e).forEach(visit);
  };
  for (const s of stmts) {
    stmtExprs(s).forEach(visit);
    if (s.k === 'aug') out.add(s.target);
    if (s.k === 'setitem' || s.k === 'del') out.add(s.obj);
    stmtBlocks(s).forEach((b) => namesUsed(b, out));
  }
  return out;
}
