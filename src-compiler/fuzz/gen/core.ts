/**
 * The generator's machinery, shared by every feature module: scopes of typed variables, the choice of an
 * expression or statement among the rules the enabled features offer, literals, and the shape of a program
 * (an entry function, helpers it calls, a recursive helper).
 *
 * Programs are valid Python that CPython runs without a TypeError: every expression is built for a type
 * (`Ty`), and a rule is only used where Python accepts its operands. Loops and recursion are bounded by
 * construction (`range((e & 7))`, a counter in every while loop, a depth `n & 7`), whatever the inputs, so
 * the inputs can be any value of their type, edges included. A program may be "mixed" (`Gen.mixed`): then it
 * also holds numbers whose type depends on the path (`num`), as real code does (`return 0` on one path,
 * `return total / n` on another); those are what Kiln refuses today, counted as refusals by reason.
 */
import { Rng } from '../prng.ts';
import { sameTy, tyText, type Expr, type FuncDef, type Param, type Stmt, type Ty } from '../ast.ts';

export interface ExprRule {
  name: string;
  weight: number;
  /** Whether this rule can give a value of type `ty` here. */
  accepts(ty: Ty, g: Gen): boolean;
  build(g: Gen, ty: Ty, depth: number): Expr | undefined;
}

export interface StmtRule {
  name: string;
  weight: number;
  when?(g: Gen): boolean;
  build(g: Gen): Stmt[] | undefined;
}

/** One feature of the language: the types it adds and the expressions and statements that use them. */
export interface Feature {
  name: string;
  summary: string;
  /** Entry parameter types this feature adds, with weights. */
  paramTypes: [Ty, number][];
  /** Types of new local variables, with weights (`mixed` programs only for 'num'). */
  localTypes: [Ty, number][];
  exprs: ExprRule[];
  stmts: StmtRule[];
  /** Python imports beyond `math`, when a program uses the feature. */
  imports?: string[];
  /** Return types of the entry this feature adds (entry results cross the ABI), with weights. */
  returnTypes?: [Ty, number][];
  /** A literal (or the plainest construction) of a type this feature adds: `'ab'`, `{}`, `set()`. */
  literal?(g: Gen, ty: Ty): Expr | undefined;
}

export interface Var {
  name: string;
  /** Mutable: a mixed program may change a variable's type (its uses then see `num`). */
  ty: Ty;
  /** A loop counter or a recursion depth: read, never reassigned (it bounds the loop). */
  readonly?: boolean;
}

interface Scope {
  /** Assigned on every path to here. */
  defs: Var[];
  /** Assigned on some path only: reading one may raise UnboundLocalError (as CPython does). */
  maybe: Var[];
}

export interface HelperSig {
  name: string;
  params: Ty[];
  ret: Ty;
  /** Parameters that bound a recursion: callers pass `(e & 15)` or a small literal. */
  depthParams?: number[];
}

export interface GenOptions {
  /** Share of programs that may hold path-dependent number types (default 0.3). */
  mixedRate?: number;
}

export class Gen {
  readonly rng: Rng;
  readonly features: Feature[];
  readonly mixed: boolean;
  readonly entryName: string;
  helpers: HelperSig[] = [];
  /** The program's module-level constants: read anywhere, never assigned. */
  constants: Var[] = [];
  scope: Scope = { defs: [], maybe: [] };
  loopDepth = 0;
  /** Lists being iterated by an enclosing `for x in xs`: no statement may grow or shrink them. */
  iterating = new Set<string>();
  budget = 0;
  returnTy: Ty = 'int';
  /** The function being generated; a recursive helper's own name is callable inside it. */
  current = '';
  maxDepth = 3;
  private counters = new Map<string, number>();
  /** Features that the program used (their imports go into the module). */
  used = new Set<string>();

  constructor(rng: Rng, features: Feature[], mixed: boolean, entryName: string) {
    this.rng = rng;
    this.features = features;
    this.mixed = mixed;
    this.entryName = entryName;
  }

  fresh(base: string): string {
    const n = this.counters.get(base) ?? 0;
    this.counters.set(base, n + 1);
    return `${base}${n}`;
  }

  // ---- scopes -----------------------------------------------------------------------------------------

  define(name: string, ty: Ty): Var {
    const existing = this.scope.defs.find((v) => v.name === name) ?? this.scope.maybe.find((v) => v.name === name);
    if (existing) {
      existing.ty = sameTy(existing.ty, ty) ? existing.ty : 'num';
      if (!this.scope.defs.includes(existing)) this.scope.defs.push(existing);
      return existing;
    }
    const v = { name, ty };
    this.scope.defs.push(v);
    return v;
  }

