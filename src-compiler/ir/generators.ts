/**
 * Generator functions (`def gen(n): ... yield x ...`), compiled where they are consumed: the tracer inlines the
 * generator's body into the loop that reads it (ir/trace.ts, `inlineGenerator`), and each `yield v` becomes the
 * consumer's body with v as its item. There is no generator object at run time, so `sum(x * x for x in gen(n))`
 * costs what the equivalent nested loop costs.
 *
 * The control flow of the two interleaved bodies is kept with plain loops and flags, never a goto:
 * - the generator's body runs inside a one-iteration loop (its frame) when something must leave it early: a
 *   `return` in the generator, or a `break` in the consumer; both set the frame's `stop` flag and break, and every
 *   loop of the generator that contains such an exit is followed by `if stop: break`;
 * - the consumer's body at a `yield` runs inside a one-iteration loop when it has `break` or `continue`: `continue`
 *   leaves that loop (the generator resumes after its `yield`), `break` sets `stop` first.
 * Names are kept apart: the generator's locals are fresh locals of the consumer (`gen_n`, `gen_i`), and its other
 * names are read at module level.
 *
 * This file holds the facts about the Python source that the tracer needs; the tracing itself is in trace.ts.
 */
import type { PyFunction, PyNode } from '../frontend/ast.ts';
import { analyzeScopes } from './scopes.ts';

const isFunctionNode = (n: PyNode) => n._t === 'FunctionDef' || n._t === 'Lambda' || n._t === 'AsyncFunctionDef' || n._t === 'ClassDef';

/** Visits a body's nodes without entering nested functions or classes. */
function walkOwn(n: unknown, fn: (x: PyNode) => void): void {
  if (Array.isArray(n)) return n.forEach((x) => walkOwn(x, fn));
  if (!n || typeof n !== 'object' || !(n as PyNode)._t) return;
  const node = n as PyNode;
  fn(node);
  if (isFunctionNode(node)) return;
  for (const [k, v] of Object.entries(node)) if (k !== 'span' && k !== '_t') walkOwn(v, fn);
}

/** A def whose own body has `yield` or `yield from` (not in a nested function): calling it makes a generator. */
export function isGeneratorFunction(fn: PyFunction): boolean {
  let found = false;
  walkOwn(fn.body ?? [], (n) => { if (n._t === 'Yield' || n._t === 'YieldFrom') found = true; });
  return found;
}

/** The first `yield` used as a value (`x = yield v`, `f((yield))`): only `yield` as a statement is compiled. */
export function yieldUsedAsValue(fn: PyFunction): PyNode | undefined {
  let bad: PyNode | undefined;
  walkOwn(fn.body ?? [], (n) => {
    if (bad || n._t === 'Expr') return;
    for (const [k, v] of Object.entries(n)) {
      if (k === 'span' || k === '_t') continue;
      const vs = Array.isArray(v) ? v : [v];
      for (const x of vs) if (x && typeof x === 'object' && (x._t === 'Yield' || x._t === 'YieldFrom') && !(n._t === 'Expr' && k === 'value')) bad ??= x;
    }
  });
  return bad;
}

/** Constructs in a generator's body that inlining does not compile, with the place and what to write instead. */
export function inlineProblem(fn: PyFunction): { node: PyNode; construct: string; message: string; hint: string } | undefined {
  const asValue = yieldUsedAsValue(fn);
  if (asValue) return { node: asValue, construct: 'yield as a value', message: `'yield' used as a value (x = yield v, send()) in the generator '${fn.name}' is outside the compiled subset`, hint: 'write yield as a statement: yield v' };
  if (fn.vararg || fn.kwarg) return { node: { _t: 'FunctionDef', span: fn.span }, construct: 'generator parameters', message: `the generator '${fn.name}' takes *args or **kwargs: outside the compiled subset for generators`, hint: 'give it named parameters' };
  let bad: { node: PyNode; construct: string; message: string; hint: string } | undefined;
  walkOwn(fn.body ?? [], (n) => {
    if (bad) return;
    if (n._t === 'Lambda' || n._t === 'FunctionDef') bad = { node: n, construct: 'function inside a generator', message: `a ${n._t === 'Lambda' ? 'lambda' : 'nested def'} inside the generator '${fn.name}' is outside the compiled subset`, hint: 'define the function at module level and call it' };
    else if (n._t === 'Global' || n._t === 'Nonlocal') bad = { node: n, construct: 'global in a generator', message: `a ${n._t.toLowerCase()} declaration in the generator '${fn.name}' is outside the compiled subset`, hint: 'pass the value as an argument' };
  });
  return bad;
}

