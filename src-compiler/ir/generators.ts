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
