/**
 * Scopes of a module-level function and the functions nested in it (defs and lambdas), by Python's rules
 * (symtable): a name assigned anywhere in a function is local to it unless declared `global` or `nonlocal`; a
 * name a nested function reads and does not assign is free there and refers to the nearest enclosing function
 * that has it as a local (or to the module). Computed from the AST alone, before tracing.
 *
 * Closures: each nested function captures its free variables. A captured variable is kept in the closure by
 * value when nothing can assign it after the closure is made (the usual case: a parameter, or a local assigned
 * once before the def); otherwise (`nonlocal`, a later assignment, a loop around the def) the closure holds a
 * cell, a pointer to the variable's storage, so that both sides see every assignment as in Python. A variable a
 * closure captures must be assigned before the def or lambda runs (otherwise Python raises NameError when the
 * closure reads it): compiled code refuses the other order with a diagnostic.
 */
import type { PyFunction, PyNode } from '../frontend/ast.ts';
import type { Span } from './ir.ts';

export type CaptureMode = 'value' | 'cell';

export interface Scope {
  /** The IR name: `f`, `f.inner`, `f.<lambda:12:5>`. */
  id: string;
  /** Python's `__qualname__` (what CPython's messages print): `f`, `f.<locals>.inner`, `f.<locals>.<lambda>`. */
  qualname: string;
  /** The FunctionDef or Lambda node (undefined for the module-level function). */
  node?: PyNode;
  parent?: Scope;
  /** Every parameter name (named, *args, **kwargs). */
  params: string[];
  locals: Set<string>;
  globals: Set<string>;
  nonlocals: Set<string>;
  /** Names this function reads. */
  loads: Set<string>;
  /** Nested functions, by their AST node. */
  children: Map<PyNode, Scope>;
  /** Captured from enclosing functions (directly, or for a nested function of this one), in a stable order. */
  free: string[];
  /** How this function's closure holds each free variable. */
  modes: Map<string, CaptureMode>;
  /** Free variables that a nested function assigns through `nonlocal` (a closure made for one call only cannot hold them by value). */
  sharedWrites: Set<string>;
  /** A nested def's own name, when its body (or a function nested in it) calls it: the function itself, not a capture. */
  selfName?: string;
  span: Span;
}

/** A closure that captures a variable before it is assigned, or another construct the analysis refuses. */
export interface ScopeProblem {
  span: Span;
  message: string;
  hint: string;
}

const isFunctionNode = (n: PyNode) => n._t === 'FunctionDef' || n._t === 'Lambda' || n._t === 'AsyncFunctionDef';

function argNames(args: PyNode): string[] {
  const all = [...args.posonlyargs, ...args.args, ...(args.vararg ? [args.vararg] : []), ...args.kwonlyargs, ...(args.kwarg ? [args.kwarg] : [])];
  return all.map((a: PyNode) => a.arg);
}

/** The expressions of a nested function evaluated where it is defined: defaults (and a def's decorators). */
function definitionTimeExprs(n: PyNode): PyNode[] {
  return [...(n.args.defaults ?? []), ...(n.args.kw_defaults ?? []).filter(Boolean), ...(n.decorator_list ?? [])];
}

/** Visits a function body's nodes, not entering nested functions (their definition-time expressions are visited). */
function walkOwn(n: any, fn: (x: PyNode) => void) {
  if (Array.isArray(n)) return n.forEach((x) => walkOwn(x, fn));
  if (!n || typeof n !== 'object' || !n._t) return;
  fn(n);
  if (isFunctionNode(n)) {
    walkOwn(definitionTimeExprs(n), fn);
    return;
  }
  for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') walkOwn(v, fn);
}