/** Every local of a generator function (parameters, assigned names, comprehension variables), by Python's rules. */
export function generatorLocals(fn: PyFunction): string[] {
  const { scope } = analyzeScopes(fn);
  return [...new Set([...fn.params.map((p) => p.name), ...scope.locals])];
}

const isLoop = (n: PyNode) => n._t === 'For' || n._t === 'While' || n._t === 'AsyncFor';
const isComprehension = (n: PyNode) => ['ListComp', 'SetComp', 'DictComp', 'GeneratorExp'].includes(n._t);

/**
 * Whether a variable that holds a generator (a parameter bound to `gen(...)`, or `g = gen(...)` / `g = (x for ...)`)
 * can be inlined where it is read: it is made once (`stores` assignments: 0 for a parameter, 1 otherwise), read once
 * after that, and the read does not repeat without the generator being made again (no loop around the read that
 * does not also hold the assignment; a comprehension reads only its first iterable once). Returns the problem, if any.
 */
export function singleUseProblem(body: PyNode[], name: string, stores: number): { node?: PyNode; message: string } | undefined {
  type Seen = { node: PyNode; loops: PyNode[]; order: number };
  const loads: Seen[] = [];
  const writes: Seen[] = [];
  let order = 0;
  const visit = (x: unknown, loops: PyNode[]): void => {
    if (Array.isArray(x)) return x.forEach((y) => visit(y, loops));
    if (!x || typeof x !== 'object' || !(x as PyNode)._t) return;
    const n = x as PyNode;
    if (n._t === 'Lambda' || n._t === 'FunctionDef' || n._t === 'ClassDef') {
      walkOwn(n.body ?? [], (m) => { if (m._t === 'Name' && m.id === name) loads.push({ node: m, loops: [n, ...loops], order: order++ }); });
      return;
    }
    if (n._t === 'Name' && n.id === name) {
      (n.ctx?._t === 'Load' ? loads : writes).push({ node: n, loops, order: order++ });
      return;
    }
    if (isComprehension(n)) {
      // The first iterable is evaluated once where the comprehension runs; the rest at every item.
      const [first, ...rest] = n.generators;
      visit(first.iter, loops);
      const inner = [n, ...loops];
      visit(first.target, inner);
      visit(first.ifs, inner);
      for (const g of rest) visit(g, inner);
      for (const k of ['elt', 'key', 'value']) visit(n[k], inner);
      return;
    }
    if (isLoop(n)) {
      if (n._t === 'While') {
        visit(n.test, [n, ...loops]);
      } else {
        visit(n.iter, loops);
        visit(n.target, [n, ...loops]);
      }
      visit(n.body, [n, ...loops]);
      visit(n.orelse, loops);
      return;
    }
    if (n._t === 'AugAssign' && n.target._t === 'Name' && n.target.id === name) writes.push({ node: n.target, loops, order: order++ });
    for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') visit(v, loops);
  };
  visit(body, []);
  if (writes.length !== stores) return { node: writes[stores]?.node, message: `'${name}' holds a generator and is assigned ${stores ? 'more than once' : 'in the generator'}` };
  if (loads.length !== 1) return { node: loads[1]?.node, message: loads.length ? `the generator in '${name}' is read ${loads.length} times (a generator can be iterated once; the second pass would see it exhausted)` : `the generator in '${name}' is never read` };
  const [load] = loads;
  if (stores && load.order < writes[0].order) return { node: load.node, message: `'${name}' is read before it gets its generator` };
  const around = load.loops[0];
  if (around && !(stores && writes[0].loops.includes(around))) return { node: load.node, message: `the generator in '${name}' is read inside a loop that does not make it again (each pass would resume the same generator)` };
  return undefined;
}
