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
 * A generator expression is fused the same way (trace.ts, genexpItems): its clauses are loops, each item runs the
 * consumer's body as a yield does, and the consumer's `break` sets a stop flag that leaves every clause, so a
 * consumer that stops early (break, return, any/all, next, `in`, a shorter zip) computes no later item, as CPython's
 * lazy generator; its variables are fresh locals, apart from the function's.
 *
 * The generators of a compiled standard module (kiln_stdlib/itertools.py: accumulate, takewhile, dropwhile, starmap,
 * islice, chain, pairwise, zip_longest, groupby; heapq.py: merge) are inlined the same way, their body's globals read
 * in their own module (trace.ts, OwnerContext.mod).
 *
 * A generator read once later (`g = gen(n)` ... `sum(g)`, or passed to another generator) is deferred: its arguments
 * are evaluated where it is made, its body inlined where it is read (singleUseProblem says when that is exact).
 *
 * A generator object read item by item (`next(g)`, several loops, a loop around the read; `it = iter(xs)`) is a
 * state machine instead (generatorStateMachine): the body cut into states at its yields, its locals, state and last
 * item kept in locals of the function, and each read runs `while not have and st >= 0: <state st>` to the next
 * yield. No heap object either: it lives in the function's frame, so it cannot be returned; it can be passed to a
 * generator compiled in the same function (trace.ts, machineArg), whose body then resumes it: groupby's groups and
 * tee's copies share one generator object of their input that way.
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

/**
 * A yield inside the body of a try with except clauses, or of a with statement: inlined where a loop consumes the
 * generator, the loop's body would run there, and its errors would reach those clauses (or __exit__), which CPython's
 * generator, suspended at the yield, never shows them. Returns the yield.
 */
export function yieldSeeingConsumerErrors(fn: PyFunction): PyNode | undefined {
  let found: PyNode | undefined;
  const inside = (stmts: PyNode[]) => walkOwn(stmts, (n) => { if (!found && (n._t === 'Yield' || n._t === 'YieldFrom')) found = n; });
  walkOwn(fn.body ?? [], (n) => {
    if ((n._t === 'Try' || n._t === 'TryStar') && n.handlers.length) inside(n.body);
    if (n._t === 'With' || n._t === 'AsyncWith') inside(n.body);
  });
  return found;
}

/** `x = yield v`: what send(x) gives the generator (compiled in a generator object read with next() or send()). */
const isReceivingYield = (n: PyNode) => n._t === 'Assign' && n.targets.length === 1 && n.targets[0]._t === 'Name' && n.value._t === 'Yield';

/**
 * The first `yield` used as a value (`x = yield v`, `f((yield))`): only `yield` as a statement is compiled, and
 * `x = yield v` in a generator object (`receiving`: a state machine, which send() resumes with x).
 */
export function yieldUsedAsValue(fn: PyFunction, receiving = false, frameCall?: (iter: PyNode) => boolean): PyNode | undefined {
  let bad: PyNode | undefined;
  walkOwn(fn.body ?? [], (n) => {
    if (bad || n._t === 'Expr' || (receiving && isReceivingYield(n))) return;
    if (frameCall && n._t === 'Assign' && n.targets.length === 1 && n.value._t === 'YieldFrom' && frameCall(n.value.value)) return; // x = yield from g(...) of frames
    for (const [k, v] of Object.entries(n)) {
      if (k === 'span' || k === '_t') continue;
      const vs = Array.isArray(v) ? v : [v];
      for (const x of vs) if (x && typeof x === 'object' && (x._t === 'Yield' || x._t === 'YieldFrom') && !(n._t === 'Expr' && k === 'value')) bad ??= x;
    }
  });
  return bad;
}