function buildScope(body: PyNode[], params: string[], id: string, qualname: string, span: Span, node: PyNode | undefined, parent: Scope | undefined): Scope {
  const assigned = new Set<string>();
  const globals = new Set<string>();
  const nonlocals = new Set<string>();
  const loads = new Set<string>();
  const nested: PyNode[] = [];
  walkOwn(body, (x) => {
    if (x._t === 'Name') (x.ctx?._t === 'Load' ? loads : assigned).add(x.id);
    else if (x._t === 'ExceptHandler' && x.name) assigned.add(x.name);
    else if ((x._t === 'MatchAs' || x._t === 'MatchStar') && x.name) assigned.add(x.name);
    else if (x._t === 'MatchMapping' && x.rest) assigned.add(x.rest);
    else if (x._t === 'Global') x.names.forEach((g: string) => globals.add(g));
    else if (x._t === 'Nonlocal') x.names.forEach((g: string) => nonlocals.add(g));
    else if (x._t === 'FunctionDef' || x._t === 'AsyncFunctionDef' || x._t === 'ClassDef') assigned.add(x.name);
    else if (x._t === 'Import' || x._t === 'ImportFrom') x.names.forEach((a: PyNode) => assigned.add((a.asname ?? a.name).split('.')[0]));
    if (isFunctionNode(x)) nested.push(x);
  });
  const locals = new Set([...params, ...assigned].filter((v) => !globals.has(v) && !nonlocals.has(v)));
  const scope: Scope = {
    id, qualname, node, parent, params, locals, globals, nonlocals, loads, children: new Map(), free: [], modes: new Map(), sharedWrites: new Set(), span,
  };
  const lambdas = new Map<string, number>();
  for (const c of nested) {
    let childId: string, childQual: string;
    if (c._t === 'Lambda') {
      const base = `<lambda:${c.span!.line}:${c.span!.col}>`;
      const k = (lambdas.get(base) ?? 0) + 1;
      lambdas.set(base, k);
      childId = `${id}.${base}${k > 1 ? `#${k}` : ''}`;
      childQual = `${qualname}.<locals>.<lambda>`;
    } else {
      childId = `${id}.${c.name}`;
      childQual = `${qualname}.<locals>.${c.name}`;
      if ([...scope.children.values()].some((s) => s.id === childId)) childId = `${childId}@${c.span!.line}`;
    }
    const childBody = c._t === 'Lambda' ? [{ _t: 'Return', value: c.body, span: c.body.span }] : c.body;
    scope.children.set(c, buildScope(childBody, argNames(c.args), childId, childQual, c.span!, c, scope));
  }
  return scope;
}

/** Names the function (or a function nested in it) needs from enclosing functions. */
function resolveFree(scope: Scope): void {
  for (const c of scope.children.values()) resolveFree(c);
  const wanted = new Set<string>([...scope.loads, ...scope.nonlocals]);
  for (const c of scope.children.values()) for (const v of c.free) wanted.add(v);
  if (scope.node?._t === 'FunctionDef' && scope.parent?.locals.has(scope.node.name) && wanted.has(scope.node.name) && !scope.locals.has(scope.node.name)) {
    scope.selfName = scope.node.name;
  }
  const free: string[] = [];
  for (const v of [...wanted].sort()) {
    if (scope.locals.has(v) || scope.globals.has(v) || v === scope.selfName) continue;
    if (enclosingOwner(scope, v)) free.push(v);
  }
  scope.free = free;
}

/** The enclosing function whose local `v` is (none: a module name or a builtin). */
export function enclosingOwner(scope: Scope, v: string): Scope | undefined {
  for (let s = scope.parent; s; s = s.parent) {
    if (s.locals.has(v)) return s;
    if (s.globals.has(v)) return undefined;
  }
  return undefined;
}

/**
 * Evaluation-order positions of the events in one function's body that decide capture modes: assignments to
 * each name, closures made (nested def/lambda), and the span of every loop (a closure made in a loop that
 * assigns a captured variable sees the next iteration's value).
 */
