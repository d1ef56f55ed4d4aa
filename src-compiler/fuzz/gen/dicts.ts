/**
 * Dicts and sets as local values (they do not cross the ABI yet): dict[int|str, int|float|str] and
 * set[int|str] from displays, comprehensions and set(list); d[k] (KeyError), get, setdefault, pop with and
 * without default, del, update, clear, copy, `in`, len, sorted()/list()/sum()/max() of keys and values (so
 * insertion order and, for sets of ints, CPython's hash order are compared), equality; set add/discard/remove/
 * pop; loops over keys and items. String keys need the strings feature; without it keys are ints.
 * A container being iterated is never resized in the loop (CPython calls that undefined beyond its RuntimeError).
 */
import type { Expr, KeyTy, Stmt, Ty } from '../ast.ts';
import { sameTy } from '../ast.ts';
import type { ExprRule, Feature, Gen, StmtRule, Var } from './core.ts';
import { boundedInt } from './scalars.ts';

type DictTy = { dict: [KeyTy, 'int' | 'float' | 'str'] };
type SetTy = { set: KeyTy };

const lit = (text: string, ty: Ty): Expr => ({ k: 'lit', text, ty });
const name = (id: string): Expr => ({ k: 'name', id });
const call = (fn: string, ...args: Expr[]): Expr => ({ k: 'call', fn, args });
const method = (obj: Expr, m: string, ...args: Expr[]): Expr => ({ k: 'method', obj, name: m, args });

const isDict = (t: Ty): t is DictTy => typeof t === 'object' && 'dict' in t;
const isSet = (t: Ty): t is SetTy => typeof t === 'object' && 'set' in t;
const dictVars = (g: Gen, pred: (t: DictTy) => boolean = () => true): Var[] => g.allVars((v) => isDict(v.ty) && pred(v.ty));
const setVars = (g: Gen, pred: (t: SetTy) => boolean = () => true): Var[] => g.allVars((v) => isSet(v.ty) && pred(v.ty));
/** Containers no enclosing loop iterates: they may grow or shrink. */
const resizable = (vars: Var[], g: Gen) => vars.filter((v) => !g.iterating.has(v.name));
const hasStrings = (g: Gen) => g.features.some((f) => f.name === 'strings');

/** A key likely to be present: small ints (keys are built from small ints too) or short strings. */
function key(g: Gen, kt: KeyTy, d: number): Expr {
  const r = g.rng;
  if (kt === 'int') return r.chance(0.7) ? boundedInt(g, 7, d) : g.expr('int', d + 1);
  return r.chance(0.7) ? lit(r.pick(["'a'", "'b'", "'ab'", "''", "'ß'", "'x'"]), 'str') : g.expr('str', d + 1);
}

function keyTy(g: Gen): KeyTy {
  return hasStrings(g) && g.rng.chance(0.4) ? 'str' : 'int';
}

function containerTy(g: Gen): Ty {
  const r = g.rng;
  const vals: ['int' | 'float' | 'str', number][] = [['int', 3], ['float', 1.5], ['str', hasStrings(g) ? 1 : 0]];
  return r.chance(0.6) ? { dict: [keyTy(g), r.weighted(vals)] } : { set: keyTy(g) };
}

