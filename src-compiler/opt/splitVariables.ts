/**
 * Splitting variables where their definitions do not meet (SSA-style renaming on the structured IR).
 *
 * Python lets one name hold an int in one part of a function and a float in another:
 *
 *     n = len(xs)          # an int ...
 *     total = 0.0
 *     for i in range(n): total += xs[i]
 *     n = total / n        # ... then a float: no read sees both
 *     return n
 *
 * Each use of a local is reached by some of its definitions (assignments, the loop variable of a `for`, the
 * parameter). Definitions that reach a common use must share a variable; the classes of that relation are the
 * variable's webs. A variable with several webs is renamed here, one name per web (`n`, `n_2`, ...), so typecheck
 * gives each part its own precise type; only where definitions of different types really meet does a variable
 * become a union. Typecheck (mergeWebs) gives webs that got the same type their one name back, so the C of a
 * function that needs no split does not change.
 *
 * Not a pass of the plan (opt/index.ts): it runs on each function's IR before typecheck, and decides nothing about
 * behaviour (a read that may be unbound still raises UnboundLocalError with the Python name: IRFunction.renamed).
 */
import { UnionFind } from './unionFind.ts';
import { isRef, walkNodes, type IRFunction, type IRNode } from '../ir/ir.ts';

type Defs = Map<string, Set<IRNode>>;
type State = Defs | null; // null: this path has ended

const copy = (s: Defs): Defs => new Map([...s].map(([k, v]) => [k, new Set(v)]));

function merge(...states: State[]): State {
  const live = states.filter((s): s is Defs => s !== null);
  if (!live.length) return null;
  const out = copy(live[0]);
  for (const s of live.slice(1)) {
    for (const [k, v] of s) {
      const cur = out.get(k);
      if (cur) v.forEach((d) => cur.add(d));
      else out.set(k, new Set(v));
    }
  }
  return out;
}

const sameState = (a: State, b: State): boolean => {
  if (!a || !b) return a === b;
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || w.size !== v.size || [...v].some((d) => !w.has(d))) return false;
  }
  return true;
};

/** The webs of each local: its definitions grouped by the uses they reach together. */
export function variableWebs(ir: IRFunction): { webs: Map<string, IRNode[][]>; uses: { node: IRNode; arg: number; def?: IRNode }[] } {
  const locals = new Set([...ir.params.map((p) => p.name), ...ir.locals]);
  const defVar = new Map<IRNode, string>();
  const webOf = new UnionFind<IRNode>();
  const find = (d: IRNode): IRNode => webOf.find(d);
  const unite = (a: IRNode, b: IRNode) => webOf.union(a, b);
  walkNodes(ir.nodes, (n) => {
    const v = n.op === 'input' ? n.name : n.op === 'assign' || n.op === 'for_range' ? n.target : undefined;
    if (v !== undefined && locals.has(v)) {
      defVar.set(n, v);
    }
  });
  const uses = new Map<string, { node: IRNode; arg: number; defs: Set<IRNode> }>();
  const use = (n: IRNode, s: Defs) => {
    n.args.forEach((a, i) => {
      if (!isRef(a) || !locals.has(a.ref)) return;
      const key = `${i}`;
      const defs = s.get(a.ref) ?? new Set<IRNode>();
      const k = uses.get(`${nodeId(n)}:${key}`);
      if (k) defs.forEach((d) => k.defs.add(d));
      else uses.set(`${nodeId(n)}:${key}`, { node: n, arg: i, defs: new Set(defs) });
      const first = [...defs][0];
      defs.forEach((d) => unite(d, first));
    });
  };
  const ids = new Map<IRNode, number>();
  const nodeId = (n: IRNode) => {
    if (!ids.has(n)) ids.set(n, ids.size);
    return ids.get(n)!;
  };

  interface Loop { breaks: State[]; continues: State[] }
  const block = (nodes: IRNode[], s: State, loop?: Loop): State => {
    for (const n of nodes) {
      if (!s) return null;
      s = node(n, s, loop);
    }
    return s;
  };
  const node = (n: IRNode, s: Defs, loop?: Loop): State => {
    switch (n.op) {
      case 'input': s.set(n.name, new Set([n])); return s;
      case 'assign': use(n, s); s.set(n.target, new Set([n])); return s;
      case 'output': case 'raise': use(n, s); return null;
      case 'break': loop?.breaks.push(copy(s)); return null;
      case 'continue': loop?.continues.push(copy(s)); return null;
      case 'if': {
        use(n, s);
        const [t, e] = n.regions!;
        return merge(block(t.nodes, copy(s), loop), block(e.nodes, copy(s), loop));
      }
      case 'for_range': {
        use(n, s);
        const [body, orelse] = n.regions!;
        let head: Defs = copy(s);
        let inner: Loop = { breaks: [], continues: [] };
        for (let round = 0; round < 100; round++) {
          inner = { breaks: [], continues: [] };
          const inBody = copy(head);
          inBody.set(n.target, new Set([n]));
          const end = block(body.nodes, inBody, inner);
          const next = merge(head, end, ...inner.continues)!;
          if (sameState(next, head)) break;
          head = next;
        }
        return merge(block(orelse.nodes, copy(head), loop), ...inner.breaks);
      }
      case 'while': {
        const [test, body, orelse] = n.regions!;
        let head: Defs = copy(s);
        let afterTest: State = null;
        let inner: Loop = { breaks: [], continues: [] };
        for (let round = 0; round < 100; round++) {
          inner = { breaks: [], continues: [] };
          afterTest = block(test.nodes, copy(head), loop);
          if (!afterTest) break;
          use(n, afterTest);
          const end = block(body.nodes, copy(afterTest), inner);
          const next = merge(head, end, ...inner.continues)!;
          if (sameState(next, head)) break;
          head = next;
        }
        if (!afterTest) return null;
        return merge(block(orelse.nodes, copy(afterTest), loop), ...inner.breaks);
      }
      case 'try': {
        // An except clause is entered from any point of the body, and the finally clause from any point of the
        // whole statement (an error, return, break or continue): they see every definition made there.
        const regions = n.regions!;
        const of = (name: string) => regions.filter((r) => r.name === name).map((r) => r.nodes);
        const [body] = of('body');
        const [orelse] = of('orelse');
        const [fin] = of('finally');
        const handlers = of('handler');
        const withAll = (nodes: IRNode[], from: Defs): Defs => {
          const out = copy(from);
          walkNodes(nodes, (d) => {
            const v = defVar.get(d);
            if (v !== undefined) (out.get(v) ?? out.set(v, new Set()).get(v)!).add(d);
          });
          return out;
        };
        const afterBody = block(body, copy(s), loop);
        const raised = withAll(body, s);
        const normal = merge(afterBody && block(orelse, afterBody, loop), ...handlers.map((h) => block(h, copy(raised), loop)));
        if (!fin.length) return normal;
        const afterFinally = block(fin, merge(normal, withAll([body, ...handlers, orelse].flat(), s))!, loop);
        return normal && afterFinally;
      }
      default: use(n, s); return s;
    }
  };
  block(ir.nodes, new Map());

  const webs = new Map<string, IRNode[][]>();
  const byRoot = new Map<IRNode, IRNode[]>();
  walkNodes(ir.nodes, (n) => {
    if (!defVar.has(n)) return;
    const r = find(n);
    if (!byRoot.has(r)) {
      byRoot.set(r, []);
      const v = defVar.get(n)!;
      webs.set(v, [...(webs.get(v) ?? []), byRoot.get(r)!]);
    }
    byRoot.get(r)!.push(n);
  });
  return { webs, uses: [...uses.values()].map((u) => ({ node: u.node, arg: u.arg, def: [...u.defs][0] })) };
}

