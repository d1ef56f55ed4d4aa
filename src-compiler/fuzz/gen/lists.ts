/**
 * Lists and NumPy arrays, as the op registry supports them: list[int] and list[float] (indexing, len, sum,
 * min/max, in, count/index, append/extend/insert/pop/sort/reverse/clear, item stores, +=, slices, sorted,
 * list(), comprehensions, for-in loops, aliasing) and 1-D float64/int64 arrays (indexing, stores, len/.size/
 * .shape, creation, element-wise arithmetic with scalars and arrays, sqrt/abs/floor/maximum/minimum/where/
 * clip, reductions, slices, .tolist()). NumPy scalars are turned into Python numbers with float()/int() or
 * compared; NumPy's transcendental functions and float dot products are left out: NumPy may compute them
 * with its own SIMD code or BLAS, whose last bits the README documents as free to differ.
 */
import type { Expr, Stmt, Ty } from '../ast.ts';
import { sameTy } from '../ast.ts';
import type { ExprRule, Feature, Gen, StmtRule, Var } from './core.ts';
import { boundedInt } from './scalars.ts';

type ListTy = { list: 'int' | 'float' };
type ArrayTy = { array: 'float64' | 'int64' };

const lit = (text: string, ty: Ty): Expr => ({ k: 'lit', text, ty });
const name = (id: string): Expr => ({ k: 'name', id });
const call = (fn: string, ...args: Expr[]): Expr => ({ k: 'call', fn, args });
const method = (obj: Expr, m: string, ...args: Expr[]): Expr => ({ k: 'method', obj, name: m, args });

const isList = (t: Ty): t is ListTy => typeof t === 'object' && 'list' in t;
const isArray = (t: Ty): t is ArrayTy => typeof t === 'object' && 'array' in t;
const itemOf = (t: ListTy): Ty => t.list;
/** The Python number type of an array's items, once converted with float()/int(). */
const pyItemOf = (t: ArrayTy): Ty => (t.array === 'float64' ? 'float' : 'int');

const listVars = (g: Gen, pred: (t: ListTy) => boolean = () => true): Var[] => g.allVars((v) => isList(v.ty) && pred(v.ty));
const arrayVars = (g: Gen, pred: (t: ArrayTy) => boolean = () => true): Var[] => g.allVars((v) => isArray(v.ty) && pred(v.ty));
/** Lists no enclosing `for x in xs` iterates: their length may change. */
const growable = (g: Gen) => listVars(g).filter((v) => !g.iterating.has(v.name));

/** An index: small and mostly in range, sometimes negative or past the end (IndexError). */
function index(g: Gen, d: number): Expr {
  const r = g.rng;
  return r.weighted<() => Expr>([[() => lit(String(r.int(0, 3)), 'int'), 3], [() => lit(String(-r.int(1, 2)), 'int'), 1.5], [() => boundedInt(g, 7, d), 2], [() => g.expr('int', d), 0.3]])();
}

/** A sequence of the type: a variable, or a new one built from what is in scope. */
function seq(g: Gen, ty: Ty, d: number): Expr {
  return g.expr(ty, d);
}