/** A new dict or set: a display, a comprehension over a list, set(list), a copy. */
function containerValue(g: Gen, ty: DictTy | SetTy, d: number): Expr | undefined {
  const r = g.rng;
  const kt = isDict(ty) ? ty.dict[0] : ty.set;
  const same = g.allVars((v) => sameTy(v.ty, ty));
  const lists = g.allVars((v) => typeof v.ty === 'object' && 'list' in v.ty && v.ty.list === kt);
  const choices: [() => Expr | undefined, number][] = [
    [() => (isDict(ty)
      ? { k: 'dict', keys: Array.from({ length: r.int(0, 4) }, () => key(g, kt, d)), values: [] }
      : { k: 'set', items: Array.from({ length: r.int(1, 4) }, () => key(g, kt, d)) }), 3],
    [() => same.length ? method(name(r.pick(same).name), 'copy') : undefined, 0.7],
    [() => {
      if (!lists.length) return undefined;
      const src = r.pick(lists);
      const v = g.fresh('e');
      const saved = g.scope;
      g.scope = { defs: [...saved.defs, { name: v, ty: kt, readonly: true }], maybe: [...saved.maybe] };
      try {
        const cond = r.chance(0.3) ? g.expr('bool', d + 1) : undefined;
        if (isDict(ty)) return { k: 'dictcomp', key: name(v), value: g.expr(ty.dict[1], d + 1), v, iter: name(src.name), cond };
        return r.chance(0.5) ? call('set', name(src.name)) : { k: 'comp', elt: kt === 'int' ? { k: 'bin', op: '%', l: name(v), r: lit('5', 'int') } : name(v), v, iter: name(src.name), cond, set: true };
      } finally {
        g.scope = saved;
      }
    }, 2],
  ];
  const e = r.weighted(choices)();
  // A dict display's values, once its keys are known.
  if (e && e.k === 'dict' && isDict(ty)) e.values = e.keys.map(() => g.expr(ty.dict[1], d + 1));
  return e;
}

const exprRules: ExprRule[] = [
  {
    name: 'dict item', weight: 3, accepts: (t, g) => dictVars(g, (x) => x.dict[1] === t).length > 0,
    build: (g, ty, d) => {
      const v = g.rng.pick(dictVars(g, (x) => x.dict[1] === ty));
      const kt = (v.ty as DictTy).dict[0];
      return g.rng.chance(0.5) ? { k: 'index', e: name(v.name), i: key(g, kt, d) } : method(name(v.name), 'get', key(g, kt, d), g.expr(ty, d));
    },
  },
  {
    name: 'pop with default', weight: 1, accepts: (t, g) => resizable(dictVars(g, (x) => x.dict[1] === t), g).length > 0,
    build: (g, ty, d) => {
      const v = g.rng.pick(resizable(dictVars(g, (x) => x.dict[1] === ty), g));
      const k = key(g, (v.ty as DictTy).dict[0], d);
      return g.rng.chance(0.7) ? method(name(v.name), 'pop', k, g.expr(ty, d)) : method(name(v.name), 'pop', k);
    },
  },
  {
    name: 'setdefault', weight: 0.7, accepts: (t, g) => resizable(dictVars(g, (x) => x.dict[1] === t), g).length > 0,
    build: (g, ty, d) => {
      const v = g.rng.pick(resizable(dictVars(g, (x) => x.dict[1] === ty), g));
      return method(name(v.name), 'setdefault', key(g, (v.ty as DictTy).dict[0], d), g.expr(ty, d));
    },
  },
  {
    name: 'len', weight: 2, accepts: (t, g) => t === 'int' && dictVars(g).length + setVars(g).length > 0,
    build: (g) => call('len', name(g.rng.pick([...dictVars(g), ...setVars(g)]).name)),
  },
  {
    name: 'in', weight: 2.5, accepts: (t, g) => t === 'bool' && dictVars(g).length + setVars(g).length > 0,
    build: (g, _t, d) => {
      const v = g.rng.pick([...dictVars(g), ...setVars(g)]);
      const kt = isDict(v.ty) ? v.ty.dict[0] : (v.ty as SetTy).set;
      return { k: 'cmp', ops: [g.rng.chance(0.8) ? 'in' : 'not in'], items: [key(g, kt, d), name(v.name)] };
    },
  },
  {
    name: 'equality', weight: 0.5, accepts: (t, g) => t === 'bool' && dictVars(g).length + setVars(g).length > 0,
    build: (g) => {
      const v = g.rng.pick([...dictVars(g), ...setVars(g)]);
      const same = g.allVars((x) => sameTy(x.ty, v.ty));
      return { k: 'cmp', ops: [g.rng.pick(['==', '!='] as const)], items: [name(v.name), name(g.rng.pick(same).name)] };
    },
  },
  {
    // Reductions over keys and values: sum/max/min see every item, in iteration order where it matters.
    name: 'reduce', weight: 2, accepts: (t, g) => (t === 'int' || t === 'float') && (dictVars(g, (x) => x.dict[1] === t || x.dict[0] === t).length + setVars(g, (x) => x.set === t).length > 0),
    build: (g, ty) => {
      const r = g.rng;
      const srcs: Expr[] = [
        ...dictVars(g, (x) => x.dict[1] === ty).map((v) => method(name(v.name), 'values')),
        ...dictVars(g, (x) => x.dict[0] === ty).map((v) => name(v.name)),
        ...setVars(g, (x) => x.set === ty).map((v) => name(v.name)),
      ];
      return call(r.weighted<string>([['sum', 3], ['max', 1], ['min', 1]]), r.pick(srcs));
    },
  },
  {
    // Lists of keys or values, in the container's iteration order (insertion order; hash order for sets of ints).
    name: 'to list', weight: 3, accepts: (t, g) => typeof t === 'object' && 'list' in t && (dictVars(g, (x) => x.dict[0] === t.list || x.dict[1] === t.list).length + setVars(g, (x) => x.set === t.list).length > 0),
    build: (g, ty) => {
      const r = g.rng;
      const item = (ty as { list: string }).list;
      const srcs: Expr[] = [
        ...dictVars(g, (x) => x.dict[0] === item).flatMap((v) => [name(v.name), method(name(v.name), 'keys')]),
        ...dictVars(g, (x) => x.dict[1] === item).map((v) => method(name(v.name), 'values')),
        // Sets of str iterate in an order CPython randomises per run: only sorted.
        ...setVars(g, (x) => x.set === item).map((v) => name(v.name)),
      ];
      const src = r.pick(srcs);
      const unordered = src.k === 'name' && g.allVars((v) => v.name === src.id && isSet(v.ty) && v.ty.set === 'str').length > 0;
      return call(unordered || r.chance(0.5) ? 'sorted' : 'list', src);
    },
  },
  {
    name: 'dict/set value', weight: 5, accepts: (t) => isDict(t) || isSet(t),
    build: (g, ty, d) => containerValue(g, ty as DictTy | SetTy, d),
  },
];