/**
 * Renames every local with more than one web, one name per web (the web of the parameter, else the first
 * one, keeps the name). Changes `ir` in place and records each new name's Python name in `ir.renamed`.
 */
export function splitVariables(ir: IRFunction): IRFunction {
  const { webs, uses } = variableWebs(ir);
  const taken = new Set<string>([...ir.params.map((p) => p.name), ...ir.locals]);
  walkNodes(ir.nodes, (n) => taken.add(n.name));
  const nameOf = new Map<IRNode, string>();
  for (const [v, list] of webs) {
    if (list.length < 2) continue;
    const keeper = list.find((w) => w.some((d) => d.op === 'input')) ?? list[0];
    let k = 2;
    for (const w of list) {
      if (w === keeper) continue;
      let name = `${v}_${k}`;
      while (taken.has(name)) name = `${v}_${++k}`;
      k++;
      taken.add(name);
      ir.locals.push(name);
      (ir.renamed ??= {})[name] = ir.renamed?.[v] ?? v;
      for (const d of w) nameOf.set(d, name);
    }
  }
  if (!nameOf.size) return ir;
  for (const u of uses) {
    const name = u.def && nameOf.get(u.def);
    if (name) u.node.args[u.arg] = { ref: name };
  }
  for (const [d, name] of nameOf) {
    if (d.op === 'assign') {
      d.name = name;
      d.target = name;
    } else if (d.op === 'for_range') d.target = name;
  }
  return ir;
}

/** Renames locals of a (typed) function: every definition and read of `from` becomes `to`. */
export function renameLocals(ir: IRFunction, names: Map<string, string>): void {
  if (!names.size) return;
  walkNodes(ir.nodes, (n) => {
    n.args = n.args.map((a) => (isRef(a) && names.has(a.ref) ? { ref: names.get(a.ref)! } : a));
    if ((n.op === 'assign' || n.op === 'for_range') && names.has(n.target)) {
      n.target = names.get(n.target)!;
      if (n.op === 'assign') n.name = n.target;
    }
  });
  ir.locals = [...new Set(ir.locals.map((l) => names.get(l) ?? l))];
  if (ir.renamed) for (const k of names.keys()) delete ir.renamed[k];
}