const exprRules: ExprRule[] = [
  // ---- scalars out of lists and arrays ----
  {
    name: 'len', weight: 2, accepts: (t, g) => t === 'int' && (listVars(g).length + arrayVars(g).length > 0),
    build: (g) => {
      const v = g.rng.pick([...listVars(g), ...arrayVars(g)]);
      if (isArray(v.ty) && g.rng.chance(0.4)) return g.rng.chance(0.5) ? { k: 'attr', obj: name(v.name), name: 'size' } : { k: 'index', e: { k: 'attr', obj: name(v.name), name: 'shape' }, i: lit('0', 'int') };
      return call('len', name(v.name));
    },
  },
  {
    name: 'list item', weight: 4, accepts: (t, g) => listVars(g, (l) => l.list === t).length > 0,
    build: (g, ty, d) => ({ k: 'index', e: name(g.rng.pick(listVars(g, (l) => l.list === ty)).name), i: index(g, d) }),
  },
  {
    name: 'array item', weight: 4, accepts: (t, g) => arrayVars(g, (a) => pyItemOf(a) === t).length > 0,
    build: (g, ty, d) => call(ty === 'float' ? 'float' : 'int', { k: 'index', e: name(g.rng.pick(arrayVars(g, (a) => pyItemOf(a) === ty)).name), i: index(g, d) }),
  },
  {
    name: 'list reduction', weight: 3, accepts: (t, g) => listVars(g, (l) => l.list === t).length > 0,
    build: (g, ty) => {
      const v = g.rng.pick(listVars(g, (l) => l.list === ty));
      return call(g.rng.weighted<string>([['sum', ty === 'str' ? 0 : 3], ['min', 1], ['max', 1]]), name(v.name));
    },
  },
  {
    name: 'array reduction', weight: 3, accepts: (t, g) => (t === 'float' || t === 'int') && arrayVars(g).length > 0,
    build: (g, ty) => {
      const r = g.rng;
      const v = r.pick(arrayVars(g));
      const a = v.ty as ArrayTy;
      const red = r.weighted<string>([['sum', 3], ['min', 1], ['max', 1], ['mean', a.array === 'float64' ? 1 : 0], ['argmax', 0.5], ['argmin', 0.5], ['prod', 0.5]]);
      const e = r.chance(0.5) ? method(name(v.name), red) : call(`np.${red}`, name(v.name));
      return call(ty === 'float' ? 'float' : 'int', e);
    },
  },
  {
    name: 'int dot', weight: 0.5, accepts: (t, g) => t === 'int' && arrayVars(g, (a) => a.array === 'int64').length > 0,
    build: (g) => {
      const v = g.rng.pick(arrayVars(g, (a) => a.array === 'int64'));
      return call('int', call('np.dot', name(v.name), name(v.name)));
    },
  },
  {
    name: 'in/count/index', weight: 2, accepts: (t, g) => (t === 'bool' || t === 'int') && listVars(g).length > 0,
    build: (g, ty, d) => {
      const v = g.rng.pick(listVars(g));
      const item = g.expr(itemOf(v.ty as ListTy), d);
      if (ty === 'bool') return { k: 'cmp', ops: [g.rng.chance(0.8) ? 'in' : 'not in'], items: [item, name(v.name)] };
      return method(name(v.name), g.rng.chance(0.6) ? 'count' : 'index', item);
    },
  },
  {
    name: 'any/all', weight: 1, accepts: (t, g) => t === 'bool' && listVars(g).length > 0,
    build: (g) => call(g.rng.pick(['any', 'all']), name(g.rng.pick(listVars(g)).name)),
  },
  {
    name: 'array compare', weight: 1.5, accepts: (t, g) => t === 'bool' && arrayVars(g).length > 0,
    build: (g, _t, d) => {
      const v = g.rng.pick(arrayVars(g));
      return { k: 'cmp', ops: [g.rng.pick(['<', '>=', '==', '!='] as const)], items: [{ k: 'index', e: name(v.name), i: index(g, d) }, g.expr(pyItemOf(v.ty as ArrayTy), d)] };
    },
  },
  {
    name: 'pop', weight: 1, accepts: (t, g) => growable(g).some((v) => itemOf(v.ty as ListTy) === t),
    build: (g, ty) => {
      const v = g.rng.pick(growable(g).filter((x) => itemOf(x.ty as ListTy) === ty));
      return g.rng.chance(0.7) ? method(name(v.name), 'pop') : method(name(v.name), 'pop', lit(String(g.rng.int(-2, 2)), 'int'));
    },
  },
  // ---- lists ----
  {
    name: 'list value', weight: 6, accepts: isList,
    build: (g, ty, d) => {
      const r = g.rng;
      const t = ty as ListTy;
      const same = listVars(g, (l) => l.list === t.list);
      const src = same.length ? name(r.pick(same).name) : undefined;
      const choices: [() => Expr | undefined, number][] = [
        [() => ({ k: 'list', items: Array.from({ length: r.int(0, 4) }, () => g.expr(t.list, d)) }), 3],
        [() => src && call('sorted', src), 1],
        [() => src && call('list', src), 1],
        [() => src && { k: 'index', e: src, i: sliceExpr(g) } as Expr, 1.5],
        [() => src && { k: 'bin', op: '+', l: src, r: { k: 'list', items: [g.expr(t.list, d)] } } as Expr, 1],
        [() => src && { k: 'bin', op: '*', l: src, r: lit(String(r.int(0, 3)), 'int') } as Expr, 0.5],
        [() => comprehension(g, t, d), 2],
        [() => {
          const arr = arrayVars(g, (a) => pyItemOf(a) === t.list);
          return arr.length ? method(name(r.pick(arr).name), 'tolist') : undefined;
        }, 1],
      ];
      return r.weighted(choices)();
    },
  },
  // ---- arrays ----
  {
    name: 'array value', weight: 6, accepts: isArray,
    build: (g, ty, d) => {
      const r = g.rng;
      const t = ty as ArrayTy;
      const same = arrayVars(g, (a) => a.array === t.array);
      const src = same.length ? name(r.pick(same).name) : undefined;
      const scalar = () => g.expr(pyItemOf(t), d + 1);
      const float = t.array === 'float64';
      const choices: [() => Expr | undefined, number][] = [
        [() => float ? call(r.pick(['np.zeros', 'np.ones']), boundedInt(g, 7, d)) : call('np.arange', boundedInt(g, 7, d)), 1.5],
        [() => call('np.full', boundedInt(g, 5, d), scalar()), 0.7],
        [() => {
          const lists = listVars(g, (l) => l.list === pyItemOf(t));
          return lists.length ? call('np.array', name(r.pick(lists).name)) : undefined;
        }, 1],
        [() => src && { k: 'bin', op: r.pick(float ? ['+', '-', '*', '/'] as const : ['+', '-', '*', '//', '%'] as const), l: src, r: r.chance(0.6) ? scalar() : src }, 3],
        [() => src && { k: 'bin', op: r.pick(['+', '*'] as const), l: scalar(), r: src }, 1],
        [() => src && { k: 'unary', op: '-', e: src }, 0.5],
        [() => src && call(r.pick(float ? ['np.sqrt', 'np.abs', 'np.floor', 'np.ceil'] : ['np.abs']), src), 2],
        [() => src && call(r.pick(['np.maximum', 'np.minimum']), src, r.chance(0.5) ? scalar() : src), 1.5],
        [() => src && call('np.where', { k: 'cmp', ops: [r.pick(['>', '<'] as const)], items: [src, scalar()] }, src, scalar()), 1],
        [() => src && call('np.clip', src, scalar(), scalar()), 0.7],
        [() => src && { k: 'index', e: src, i: sliceExpr(g) } as Expr, 1.5],
        [() => src && method(src, 'copy'), 0.5],
      ];
      return r.weighted(choices)();
    },
  },
];