function positions(body: PyNode[]) {
  let pos = 0;
  const assigns = new Map<string, number[]>();
  const made = new Map<PyNode, number>();
  const loops: [number, number][] = [];
  const assign = (name: string) => {
    const list = assigns.get(name) ?? [];
    list.push(pos++);
    assigns.set(name, list);
  };
  const target = (t: PyNode) => {
    if (t._t === 'Name') assign(t.id);
    else if (t._t === 'Tuple' || t._t === 'List') t.elts.forEach(target);
    else if (t._t === 'Starred') target(t.value);
    else visit(t);
  };
  const loop = (fn: () => void) => {
    const start = pos++;
    fn();
    loops.push([start, pos++]);
  };
  const comprehension = (gens: PyNode[], inner: () => void, k = 0) => {
    const g = gens[k];
    if (k === 0) visit(g.iter);
    loop(() => {
      if (k > 0) visit(g.iter);
      target(g.target);
      g.ifs.forEach(visit);
      if (k + 1 < gens.length) comprehension(gens, inner, k + 1);
      else inner();
    });
  };
  const visit = (n: any): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object' || !n._t) return;
    switch (n._t) {
      case 'Assign': visit(n.value); n.targets.forEach(target); return;
      case 'AnnAssign': visit(n.value); target(n.target); return;
      case 'AugAssign': visit(n.value); target(n.target); return;
      case 'NamedExpr': visit(n.value); target(n.target); return;
      case 'For': visit(n.iter); loop(() => { target(n.target); visit(n.body); }); visit(n.orelse); return;
      case 'While': loop(() => { visit(n.test); visit(n.body); }); visit(n.orelse); return;
      case 'ListComp': case 'SetComp': case 'GeneratorExp': comprehension(n.generators, () => visit(n.elt)); return;
      case 'DictComp': comprehension(n.generators, () => { visit(n.key); visit(n.value); }); return;
      case 'FunctionDef': case 'AsyncFunctionDef': visit(definitionTimeExprs(n)); made.set(n, pos++); assign(n.name); return;
      case 'Lambda': visit(definitionTimeExprs(n)); made.set(n, pos++); return;
      default:
        for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') visit(v);
    }
  };
  visit(body);
  return { assigns, made, loops };
}

/**
 * The names definitely assigned where each nested function is made (Python's flow: both branches of an if,
 * a loop's target inside its body, not a loop's body after it; return/raise/break/continue end a path).
 */