/** Constructs in a generator's body that inlining does not compile, with the place and what to write instead. */
export function inlineProblem(
  fn: PyFunction, receiving = false, frameCall?: (iter: PyNode) => boolean,
): { node: PyNode; construct: string; message: string; hint: string } | undefined {
  const asValue = yieldUsedAsValue(fn, receiving, frameCall);
  if (asValue) {
    return {
      node: asValue, construct: 'yield as a value', message: `'yield' used as a value in the generator '${fn.name}' is compiled as \`x = yield v\` in a generator object read with next() and send(); not here`,
      hint: 'keep the generator in a variable, g = gen(...), and resume it with next(g) and g.send(v)',
    };
  }
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
  return [...new Set([...fn.params.map((p) => p.name), ...scope.locals])].filter((l) => !fn.ownerNames?.includes(l));
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

/**
 * Why a function cannot be given a generator (a generator expression, which the caller passes as the list of its items)
 * in its parameter `name`, if it cannot: the list would allow what CPython's generator refuses (len(), an index, +, a
 * second pass that CPython finds empty, passing it on where it may be any of these). Only one read that iterates it
 * once, from its start, compiles: a loop or comprehension over it, or a builtin that consumes it (sum, list, sorted ...).
 * `len(xs)` and `xs[i]` give CPython's TypeError (`type`: 'generator').
 */
export function generatorParamProblem(fn: PyFunction, name: string, type: string): { node?: PyNode; message: string } | undefined {
  const body = fn.body ?? [];
  let cpython: { node: PyNode; message: string } | undefined;
  walkOwn(body, (n) => {
    if (cpython) return;
    const isName = (x: PyNode | undefined) => x?._t === 'Name' && x.id === name;
    if (n._t === 'Call' && n.func._t === 'Name' && n.func.id === 'len' && n.args.length === 1 && isName(n.args[0])) cpython = { node: n, message: `TypeError: object of type '${type}' has no len()` };
    else if (n._t === 'Subscript' && isName(n.value)) cpython = { node: n, message: `TypeError: '${type}' object is not subscriptable` };
  });
  if (cpython) return cpython;
  const once = singleUseProblem(body, name, 0);
  if (once) return once;
  if (readByNext(body, name) || !onlyConsumed(body, name)) {
    return { message: `'${name}' is used in a way other than one loop or one builtin that reads it to its end (sum, list, sorted, min, max, ...): the generator passed in would behave differently` };
  }
  return earlyStop(body, name);
}

/** Builtins that read an iterable to its end (the list passed for a generator computed no item CPython would not). */
const TO_THE_END = new Set(['sum', 'list', 'sorted', 'min', 'max', 'tuple', 'set', 'frozenset', 'dict']);

/** Operators that cannot raise on the values a typed program gives them (ints, floats, bools, strs, tuples, lists). */
const QUIET_OPS = new Set(['Add', 'Sub', 'Mult', 'BitAnd', 'BitOr', 'BitXor']);
const QUIET_COMPARISONS = new Set(['Eq', 'NotEq', 'Lt', 'LtE', 'Gt', 'GtE', 'Is', 'IsNot', 'In', 'NotIn']);
/** Operators quiet by a number literal other than 0 (`x % 2`, `x / 2.5`). */
const DIVISIONS = new Set(['Div', 'FloorDiv', 'Mod']);
const nonzeroNumber = (n: PyNode) => n._t === 'Constant' && ((n.value?._t === 'int' && !/^-?0+$/.test(n.value.dec)) || (n.value?._t === 'float' && !/^-?0\.0$/.test(n.value.repr)));

/**
 * Whether evaluating `n` runs none of the program's code, raises nothing and changes nothing: names, constants, tuple
 * and list displays, `+ - * & | ^`, `/ // %` by a number literal other than 0, comparisons, `not`, `-x`, `and`/`or`, `a if c else b` and f-strings without a
 * format spec over such. `operators`: a class of the program defines operator methods, which these would call, so
 * only names, constants and displays are. `hole` decides a node first (true: quiet, false: not).
 */
export function quietExpression(n: PyNode | undefined, operators: boolean, hole: (n: PyNode) => boolean | undefined = () => undefined): boolean {
  if (!n) return true;
  const decided = hole(n);
  if (decided !== undefined) return decided;
  const q = (x: PyNode) => quietExpression(x, operators, hole);
  switch (n._t) {
    case 'Constant': case 'Name': return true;
    case 'Tuple': case 'List': return n.elts.every(q);
    case 'BinOp': return !operators && (QUIET_OPS.has(n.op._t) || (DIVISIONS.has(n.op._t) && nonzeroNumber(n.right))) && q(n.left) && q(n.right);
    case 'UnaryOp': return !operators && n.op._t !== 'Invert' && q(n.operand);
    case 'BoolOp': return !operators && n.values.every(q);
    case 'Compare': return !operators && n.ops.every((o: PyNode) => QUIET_COMPARISONS.has(o._t)) && q(n.left) && n.comparators.every(q);
    case 'IfExp': return !operators && q(n.test) && q(n.body) && q(n.orelse);
    case 'JoinedStr': return !operators && n.values.every(q);
    case 'FormattedValue': return !n.format_spec && q(n.value);
    default: return false;
  }
}

/**
 * Where a function given a generator expression (the list of its items, computed before the call) in its parameter
 * `name` may run something that could be seen, or raise, before it has read every item: the first statement that is
 * not quiet before the read, or the read itself. Undefined when it runs nothing: the statements before the read only
 * assign its locals quiet values (quietExpression), and the read is a loop whose body does only that (and `if`,
 * `continue`), or a builtin that reads to the end (`sum(xs)`, `sorted(xs, key=...)`, `[f(x) for x in xs]` with a
 * quiet f(x)) in an assignment, return or expression that is quiet around it. Then computing every item before the
 * call is what CPython's reads there do, an item's exception included.
 */
export function unquietBeforeRead(fn: PyFunction, name: string, operators: boolean): PyNode | undefined {
  const isName = (x: PyNode | undefined) => x?._t === 'Name' && x.id === name;
  const mentions = (s: PyNode) => {
    let found = false;
    walkOwn(s, (n) => { if (isName(n)) found = true; });
    return found;
  };
  const quiet = (e: PyNode | undefined) => quietExpression(e, operators);
  const names = (t: PyNode): boolean => t._t === 'Name' || ((t._t === 'Tuple' || t._t === 'List') && t.elts.every(names));
  const quietStmt = (s: PyNode): boolean => {
    switch (s._t) {
      case 'Pass': case 'Continue': return true;
      case 'Expr': return s.value._t === 'Constant';
      case 'Assign': return s.targets.every(names) && quiet(s.value);
      case 'AnnAssign': return s.target._t === 'Name' && quiet(s.value);
      case 'AugAssign': return !operators && s.target._t === 'Name' && QUIET_OPS.has(s.op._t) && quiet(s.value);
      case 'If': return quiet(s.test) && s.body.every(quietStmt) && s.orelse.every(quietStmt);
      default: return false;
    }
  };
  // The iterable read: the parameter, or one comprehension over it whose items are quiet.
  const readOf = (x: PyNode | undefined): boolean => isName(x) || (['GeneratorExp', 'ListComp', 'SetComp'].includes(x?._t ?? '')
    && x!.generators.length === 1 && isName(x!.generators[0].iter) && x!.generators[0].ifs.every(quiet) && quiet(x!.elt));
  const read = (n: PyNode): boolean | undefined => {
    if (isName(n)) return false;
    if (n._t === 'ListComp' || n._t === 'SetComp') return readOf(n) || undefined;
    // dict() raises at an item that is not a pair, with the later items not made in CPython.
    if (n._t !== 'Call' || n.func._t !== 'Name' || !TO_THE_END.has(n.func.id) || n.func.id === 'dict' || !readOf(n.args[0])) return undefined;
    // min/max call key on each item as they read it; sorted's key runs after the read.
    return n.args.slice(1).every(quiet) && n.keywords.every((k: PyNode) => (k.arg === 'key' ? n.func.id === 'sorted' && (k.value._t === 'Lambda' || quiet(k.value)) : quiet(k.value)));
  };
  for (const s of fn.body ?? []) {
    if (!mentions(s)) {
      if (!quietStmt(s)) return s;
      continue;
    }
    if (s._t === 'For') return isName(s.iter) && names(s.target) && s.body.every(quietStmt) ? undefined : s;
    const value = s._t === 'Return' || s._t === 'Expr' || (s._t === 'Assign' && s.targets.every(names)) || (s._t === 'AnnAssign' && s.target._t === 'Name') ? s.value : undefined;
    return value && quietExpression(value, operators, read) ? undefined : s;
  }
  return fn.body?.[0];
}

/**
 * Where the one read of `name` (generatorParamProblem) may stop before the end (any(), `in`, zip(), a loop left by
 * break, return or raise): CPython's generator computes no later item, the list passed computed them all before the
 * call (an item that raises, or has an effect, would differ).
 */
function earlyStop(body: PyNode[], name: string): { node?: PyNode; message: string } | undefined {
  let problem: { node?: PyNode; message: string } | undefined;
  const leaves = (loop: PyNode) => {
    let found: PyNode | undefined;
    const visit = (x: unknown, inner: boolean): void => {
      if (found || !x || typeof x !== 'object') return;
      if (Array.isArray(x)) return x.forEach((y) => visit(y, inner));
      const n = x as PyNode;
      if (!n._t || isFunctionNode(n)) return;
      if (n._t === 'Return' || n._t === 'Raise' || (n._t === 'Break' && !inner)) found = n;
      const nested = inner || isLoop(n);
      for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') visit(v, nested);
    };
    visit(loop.body, false);
    return found;
  };
  const isName = (x: PyNode | undefined) => x?._t === 'Name' && x.id === name;
  walkOwn(body, (n) => {
    if (problem) return;
    if (n._t === 'For' && (isName(n.iter) || (n.iter._t === 'Call' && n.iter.func._t === 'Name' && ['enumerate', 'map', 'filter'].includes(n.iter.func.id) && n.iter.args.some(isName)))) {
      const exit = leaves(n);
      if (exit) problem = { node: exit, message: `the loop over '${name}' can stop before its end (${exit._t.toLowerCase()}): CPython's generator would compute no later item, the list passed computes every item before the call` };
    } else if (n._t === 'Call' && n.func._t === 'Name' && n.args.some(isName) && !TO_THE_END.has(n.func.id) && !['enumerate', 'map', 'filter'].includes(n.func.id)) {
      problem = { node: n, message: `${n.func.id}() may stop before the end of '${name}': CPython's generator would compute no later item, the list passed computes every item before the call` };
    } else if (n._t === 'Compare' && n.comparators.some(isName)) {
      problem = { node: n, message: `'in' stops at the first match in '${name}': CPython's generator would compute no later item, the list passed computes every item before the call` };
    }
  });
  return problem;
}

// ---- generator objects read with next(): the body as a state machine ----------------------------------------

/**
 * The locals a state machine adds (st: the state, -1 when done; val: the last item; have: an item was made; sent: what
 * send() gave; ret: what `return v` gave, None unless the run that just ended the generator returned a value).
 */
export interface MachineNames {
  st: string;
  val: string;
  have: string;
  sent: string;
  ret: string;
}

/** The method of a recursive generator's frame that runs it to its next item: true when it made one (ir/generator_frames.ts). */
export const FRAME_STEP = '__kiln_step';
/**
 * The method of an entry generator's frame with `x = yield v` that gives it a value and runs its step (send() across
 * the boundary: kiln_<frames>__send); CPython's TypeError for a value before the first yield.
 */
export const FRAME_SEND = '__kiln_send';
/** The field of a frame that holds the item its step made (`__kiln_val`; read through the C ABI by a caller iterating it). */
export const FRAME_ITEM = '__kiln_val';
/** The field of a frame that holds the value of the generator's `return v` (the C ABI's caller reads it at the end). */
export const FRAME_RETURN = '__kiln_ret';
/** The field of a frame that holds what send() gave, for `x = yield v` (a frame has it only if its generator has one). */
export const FRAME_SENT = '__kiln_sent';
/** The frame's methods' own receiver (not `self`: a generator method's `self` is a local of it, a field of the frame). */
export const FRAME_SELF = '__kiln_frame';
/** How every field of such a frame begins (the generator's locals, its state, its last item). */
export const FRAME_FIELD = '__kiln_';
/** The local of that method which holds the child frame a loop reads (not a field: a local is narrowed by `is not None`). */
export const FRAME_CHILD = '__kiln_child';

/** Whether a generator has `return v` with a value (the value of the StopIteration its end raises). */
export function returnsValue(fn: PyFunction): boolean {
  let found = false;
  walkOwn(fn.body ?? [], (n) => { if (n._t === 'Return' && n.value && !(n.value._t === 'Constant' && n.value.value === null)) found = true; });
  return found;
}

/**
 * A generator's body as a state machine over Python AST (a generator object read with `next(g)`): `cases[k]` is the
 * code of state k, which ends by setting the next state; a `yield v` sets `val = v`, `have = True` and the state
 * after it. Loops and ifs that hold no yield or return stay whole in one state; the others are cut into states
 * (a for loop reads its iterable by index: `for x in xs` is `s = xs; k = 0`, then `x = s[k]` while `k < len(s)`).
 * `temps` are the locals it adds; a state that is never entered (its code is inside another's) has no statements.
 * Returns the construct it cannot cut, if any. A loop over an iterable that
 * `frameCall` accepts (a call of a recursive generator: ir/generator_frames.ts) reads it as a frame instead:
 * `s = it`, then `x = s.__kiln_val` while `s.__kiln_step()` (None in s when it ends, which frees that frame). A loop
 * over one of `objectParams` (parameters bound to a generator object of the caller) resumes that object at each pass.
 */
export function generatorStateMachine(
  fn: PyFunction, names: MachineNames, frameCall?: (iter: PyNode) => boolean, objectParams: ReadonlySet<string> = new Set(),
  objectCall?: (iter: PyNode) => boolean,
): { cases: PyNode[][]; temps: string[] } | { node: PyNode; message: string } {
  const blocks: PyNode[][] = [];
  const temps: string[] = [];
  let problem: { node: PyNode; message: string } | undefined;
  type Sp = PyNode['span'];
  const name = (id: string, span: Sp, store = false): PyNode => ({ _t: 'Name', id, ctx: { _t: store ? 'Store' : 'Load' }, span });
  const int = (v: number, span: Sp): PyNode => ({ _t: 'Constant', value: { _t: 'int', dec: String(v) }, span });
  const assign = (target: PyNode | string, value: PyNode, span: Sp): PyNode => ({ _t: 'Assign', targets: [typeof target === 'string' ? name(target, span, true) : target], value, span });
  const setState = (k: number, span: Sp) => assign(names.st, int(k, span), span);
  const newBlock = () => blocks.push([]) - 1;
  /** A block that is part of another one (an if's branch): no state of its own, so its case stays empty. */
  const inline = new Set<number>();
  const inlineBlock = () => {
    const b = newBlock();
    inline.add(b);
    return b;
  };
  const temp = (base: string) => {
    const t = `__kiln_${base}${temps.length}`;
    temps.push(t);
    return t;
  };
  /** No yield or return in it, and no break/continue that leaves it: it runs whole inside one state. */
  const plain = (s: PyNode): boolean => {
    let ok = true;
    const visit = (x: unknown, inLoop: boolean): void => {
      if (!ok || !x || typeof x !== 'object') return;
      if (Array.isArray(x)) return x.forEach((y) => visit(y, inLoop));
      const n = x as PyNode;
      if (!n._t || isFunctionNode(n)) return;
      if (n._t === 'Yield' || n._t === 'YieldFrom' || n._t === 'Return') ok = false;
      if ((n._t === 'Break' || n._t === 'Continue') && !inLoop) ok = false;
      for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') visit(v, inLoop || (isLoop(n) && k === 'body'));
    };
    visit(s, false);
    return ok;
  };
  type Loop = { head: number; exit: number };
  /** Cuts `stmts` from block `cur`; returns the block where control goes on after them, or -1 when it never does. */
  const cut = (stmts: PyNode[], cur: number, loop: Loop | undefined): number => {
    for (const s of stmts) {
      if (problem) return -1;
      if (cur < 0) cur = newBlock(); // code after a return, break or continue: never reached
      const span = s.span;
      if (plain(s)) {
        blocks[cur].push(s);
        continue;
      }
      switch (s._t) {
        case 'Assign':
        case 'Expr': {
          if (s._t === 'Assign' && s.targets.length === 1 && s.value._t === 'YieldFrom' && frameCall?.(s.value.value)) {
            // x = yield from g(...) of a frame: the loop over the child, then x = the value its end kept (__kiln_ret).
            const t = temp('item');
            const over: PyNode = { _t: 'For', target: name(t, span, true), iter: s.value.value, body: [{ _t: 'Expr', value: { _t: 'Yield', value: name(t, span), span }, span }], orelse: [], span, kilnResult: s.targets[0] };
            cur = cut([over], cur, loop);
            break;
          }
          if (s._t === 'Assign' && !isReceivingYield(s)) {
            problem = { node: s, message: 'an assignment holding a yield other than x = yield v' };
            return -1;
          }
          if (s.value._t === 'YieldFrom') {
            const t = temp('item');
            cur = cut([{ _t: 'For', target: name(t, span, true), iter: s.value.value, body: [{ _t: 'Expr', value: { _t: 'Yield', value: name(t, span), span }, span }], orelse: [], span }], cur, loop);
            break;
          }
          if (s.value._t !== 'Yield') {
            problem = { node: s, message: 'yield inside an expression' };
            return -1;
          }
          const next = newBlock();
          blocks[cur].push(assign(names.val, s.value.value ?? { _t: 'Constant', value: null, span }, span), assign(names.have, { _t: 'Constant', value: true, span }, span), setState(next, span));
          cur = next;
          // x = yield v: resumed, x is what send() gave (None for next()); then sent is None again, so that a step
          // resumed without a send (kiln_<frames>__next across the boundary) gives the next yield None.
          if (s._t === 'Assign') blocks[cur].push(assign(s.targets[0], name(names.sent, span), span), assign(names.sent, { _t: 'Constant', value: null, span }, span));
          break;
        }
        case 'If': {
          // The branches begin inside the if, in the state of its test (not in states of their own), so what the
          // test narrows (`self.left is not None`) still holds where they read it. When only one branch goes on
          // (`if x is None: return`), what follows the if goes on in it too: the test's narrowing holds there as well.
          const thenB = inlineBlock();
          const elseB = inlineBlock();
          const join = newBlock();
          blocks[cur].push({ _t: 'If', test: s.test, body: blocks[thenB], orelse: blocks[elseB], span });
          const t = cut(s.body, thenB, loop);
          const e = cut(s.orelse, elseB, loop);
          if (t >= 0 && e >= 0) {
            blocks[t].push(setState(join, span));
            blocks[e].push(setState(join, span));
            cur = join;
          } else cur = t >= 0 ? t : e;
          break;
        }
        case 'While':
        case 'For': {
          const head = newBlock();
          const body = newBlock();
          const exit = newBlock();
          const orelse = s.orelse.length ? newBlock() : exit;
          let test: PyNode = s.test;
          let first: PyNode[] = [];
          if (s._t === 'For' && frameCall?.(s.iter)) {
            const sub = temp('sub');
            blocks[cur].push(assign(sub, s.iter, span));
            const attr = (a: string): PyNode => ({ _t: 'Attribute', value: name(FRAME_CHILD, span), attr: a, ctx: { _t: 'Load' }, span });
            // `c is not None and ...` narrows c, a local of the state (the field holds None once the child has ended).
            test = { _t: 'BoolOp', op: { _t: 'And' }, values: [{ _t: 'Compare', left: name(FRAME_CHILD, span), ops: [{ _t: 'IsNot' }], comparators: [{ _t: 'Constant', value: null, span }], span }, { _t: 'Call', func: attr(FRAME_STEP), args: [], keywords: [], span }], span };
            first = [assign(s.target, attr(names.val), span)];
            const result = s.kilnResult ? [assign(s.kilnResult, attr(names.ret), span)] : [];
            blocks[head].push(assign(FRAME_CHILD, name(sub, span), span), { _t: 'If', test, body: [...first, setState(body, span)], orelse: [...result, assign(sub, { _t: 'Constant', value: null, span }, span), setState(orelse, span)], span });
          } else if (s._t === 'For' && ((s.iter._t === 'Name' && objectParams.has(s.iter.id)) || objectCall?.(s.iter))) {
            // A parameter holding a generator object (a state machine of the caller, ir/trace.ts machineArg), or a
            // generator call (`yield from _slice(...)`) made one here (KilnMachineBind): each pass resumes it
            // (KilnMachineStep: whether it made an item), as CPython's for loop calls next().
            let iter: PyNode = s.iter;
            if (s.iter._t !== 'Name') {
              iter = name(temp('sub'), span);
              blocks[cur].push({ _t: 'KilnMachineBind', target: { ...iter, ctx: { _t: 'Store' } }, value: s.iter, span });
            }
            test = { _t: 'KilnMachineStep', iter, span };
            first = [assign(s.target, { _t: 'KilnMachineItem', iter, span }, span)];
          } else if (s._t === 'For') {
            const seq = temp('seq');
            const k = temp('k');
            blocks[cur].push(assign(seq, s.iter, span), assign(k, int(0, span), span));
            test = { _t: 'Compare', left: name(k, span), ops: [{ _t: 'Lt' }], comparators: [{ _t: 'Call', func: name('len', span), args: [name(seq, span)], keywords: [], span }], span };
            first = [
              // Item k as a for loop reads it (kiln.iter_item: sequences only; a dict or set is refused by typecheck).
              assign(s.target, { _t: 'KilnIterItem', seq: name(seq, span), index: name(k, span), span }, span),
              { _t: 'AugAssign', target: name(k, span, true), op: { _t: 'Add' }, value: int(1, span), span },
            ];
          }
          blocks[cur].push(setState(head, span));
          if (!blocks[head].length) blocks[head].push({ _t: 'If', test, body: [...first, setState(body, span)], orelse: [setState(orelse, span)], span });
          const b = cut(s.body, body, { head, exit });
          if (b >= 0) blocks[b].push(setState(head, span));
          if (s.orelse.length) {
            const o = cut(s.orelse, orelse, loop);
            if (o >= 0) blocks[o].push(setState(exit, span));
          }
          cur = exit;
          break;
        }
        case 'Break':
        case 'Continue':
          if (!loop) {
            problem = { node: s, message: `'${s._t.toLowerCase()}' outside loop` };
            return -1;
          }
          blocks[cur].push(setState(s._t === 'Break' ? loop.exit : loop.head, span));
          cur = -1;
          break;
        case 'Return':
          if (s.value) blocks[cur].push(assign(names.ret, s.value, span));
          blocks[cur].push(setState(-1, span));
          cur = -1;
          break;
        default:
          problem = { node: s, message: `a ${s._t} statement holding a yield or a return` };
          return -1;
      }
    }
    return cur;
  };
  const end = cut(fn.body ?? [], newBlock(), undefined);
  if (problem) return problem;
  if (end >= 0) blocks[end].push(setState(-1, fn.span));
  return { cases: blocks.map((b, k) => (inline.has(k) ? [] : b)), temps };
}

/**
 * Whether every binding of `name` in `body` is a target (a name, or a name in a tuple) of an assignment that is a
 * statement of `body` itself, not inside an if, a loop, a try or a with, and no function, lambda or generator
 * expression reads it (they read it late). Then each read of `name` sees the one assignment before it in the text,
 * so each assignment can make a generator object of its own (`it = iter(xs)` then `it = iter(ys)` of another type).
 */
export function boundAtTopOnly(body: PyNode[], name: string): boolean {
  const top = new Set<PyNode>();
  for (const s of body) {
    if (s._t !== 'Assign') continue;
    for (const t of s.targets as PyNode[]) {
      if (t._t === 'Name') top.add(t);
      else if (t._t === 'Tuple' || t._t === 'List') for (const e of t.elts as PyNode[]) if (e._t === 'Name') top.add(e);
    }
  }
  let ok = true;
  const visit = (x: unknown, late: boolean): void => {
    if (!ok || !x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach((y) => visit(y, late));
    const n = x as PyNode;
    if (!n._t) return;
    if (n._t === 'Name' && n.id === name) {
      if (n.ctx?._t === 'Load' ? late : !top.has(n)) ok = false;
      return;
    }
    if (((n._t === 'Global' || n._t === 'Nonlocal') && (n.names as string[]).includes(name)) || (n._t === 'ExceptHandler' && n.name === name)) ok = false;
    const inner = late || isFunctionNode(n) || n._t === 'GeneratorExp';
    for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') visit(v, inner);
  };
  visit(body, false);
  return ok;
}

/** Whether `name` is read by next(), iter(), .send(), .close() or .throw() somewhere in `body` (a generator object read item by item). */
export function readByNext(body: PyNode[], name: string): boolean {
  let found = false;
  walkOwn(body, (n) => {
    if (n._t === 'Call' && n.func._t === 'Name' && (n.func.id === 'next' || n.func.id === 'iter') && n.args[0]?._t === 'Name' && n.args[0].id === name) found = true;
    if (n._t === 'Call' && n.func._t === 'Attribute' && ['send', 'close', 'throw'].includes(n.func.attr) && n.func.value._t === 'Name' && n.func.value.id === name) found = true;
  });
  return found;
}

/** Builtins that consume an iterator given as an argument (the tracer reads a generator there item by item). */
const CONSUMERS = new Set(['next', 'iter', 'sum', 'any', 'all', 'list', 'sorted', 'min', 'max', 'tuple', 'set', 'enumerate', 'zip', 'map', 'filter']);

/**
 * Whether every read of `name` in `body` consumes the generator it holds where it is: next(g), g.send(v), g.close(),
 * g.throw(e), a loop or comprehension over it, `x in g`, `yield from g`, a builtin that reads it (sum, list, zip ...).
 * Then it stays in the function (inlined, or a state machine); otherwise (returned, stored, passed to a function,
 * read by a nested function) it escapes, and a @compile generator's frames hold it (ir/generator_frames.ts).
 */
export function onlyConsumed(body: PyNode[], name: string): boolean {
  let ok = true;
  const isName = (x: PyNode) => x._t === 'Name' && x.id === name;
  const consumes = (p: PyNode, k: string): boolean => (p._t === 'Call' && k === 'args' && p.func._t === 'Name' && CONSUMERS.has(p.func.id))
    || ((p._t === 'For' || p._t === 'comprehension') && k === 'iter') || (p._t === 'YieldFrom' && k === 'value')
    || (p._t === 'Compare' && k === 'comparators' && p.ops.length === 1 && (p.ops[0]._t === 'In' || p.ops[0]._t === 'NotIn'));
  const visit = (x: unknown, parent: PyNode | undefined, key: string): void => {
    if (!ok || !x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach((y) => visit(y, parent, key));
    const n = x as PyNode;
    if (!n._t) return;
    if (n._t === 'Call' && n.func._t === 'Attribute' && isName(n.func.value) && ['send', 'close', 'throw'].includes(n.func.attr)) {
      visit(n.args, n, 'args');
      visit(n.keywords, n, 'keywords');
      return;
    }
    if (isName(n) && n.ctx?._t === 'Load') {
      if (!parent || !consumes(parent, key)) ok = false;
      return;
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') visit(v, n, k);
  };
  visit(body, undefined, '');
  return ok;
}

/**
 * `map(f, xs)` and `filter(f, xs)` (`filter(None, xs)`: 'truth') as generator functions, so that one stored in a
 * variable and read item by item (next(), several passes) is a state machine that calls f on an item when CPython does.
 */
export function builtinIteratorFunction(kind: 'map' | 'filter' | 'truth', span: PyNode['span']): PyFunction {
  const n = (id: string, store = false) => nameNode(id, span, store);
  const applied: PyNode = { _t: 'Call', func: n('function'), args: [n('item')], keywords: [], span };
  const each = kind === 'map' ? yieldStmt(applied, span) : { _t: 'If', test: kind === 'filter' ? applied : n('item'), body: [yieldStmt(n('item'), span)], orelse: [], span };
  return syntheticGenerator(kind === 'truth' ? 'filter' : kind, `${kind}(function, seq)`, kind === 'truth' ? ['seq'] : ['function', 'seq'], [
    { _t: 'For', target: n('item', true), iter: n('seq'), body: [each], orelse: [], span },
  ], span);
}

/**
 * `enumerate(it, start)` (params seq, start) and `zip(a, b, ...)` of `arity` iterables (params seq0, seq1, ...) as
 * generator functions, so that one over a generator, given to groupby() or another reader of item by item, is a state
 * machine that reads its iterables when CPython's enumerate_next and zip_next do: zip asks each in argument order
 * for one item (a loop that breaks after one pass; each must be a generator object: ir/trace.ts zipCall) and ends,
 * dropping the items read, at the first that has none. Both have nothing before their first loop: their state
 * machine starts over after a run that made no item (Machine.repoll), as CPython asks the iterators again.
 */
export function enumerateOrZipFunction(arity: number | 'enumerate', span: PyNode['span']): PyFunction {
  const n = (id: string, store = false) => nameNode(id, span, store);
  const yieldOf = (v: PyNode) => yieldStmt(v, span);
  const tuple = (elts: PyNode[]): PyNode => ({ _t: 'Tuple', elts, ctx: { _t: 'Load' }, span });
  const loop = (k: number, body: PyNode[], orelse: PyNode[] = []): PyNode => ({ _t: 'For', target: n(`item${k}`, true), iter: n(`seq${k}`), body, orelse, span });
  let body: PyNode[];
  let params: string[];
  if (arity === 'enumerate') {
    // The count is the parameter itself: nothing comes before the loop, which a run that made no item starts over.
    params = ['seq0', 'start'];
    body = [loop(0, [yieldOf(tuple([n('start'), n('item0')])), { _t: 'AugAssign', target: n('start', true), op: { _t: 'Add' }, value: { _t: 'Constant', value: { _t: 'int', dec: '1' }, span }, span }])];
  } else {
    params = Array.from({ length: arity }, (_, k) => `seq${k}`);
    // for item0 in seq0: for item1 in seq1: yield (item0, item1); break / else: return — one item of each per tuple.
    const items = params.map((_, k) => n(`item${k}`));
    let inner: PyNode[] = [yieldOf(tuple(items))];
    for (let k = arity - 1; k >= 1; k--) inner = [loop(k, [...inner, { _t: 'Break', span }], [{ _t: 'Return', value: null, span }])];
    body = [loop(0, inner)];
  }
  const name = arity === 'enumerate' ? 'enumerate' : 'zip';
  return syntheticGenerator(name, `${name}(${params.join(', ')})`, params, body, span);
}

/**
 * `count(start, step)` and `cycle(seq)` held by a local of a generator compiled as frames (ir/generator_frames.ts
 * heldEndless) and read only by next() there, as generator functions that become frames of their own. The end of
 * cycle's first pass over nothing raises what CPython's generator raises when a next() in its body meets the end:
 * RuntimeError('generator raised StopIteration') (PEP 479); count never ends.
 */
export function endlessFunction(kind: 'count' | 'cycle', name: string, span: PyNode['span']): PyFunction {
  const n = (id: string, store = false) => nameNode(id, span, store);
  if (kind === 'count') {
    return syntheticGenerator(name, 'count(start, step)', ['start', 'step'], [{
      _t: 'While', test: { _t: 'Constant', value: true, span }, orelse: [], span,
      body: [yieldStmt(n('start'), span), { _t: 'AugAssign', target: n('start', true), op: { _t: 'Add' }, value: n('step'), span }],
    }], span);
  }
  const append: PyNode = { _t: 'Expr', value: { _t: 'Call', func: { _t: 'Attribute', value: n('saved'), attr: 'append', ctx: { _t: 'Load' }, span }, args: [n('item')], keywords: [], span }, span };
  const stop: PyNode = { _t: 'Call', func: n('RuntimeError'), args: [{ _t: 'Constant', value: 'generator raised StopIteration', span }], keywords: [], span };
  return syntheticGenerator(name, 'cycle(seq)', ['seq'], [
    { _t: 'Assign', targets: [n('saved', true)], value: { _t: 'List', elts: [], ctx: { _t: 'Load' }, span }, span },
    { _t: 'For', target: n('item', true), iter: n('seq'), body: [append, yieldStmt(n('item'), span)], orelse: [], span },
    { _t: 'If', test: { _t: 'UnaryOp', op: { _t: 'Not' }, operand: n('saved'), span }, body: [{ _t: 'Raise', exc: stop, cause: null, span }], orelse: [], span },
    {
      _t: 'While', test: { _t: 'Constant', value: true, span }, orelse: [], span,
      body: [{ _t: 'For', target: n('item', true), iter: n('saved'), body: [yieldStmt(n('item'), span)], orelse: [], span }],
    },
  ], span);
}

/** `iter(xs)` as a generator function (`for x in xs: yield x`), so that a list iterator is a state machine too. */
export function iterFunction(span: PyNode['span']): PyFunction {
  return syntheticGenerator('iter', 'iter(seq)', ['seq'], [
    { _t: 'For', target: nameNode('item', span, true), iter: nameNode('seq', span), body: [yieldStmt(nameNode('item', span), span)], orelse: [], span },
  ], span);
}

/**
 * A generator expression as a generator function (its clauses as loops and ifs, `yield elt` innermost), so that one
 * passed to a reader of item by item is a state machine (ir/trace.ts machineArg); its first iterable is the value
 * held where it was made, or, when it is a generator object, the parameter `source` bound to it; its other names are
 * read in the place that made it.
 */
export function genexpFunction(genexp: PyNode, source?: string): PyFunction {
  const span = genexp.span;
  let body: PyNode[] = [yieldStmt(genexp.elt, span)];
  for (let k = genexp.generators.length - 1; k >= 0; k--) {
    const c = genexp.generators[k];
    for (const cond of [...c.ifs].reverse()) body = [{ _t: 'If', test: cond, body, orelse: [], span: cond.span ?? span }];
    const iter: PyNode = k === 0 && source ? { _t: 'Name', id: source, ctx: { _t: 'Load' }, span: c.iter.span ?? span } : c.iter;
    body = [{ _t: 'For', target: c.target, iter, body, orelse: [], span: c.span ?? span }];
  }
  // `(last := x) for x in xs`: := binds in the function that made the expression (a state machine of it traces these
  // names in its owner's), not in the generator. Its first iterable was evaluated there already.
  const bound = new Set<string>();
  walkOwn([genexp.elt, ...genexp.generators.flatMap((c: PyNode, k: number) => (k === 0 ? c.ifs : [c.iter, ...c.ifs]))], (n) => {
    if (n._t === 'NamedExpr' && n.target._t === 'Name') bound.add(n.target.id);
  });
  return { ...syntheticGenerator('genexpr', 'genexpr()', source ? [source] : [], body, span), ...(bound.size ? { ownerNames: [...bound] } : {}) };
}

/** A generator function Kiln writes itself (iter(), map(), zip(), a generator expression): plain parameters, no decorators. */
function syntheticGenerator(name: string, signature: string, params: string[], body: PyNode[], span: PyNode['span']): PyFunction {
  const s = span!;
  return {
    name, line: s.line, span: s, signature, decorated: false, decorator: null, otherDecorators: [], docstring: null, isAsync: false,
    params: params.map((p) => ({ name: p, kind: 'normal', annotation: null, annotationAst: null, span: s })), vararg: null, kwarg: null, returns: null, returnsAst: null, body,
  } as PyFunction;
}

function nameNode(id: string, span: PyNode['span'], store = false): PyNode {
  return { _t: 'Name', id, ctx: { _t: store ? 'Store' : 'Load' }, span };
}

function yieldStmt(value: PyNode, span: PyNode['span']): PyNode {
  return { _t: 'Expr', value: { _t: 'Yield', value, span }, span };
}