/** `[a:b]`, `[::2]`, `[::-1]`, `[1:]`: a slice as an index expression (printed as Python's slice syntax). */
function sliceExpr(g: Gen): Expr {
  const r = g.rng;
  return { k: 'slice', text: r.pick(['1:', ':2', '::2', '::-1', '1:-1', '-2:', `${r.int(0, 2)}:${r.int(1, 5)}`]) };
}

function comprehension(g: Gen, t: ListTy, d: number): Expr | undefined {
  const sources = listVars(g);
  if (!sources.length) return undefined;
  const src = g.rng.pick(sources);
  const v = g.fresh('e');
  const saved = g.scope;
  g.scope = { defs: [...saved.defs, { name: v, ty: itemOf(src.ty as ListTy), readonly: true }], maybe: [...saved.maybe] };
  try {
    const elt = g.expr(t.list, d + 1);
    const cond = g.rng.chance(0.3) ? g.expr('bool', d + 1) : undefined;
    return { k: 'comp', elt, v, iter: name(src.name), cond };
  } finally {
    g.scope = saved;
  }
}

const stmtRules: StmtRule[] = [
  {
    name: 'new list/array', weight: 3,
    build: (g) => {
      const ty = g.rng.weighted<Ty>([[{ list: 'int' }, 1], [{ list: 'float' }, 1], [{ array: 'float64' }, 1], [{ array: 'int64' }, 0.7]]);
      const value = seq(g, ty, 1);
      return [{ k: 'assign', targets: [g.define(g.fresh('s'), ty).name], value }];
    },
  },
  {
    // Another name for the same list: a store through one is seen through the other.
    name: 'alias', weight: 0.4, when: (g) => listVars(g).length > 0,
    build: (g) => {
      const v = g.rng.pick(listVars(g));
      return [{ k: 'assign', targets: [g.define(g.fresh('s'), v.ty).name], value: name(v.name) }];
    },
  },
  {
    name: 'list mutation', weight: 5, when: (g) => growable(g).length > 0,
    build: (g) => {
      const r = g.rng;
      const v = r.pick(growable(g));
      const t = v.ty as ListTy;
      const item = () => g.expr(t.list, 1);
      const others = listVars(g, (l) => l.list === t.list);
      const stmt = r.weighted<() => Stmt>([
        [() => ({ k: 'expr', e: method(name(v.name), 'append', item()) }), 4],
        [() => ({ k: 'expr', e: method(name(v.name), 'insert', index(g, 1), item()) }), 1],
        [() => ({ k: 'expr', e: method(name(v.name), 'extend', name(r.pick(others).name)) }), 1],
        [() => ({ k: 'expr', e: method(name(v.name), 'pop') }), 1],
        [() => ({ k: 'expr', e: method(name(v.name), r.pick(['sort', 'reverse'])) }), 1.5],
        [() => ({ k: 'expr', e: method(name(v.name), 'clear') }), 0.3],
        [() => ({ k: 'aug', target: v.name, op: '+', value: { k: 'list', items: [item()] }, ty: v.ty }), 1],
      ])();
      return [stmt];
    },
  },
  {
    name: 'item store', weight: 3, when: (g) => listVars(g).length + arrayVars(g).length > 0,
    build: (g) => {
      const v = g.rng.pick([...listVars(g), ...arrayVars(g)]);
      const value = g.expr(isList(v.ty) ? itemOf(v.ty) : pyItemOf(v.ty as ArrayTy), 1);
      return [{ k: 'setitem', obj: v.name, index: index(g, 1), value }];
    },
  },
  {
    name: 'array update', weight: 1.5, when: (g) => arrayVars(g).length > 0,
    build: (g) => {
      const v = g.rng.pick(arrayVars(g));
      const a = v.ty as ArrayTy;
      const op = g.rng.pick(a.array === 'float64' ? ['+', '-', '*'] as const : ['+', '-', '*'] as const);
      return [{ k: 'aug', target: v.name, op, value: g.expr(pyItemOf(a), 1), ty: v.ty }];
    },
  },
  {
    name: 'for in list', weight: 3, when: (g) => g.loopDepth < 2 && g.budget > 1 && listVars(g).length > 0,
    build: (g) => {
      const src = g.rng.pick(listVars(g));
      const v = g.fresh('e');
      g.loopDepth++;
      const wasIterating = g.iterating.has(src.name);
      g.iterating.add(src.name);
      // Aliases of the list may not change length either: any list of the same item type is frozen while iterating.
      const frozen = listVars(g, (l) => sameTy(l, src.ty)).map((x) => x.name).filter((n) => !g.iterating.has(n));
      frozen.forEach((n) => g.iterating.add(n));
      const body = g.nested(() => {
        g.define(v, itemOf(src.ty as ListTy));
        return g.block(g.rng.int(1, 3));
      });
      frozen.forEach((n) => g.iterating.delete(n));
      if (!wasIterating) g.iterating.delete(src.name);
      g.loopDepth--;
      g.scope.maybe.push({ name: v, ty: itemOf(src.ty as ListTy) });
      return [{ k: 'forin', v, iter: name(src.name), body }];
    },
  },
];

export const lists: Feature = {
  name: 'lists',
  summary: 'list[int], list[float] and 1-D float64/int64 NumPy arrays: indexing, stores, methods, slices, comprehensions, for-in, creation, element-wise ops, reductions',
  paramTypes: [[{ list: 'int' }, 2], [{ list: 'float' }, 2], [{ array: 'float64' }, 2], [{ array: 'int64' }, 1.5]],
  localTypes: [[{ list: 'int' }, 0.6], [{ list: 'float' }, 0.6], [{ array: 'float64' }, 0.5], [{ array: 'int64' }, 0.3]],
  exprs: exprRules,
  stmts: stmtRules,
  imports: ['import numpy as np', 'import numpy.typing as npt'],
};