function assignedAtDefinitions(body: PyNode[], params: string[]): Map<PyNode, Set<string>> {
  const at = new Map<PyNode, Set<string>>();
  type Flow = Set<string> | null; // null: no path reaches here
  const names = (t: PyNode, out: Set<string>) => {
    if (t._t === 'Name') out.add(t.id);
    else if (t._t === 'Tuple' || t._t === 'List') t.elts.forEach((e: PyNode) => names(e, out));
    else if (t._t === 'Starred') names(t.value, out);
  };
  const expr = (n: any, cur: Set<string>): void => {
    if (Array.isArray(n)) return n.forEach((x) => expr(x, cur));
    if (!n || typeof n !== 'object' || !n._t) return;
    if (n._t === 'Lambda') {
      expr(definitionTimeExprs(n), cur);
      at.set(n, new Set(cur));
      return;
    }
    if (n._t === 'NamedExpr') {
      expr(n.value, cur);
      names(n.target, cur);
      return;
    }
    if (n._t === 'ListComp' || n._t === 'GeneratorExp' || n._t === 'SetComp' || n._t === 'DictComp') {
      const inner = new Set(cur);
      for (const g of n.generators) {
        expr(g.iter, inner);
        names(g.target, inner);
        expr(g.ifs, inner);
      }
      expr([n.elt, n.key, n.value].filter(Boolean), inner);
      return;
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') expr(v, cur);
  };
  const block = (stmts: PyNode[], inSet: Set<string>): Flow => {
    let cur: Flow = new Set(inSet);
    for (const s of stmts) {
      if (!cur) return null;
      cur = stmt(s, cur);
    }
    return cur;
  };
  const meet = (a: Flow, b: Flow): Flow => (!a ? b : !b ? a : new Set([...a].filter((x) => b.has(x))));
  const stmt = (s: PyNode, cur: Set<string>): Flow => {
    switch (s._t) {
      case 'Assign': expr(s.value, cur); s.targets.forEach((t: PyNode) => { expr(t._t === 'Name' ? [] : t, cur); names(t, cur); }); return cur;
      case 'AnnAssign': if (s.value) { expr(s.value, cur); names(s.target, cur); } return cur;
      case 'AugAssign': expr(s.value, cur); names(s.target, cur); return cur;
      case 'FunctionDef': case 'AsyncFunctionDef': expr(definitionTimeExprs(s), cur); at.set(s, new Set(cur)); cur.add(s.name); return cur;
      case 'Return': case 'Raise': expr(s, cur); return null;
      case 'Break': case 'Continue': return null;
      case 'If': {
        expr(s.test, cur);
        return meet(block(s.body, cur), block(s.orelse, cur));
      }
      case 'For': {
        expr(s.iter, cur);
        const inner = new Set(cur);
        names(s.target, inner);
        block(s.body, inner);
        const after = block(s.orelse, cur);
        return after ?? cur;
      }
      case 'While': {
        expr(s.test, cur);
        block(s.body, new Set(cur));
        const after = block(s.orelse, cur);
        const infinite = s.test._t === 'Constant' && s.test.value === true;
        return infinite ? null : after ?? cur;
      }
      default: expr(s, cur); return cur;
    }
  };
  block(body, new Set(params));
  return at;
}

/** Decides how each closure made in `scope` holds each variable it captures from `scope`; returns the problems. */
function decideModes(scope: Scope, body: PyNode[], problems: ScopeProblem[]): void {
  const { assigns, made, loops } = positions(body);
  const definite = assignedAtDefinitions(body, scope.params);
  // A variable that a nested function (at any depth) assigns through `nonlocal` is shared by every closure.
  const writtenInside = new Set<string>();
  const collectNonlocal = (s: Scope) => {
    for (const c of s.children.values()) {
      for (const v of c.nonlocals) if (enclosingOwner(c, v) === scope) writtenInside.add(v);
      collectNonlocal(c);
    }
  };
  collectNonlocal(scope);
  for (const [node, child] of scope.children) {
    const at = made.get(node) ?? 0;
    for (const v of child.free) {
      const owner = enclosingOwner(child, v);
      if (owner !== scope) {
        // Captured from further out: this function holds it as its own capture and passes it on the same way.
        child.modes.set(v, scope.modes.get(v) ?? 'value');
        if (scope.sharedWrites.has(v)) child.sharedWrites.add(v);
        continue;
      }
      const later = (assigns.get(v) ?? []).some((p) => p > at || loops.some(([a, b]) => a <= at && at <= b && a <= p && p <= b));
      child.modes.set(v, writtenInside.has(v) || later ? 'cell' : 'value');
      if (writtenInside.has(v)) child.sharedWrites.add(v);
      if (!scope.params.includes(v) && !definite.get(node)?.has(v)) {
        const what = node._t === 'Lambda' ? 'this lambda' : `${node.name}()`;
        problems.push({
          span: node.span!,
          message: `${what} captures '${v}' before '${v}' is assigned on every path to here (Python raises NameError if it runs first)`,
          hint: `assign '${v}' before the ${node._t === 'Lambda' ? 'lambda' : 'def'}, or pass it as an argument`,
        });
      }
    }
    const childBody = node._t === 'Lambda' ? [{ _t: 'Return', value: node.body, span: node.body.span }] : node.body;
    decideModes(child, childBody, problems);
  }
}

/** A lambda at module level (in a module constant, or a module function's default): its names are the module's. */
export function moduleLambdaScope(node: PyNode): Scope {
  const body = node._t === 'Lambda' ? [{ _t: 'Return', value: node.body, span: node.body.span }] : node.body;
  const id = node._t === 'Lambda' ? `<lambda:${node.span!.line}:${node.span!.col}>` : node.name;
  const scope = buildScope(body, argNames(node.args), id, node._t === 'Lambda' ? '<lambda>' : node.name, node.span!, node, undefined);
  resolveFree(scope);
  decideModes(scope, body, []);
  return scope;
}

/** The scope tree of a module-level function, with the capture modes of every closure in it. */
export function analyzeScopes(fn: PyFunction): { scope: Scope; problems: ScopeProblem[] } {
  const params = [...fn.params.map((p) => p.name), ...(fn.vararg ? [fn.vararg.name] : []), ...(fn.kwarg ? [fn.kwarg.name] : [])];
  const scope = buildScope(fn.body ?? [], params, fn.name, fn.name, fn.span, undefined, undefined);
  resolveFree(scope);
  const problems: ScopeProblem[] = [];
  decideModes(scope, fn.body ?? [], problems);
  return { scope, problems };
}