  /** Runs `body` in a nested block: what it defines is only maybe-defined after it. */
  nested<T>(body: () => T): T {
    const outer = this.scope;
    this.scope = { defs: [...outer.defs], maybe: [...outer.maybe] };
    try {
      return body();
    } finally {
      const inner = this.scope;
      this.scope = outer;
      for (const v of [...inner.defs, ...inner.maybe]) {
        if (!outer.defs.includes(v) && !outer.maybe.includes(v)) outer.maybe.push(v);
      }
    }
  }

  varsOf(ty: Ty, opts: { maybe?: boolean } = {}): Var[] {
    const ok = (v: Var) => sameTy(v.ty, ty);
    return [...this.scope.defs.filter(ok), ...(opts.maybe ? this.scope.maybe.filter(ok) : [])];
  }

  allVars(pred: (v: Var) => boolean = () => true): Var[] {
    return this.scope.defs.filter(pred);
  }

  /** Variables a statement may assign. */
  writable(pred: (v: Var) => boolean = () => true): Var[] {
    return this.scope.defs.filter((v) => !v.readonly && pred(v));
  }

  // ---- types --------------------------------------------------------------------------------------------

  /** A numeric operand type: int, float or bool, and in a mixed program sometimes a path-dependent number. */
  numTy(): Ty {
    return this.rng.weighted<Ty>([['int', 4], ['float', 4], ['bool', 1], ['num', this.mixed ? 1.5 : 0]]);
  }

  /** An operand for int-only operations (shifts, bitwise, range): int, sometimes bool. */
  intTy(): Ty {
    return this.rng.chance(0.85) ? 'int' : 'bool';
  }

  localTy(): Ty {
    const all = this.features.flatMap((f) => f.localTypes).filter(([t]) => this.mixed || t !== 'num');
    return this.rng.weighted(all);
  }

  // ---- expressions -----------------------------------------------------------------------------------

  expr(ty: Ty, depth = 0): Expr {
    const leafChance = depth >= this.maxDepth ? 1 : [0.15, 0.35, 0.55, 0.8][depth] ?? 0.9;
    if (this.rng.chance(leafChance)) return this.leaf(ty, depth);
    const rules = this.features.flatMap((f) => f.exprs.map((r) => [r, f] as const)).filter(([r]) => r.accepts(ty, this));
    for (let tries = 0; tries < 4 && rules.length; tries++) {
      const [rule, feature] = this.rng.weighted(rules.map((rf) => [rf, rf[0].weight] as const));
      const e = rule.build(this, ty, depth + 1);
      if (e) {
        this.used.add(feature.name);
        return e;
      }
    }
    return this.leaf(ty, depth);
  }

  /** A variable of the type (rarely one that may be unbound), else a literal or a small construction. */
  leaf(ty: Ty, depth = this.maxDepth): Expr {
    const vars = this.varsOf(ty);
    const maybe = this.scope.maybe.filter((v) => sameTy(v.ty, ty));
    if (maybe.length && this.rng.chance(0.03)) return { k: 'name', id: this.rng.pick(maybe).name };
    const consts = this.constants.filter((v) => sameTy(v.ty, ty));
    if (consts.length && this.rng.chance(0.25)) return { k: 'name', id: this.rng.pick(consts).name };
    if (vars.length && this.rng.chance(0.75)) return { k: 'name', id: this.rng.pick(vars).name };
    if (typeof ty === 'object' && 'tuple' in ty) return { k: 'tuple', items: ty.tuple.map((t) => this.leaf(t, depth)) };
    if (ty === 'num') {
      // A number whose type depends on the path: the smallest one is an int on one branch, a float on the other.
      const c = this.leaf('bool', depth);
      return this.rng.chance(0.5) ? { k: 'ifexp', test: c, body: this.literal('int'), orelse: this.literal('float') } : { k: 'ifexp', test: c, body: this.literal('float'), orelse: this.literal('int') };
    }
    if (typeof ty === 'object' && 'list' in ty) return { k: 'list', items: Array.from({ length: this.rng.int(0, 3) }, () => this.literal(ty.list)) };
    if (typeof ty === 'object' && 'array' in ty) {
      const item = ty.array === 'float64' ? 'float' : 'int';
      return { k: 'call', fn: 'np.array', args: [{ k: 'list', items: Array.from({ length: this.rng.int(1, 4) }, () => this.literal(item)) }] };
    }
    return this.literal(ty);
  }

  /** A literal of a type some feature adds (str, dict, set). */
  private featureLiteral(ty: Ty): Expr | undefined {
    for (const f of this.features) {
      const e = f.literal?.(this, ty);
      if (e) {
        this.used.add(f.name);
        return e;
      }
    }
    return undefined;
  }