const stmtRules: StmtRule[] = [
  {
    name: 'new dict/set', weight: 3,
    build: (g) => {
      const ty = containerTy(g) as DictTy | SetTy;
      const value = containerValue(g, ty, 1);
      if (!value) return undefined;
      return [{ k: 'assign', targets: [g.define(g.fresh('m'), ty).name], value }];
    },
  },
  {
    name: 'store', weight: 4, when: (g) => dictVars(g).length > 0,
    build: (g) => {
      const r = g.rng;
      // Storing to an existing key keeps the size; a new key resizes, so only dicts no loop iterates.
      const v = r.pick(resizable(dictVars(g), g).length ? resizable(dictVars(g), g) : dictVars(g));
      const [kt, vt] = (v.ty as DictTy).dict;
      if (g.iterating.has(v.name)) return undefined;
      const k = key(g, kt, 1);
      // The counting idiom: d[k] = d.get(k, 0) + 1.
      if (vt !== 'str' && r.chance(0.4)) return [{ k: 'setitem', obj: v.name, index: k, value: { k: 'bin', op: '+', l: method(name(v.name), 'get', structuredClone(k), lit(vt === 'int' ? '0' : '0.0', vt)), r: g.expr(vt, 1) } }];
      return [{ k: 'setitem', obj: v.name, index: k, value: g.expr(vt, 1) }];
    },
  },
  {
    name: 'mutate', weight: 3, when: (g) => resizable([...dictVars(g), ...setVars(g)], g).length > 0,
    build: (g) => {
      const r = g.rng;
      const v = r.pick(resizable([...dictVars(g), ...setVars(g)], g));
      const obj = name(v.name);
      const same = g.allVars((x) => sameTy(x.ty, v.ty));
      if (isDict(v.ty)) {
        const kt = v.ty.dict[0];
        return [r.weighted<() => Stmt>([
          [() => ({ k: 'del', obj: v.name, index: key(g, kt, 1) }), 2],
          [() => ({ k: 'expr', e: method(obj, 'pop', key(g, kt, 1)) }), 1],
          [() => ({ k: 'expr', e: method(obj, 'update', name(r.pick(same).name)) }), 1],
          [() => ({ k: 'expr', e: method(obj, 'clear') }), 0.3],
        ])()];
      }
      const kt = (v.ty as SetTy).set;
      const lists = g.allVars((x) => typeof x.ty === 'object' && 'list' in x.ty && x.ty.list === kt);
      return [r.weighted<() => Stmt | undefined>([
        [() => ({ k: 'expr', e: method(obj, 'add', key(g, kt, 1)) }), 4],
        [() => ({ k: 'expr', e: method(obj, 'discard', key(g, kt, 1)) }), 1.5],
        [() => ({ k: 'expr', e: method(obj, 'remove', key(g, kt, 1)) }), 1],
        [() => (kt === 'int' ? { k: 'expr', e: method(obj, 'pop') } : undefined), 0.5],
        [() => ({ k: 'expr', e: method(obj, 'update', name(r.pick(lists.length ? lists : same).name)) }), 1],
        [() => ({ k: 'expr', e: method(obj, 'clear') }), 0.2],
      ])() ?? { k: 'expr', e: method(obj, 'add', key(g, kt, 1)) }];
    },
  },
  {
    name: 'for over dict/set', weight: 3, when: (g) => g.loopDepth < 2 && g.budget > 1 && dictVars(g).length + setVars(g).length > 0,
    build: (g) => {
      const r = g.rng;
      const src = r.pick([...dictVars(g), ...setVars(g)]);
      const v = g.fresh('k');
      let iter: Expr = name(src.name);
      let itemTy: Ty;
      if (isDict(src.ty)) {
        const [kt, vt] = src.ty.dict;
        const part = r.weighted<string>([['keys', 2], ['values', 1], ['items', 1.5]]);
        itemTy = part === 'values' ? vt : part === 'items' ? { tuple: [kt, vt] } : kt;
        if (part !== 'keys' || r.chance(0.3)) iter = method(iter, part);
      } else {
        itemTy = (src.ty as SetTy).set;
        // Sets of str iterate in CPython's per-run order: through sorted() only.
        if (itemTy === 'str') iter = call('sorted', iter);
      }
      g.loopDepth++;
      // Every container of the same type may be an alias of the one iterated: none is resized in the loop.
      const frozen = g.allVars((x) => sameTy(x.ty, src.ty)).map((x) => x.name).filter((n) => !g.iterating.has(n));
      frozen.forEach((n) => g.iterating.add(n));
      const body = g.nested(() => {
        g.define(v, itemTy);
        return g.block(r.int(1, 3));
      });
      frozen.forEach((n) => g.iterating.delete(n));
      g.loopDepth--;
      g.scope.maybe.push({ name: v, ty: itemTy });
      return [{ k: 'forin', v, iter, body }];
    },
  },
];

export const dicts: Feature = {
  name: 'dicts',
  summary: 'dict[int|str, int|float|str] and set[int|str] as locals: displays, comprehensions, item reads and stores, get/setdefault/pop/del/update/clear/copy, add/discard/remove/pop, in, len, sum/max/sorted/list of keys and values, loops over keys, values and items',
  paramTypes: [],
  localTypes: [],
  exprs: exprRules,
  stmts: stmtRules,
  literal: (_g, ty) => {
    if (isDict(ty)) return { k: 'dict', keys: [], values: [] };
    if (isSet(ty)) return call('set');
    return undefined;
  },
};