  literal(ty: Ty): Expr {
    const r = this.rng;
    if (ty === 'bool') return { k: 'lit', text: r.chance(0.5) ? 'True' : 'False', ty };
    if (ty === 'int' || ty === 'num') {
      const v = r.weighted<bigint>([
        [BigInt(r.int(0, 10)), 8], [BigInt(-r.int(1, 5)), 3], [BigInt(r.int(11, 1000)), 2],
        [2n ** 31n, 0.5], [2n ** 32n - 1n, 0.3], [2n ** 53n + 1n, 0.5], [2n ** 62n, 0.7], [2n ** 63n - 1n, 1], [-(2n ** 63n), 1],
        [-(2n ** 63n) + 1n, 0.3], [-(2n ** 31n), 0.3], [BigInt(r.int(-100000, 100000)), 1],
      ]);
      return { k: 'lit', text: intText(v, r), ty: 'int' };
    }
    if (ty === 'float') {
      const text = r.weighted<string>([
        [`${r.int(0, 9)}.${r.pick(['0', '5', '25', '75', '1', '3'])}`, 6], ['0.0', 2], ['-0.0', 2], ['1.0', 1], ['-1.0', 1],
        ['0.1', 1], ['1e+300', 0.7], ['-1e+300', 0.3], ['1.7976931348623157e+308', 0.7], ['5e-324', 0.7], ['1e-300', 0.5],
        ['9007199254740993.0', 0.5], ['1e+16', 0.5], ['4.5e+18', 0.5], ['9.223372036854776e+18', 0.7], ['-9.223372036854776e+18', 0.5],
        ['math.inf', 1], ['-math.inf', 1], ['math.nan', 1.2], ['1e999', 0.3], ['math.pi', 0.5], ['math.e', 0.2], ['math.tau', 0.2],
        [`-${r.int(1, 99)}.${r.pick(['5', '25', '125'])}`, 2], ['2.5', 1], ['0.5', 1], ['-2.5', 0.5], ['3.5', 0.5],
      ]);
      return { k: 'lit', text, ty: 'float' };
    }
    const e = this.featureLiteral(ty);
    if (e) return e;
    throw new Error(`internal: no literal of type ${tyText(ty)}`);
  }

  // ---- statements ------------------------------------------------------------------------------------

  /** `n` statements (fewer when the function's budget runs out). */
  block(n: number): Stmt[] {
    const out: Stmt[] = [];
    for (let i = 0; i < n && this.budget > 0; i++) {
      const rules = this.features.flatMap((f) => f.stmts.map((r) => [r, f] as const)).filter(([r]) => !r.when || r.when(this));
      for (let tries = 0; tries < 4; tries++) {
        const [rule, feature] = this.rng.weighted(rules.map((rf) => [rf, rf[0].weight] as const));
        const s = rule.build(this);
        if (s) {
          this.budget -= 1;
          this.used.add(feature.name);
          out.push(...s);
          break;
        }
      }
    }
    return out;
  }

  // ---- functions -------------------------------------------------------------------------------------

  /** A function body: statements, then a return of `ret` on the last line. */
  functionBody(params: Param[], ret: Ty, budget: number): Stmt[] {
    this.scope = { defs: params.map((p) => ({ name: p.name, ty: p.ty })), maybe: [] };
    this.loopDepth = 0;
    this.iterating = new Set();
    this.budget = budget;
    this.returnTy = ret;
    const body = this.block(budget);
    body.push({ k: 'return', value: this.returnValue(0) });
    return body;
  }

  /**
   * The value of a return statement: the function's type, or in a mixed program's entry sometimes another number
   * type (a helper's callers rely on its type: a helper whose type varies is typed `num` from the start).
   */
  returnValue(depth: number): Expr {
    if (this.mixed && this.current === this.entryName && isNumberTy(this.returnTy) && this.rng.chance(0.15)) return this.expr(this.rng.pick<Ty>(['int', 'float']), depth);
    return this.expr(this.returnTy, depth);
  }
}

export const isNumberTy = (t: Ty): boolean => t === 'int' || t === 'float' || t === 'num';

/** An int literal as Python source: decimal mostly, sometimes hex, binary or with underscores. */
export function intText(v: bigint, r: Rng): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const body = r.weighted<string>([
    [a.toString(), 10], [`0x${a.toString(16)}`, a > 255n ? 1 : 0.2], [`0b${a.toString(2)}`, a < 64n ? 0.3 : 0],
    [a.toString().replace(/\B(?=(\d{3})+(?!\d))/g, '_'), a >= 10000n ? 0.5 : 0],
  ]);
  return neg ? `-${body}` : body;
}

/** Annotation text of a type, as a parameter or a return annotation. */
export function annotationOf(t: Ty): string {
  if (t === 'num') return 'float';
  return tyText(t);
}

export function helperDef(name: string, params: Param[], ret: Ty, body: Stmt[], annotate: boolean): FuncDef {
  return { name, params, returns: annotate ? annotationOf(ret) : undefined, body };
}
