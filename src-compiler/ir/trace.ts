/**
 * The tracer: one Python function's AST (from the frontend, as JSON) becomes Kiln IR.
 * Tracing never runs user code and knows nothing of types; unsupported constructs stop it
 * with a Diagnostic that names the construct, its place and what to do instead.
 */
import path from 'node:path';
import type { PyFunction, PyModule, PyNode } from '../frontend/ast.ts';
import { KilnError } from '../diagnostics.ts';
import { lookupOp } from '../types/ops/index.ts';
import { EXCEPTION_KINDS, isExceptionKind } from '../lower/abi.ts';
import { IR_VERSION, type Arg, type ConstValue, type IRFunction, type IRNode, type IRRegion, type Span } from './ir.ts';
import { moduleNameOf as moduleName, oneModuleScope, type Binding, type NameScope } from '../project/scope.ts';

const BIN_OPS: Record<string, string> = {
  Add: 'add', Sub: 'sub', Mult: 'mul', Div: 'truediv', FloorDiv: 'floordiv', Mod: 'mod', Pow: 'pow',
  LShift: 'lshift', RShift: 'rshift', BitOr: 'or_', BitXor: 'xor', BitAnd: 'and_', MatMult: 'matmul',
};
const UNARY_OPS: Record<string, string> = { USub: 'neg', UAdd: 'pos', Invert: 'invert', Not: 'not_' };
const CMP_OPS: Record<string, string> = {
  Eq: 'eq', NotEq: 'ne', Lt: 'lt', LtE: 'le', Gt: 'gt', GtE: 'ge', Is: 'is_', IsNot: 'is_not', In: 'contains', NotIn: 'not_in',
};

/** Builtins the tracer resolves by name; whether a call is supported is the op registry's call. */
const BUILTINS = new Set([
  'abs', 'min', 'max', 'int', 'float', 'bool', 'round', 'divmod', 'pow', 'range', 'len', 'sum', 'print',
  'isinstance', 'type', 'str', 'list', 'dict', 'set', 'tuple', 'sorted', 'reversed', 'enumerate', 'zip',
  'map', 'filter', 'any', 'all', 'hash', 'id', 'input', 'open', 'repr', 'chr', 'ord', 'hex', 'bin', 'oct',
  'ascii', 'format', 'bytes',
]);

/** Builtins that consume an iterable argument at once: a dict, its view or a set is read into a list for them. */
const CONSUMERS = new Set(['sum', 'min', 'max', 'sorted', 'list', 'set', 'any', 'all', 'len'].map((b) => `builtins.${b}`));

/** Constructs outside the subset, with what to do instead. */
export const UNSUPPORTED: Record<string, [construct: string, hint: string]> = {
  ClassDef: ['class definition', 'define classes outside the compiled function; pass their numeric fields as arguments'],
  FunctionDef: ['nested function', 'move the function to module level; Kiln compiles module-level helpers it calls'],
  AsyncFunctionDef: ['async function', 'use a plain def'],
  Lambda: ['lambda', 'write a module-level def and call it'],
  Try: ['try/except', 'check the condition before the operation, or keep this function in Python'],
  TryStar: ['try/except*', 'keep this function in Python'],
  With: ['with statement', 'keep resource handling in Python and pass the values in'],
  AsyncWith: ['async with', 'keep this function in Python'],
  AsyncFor: ['async for', 'keep this function in Python'],
  Await: ['await', 'keep this function in Python'],
  Yield: ['yield (generator)', 'return the values instead'],
  YieldFrom: ['yield from (generator)', 'return the values instead'],
  Global: ['global statement', 'pass the value in and return the new one'],
  Nonlocal: ['nonlocal statement', 'pass the value in and return the new one'],
  Import: ['import inside a function', 'import at module level'],
  ImportFrom: ['import inside a function', 'import at module level'],
  Delete: ['del statement', 'let the variable go out of scope (del d[k] removes a dict item)'],
  Match: ['match statement', 'use if/elif/else'],
};

/**
 * `scope` answers for names defined outside the function (the project's module graph: other modules'
 * functions and values); by default the module's own names only.
 */
export function traceFunction(mod: PyModule, name: string, scope: NameScope = oneModuleScope(mod)): IRFunction {
  const fn = mod.functions.find((f) => f.name === name);
  if (!fn) {
    throw new KilnError({
      severity: 'error', file: mod.file, line: 0, col: 0, construct: 'function',
      message: `no function named '${name}' at module level`,
      hint: `functions here: ${mod.functions.map((f) => f.name).join(', ') || '(none)'}`,
    });
  }
  return new Tracer(mod, fn, scope).trace();
}

class Tracer {
  private readonly used = new Set<string>();
  private readonly locals = new Set<string>();
  /** Locals some `:=` assigns: a read of one is copied where Python loads it (`x + (x := 5)` adds the old x). */
  private readonly walrusTargets = new Set<string>();
  private readonly callees = new Set<string>();
  private region: IRNode[] = [];
  private loopDepth = 0;
  /** The module whose names are being read: the function's, or another's while its module-level value is traced. */
  private mod: PyModule;
  private moduleName: string;
  private readonly constantsInProgress = new Set<string>();
  /** Locals that hold a dict or a set (see containerLocals): `for x in name` iterates them as containers. */
  private containers = new Set<string>();
  /** While another module's value is traced in place: the place that reads it (its nodes' lines are of another file). */
  private foreignUse?: Span;

  constructor(private readonly home: PyModule, private readonly fn: PyFunction, private readonly scope: NameScope) {
    this.mod = home;
    this.moduleName = moduleName(home);
  }

  trace(): IRFunction {
    const fn = this.fn;
    if (fn.isAsync) this.fail(fn.span, 'async function', 'async functions cannot be compiled', 'use a plain def');
    if (fn.unsupportedParams.length) {
      this.fail(fn.span, 'parameters', `${fn.unsupportedParams.join(', ')} are not supported`,
        'use plain positional parameters with type annotations');
    }
    for (const p of fn.params) {
      this.locals.add(p.name);
      this.used.add(p.name);
    }
    collectAssigned(fn.body ?? [], this.locals, (node, what, hint) => this.fail(node.span!, what, `${what} is outside the compiled subset`, hint), this.walrusTargets);
    for (const l of this.locals) this.used.add(l);
    this.containers = containerLocals(fn);

    const nodes: IRNode[] = [];
    this.region = nodes;
    for (const p of fn.params) {
      nodes.push({ op: 'input', name: p.name, target: p.name, args: [], span: p.span });
    }
    const body = fn.body ?? [];
    this.block(body);
    if (!alwaysExits(body)) {
      // Falling off the end returns None, as in Python.
      const end = fn.span;
      this.emit({ op: 'output', name: this.fresh('output', false), target: 'output', args: [], span: { line: end.endLine, col: end.endCol, endLine: end.endLine, endCol: end.endCol } });
    }
    return {
      version: IR_VERSION,
      file: this.mod.file,
      module: this.moduleName,
      name: fn.name,
      qualifiedName: `${this.moduleName}.${fn.name}`,
      span: fn.span,
      params: fn.params.map((p) => ({ name: p.name, annotation: p.annotation, span: p.span })),
      returnAnnotation: fn.returns,
      locals: [...this.locals],
      nodes,
      callees: [...this.callees],
    };
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private fail(span: Span | undefined, construct: string, message: string, hint?: string): never {
    const s = span ?? this.fn.span;
    throw new KilnError({
      severity: 'error', file: this.home.file, line: s.line, col: s.col, endLine: s.endLine, endCol: s.endCol,
      construct, message, hint, function: this.fn.name,
    });
  }

  /** A unique node name: `mul` becomes `mul_result`, then `mul_result_1`, ... */
  private fresh(base: string, suffix = true): string {
    const stem = suffix ? `${base.replace(/_+$/, '')}_result` : base;
    let name = stem;
    for (let i = 1; this.used.has(name); i++) name = `${stem}_${i}`;
    this.used.add(name);
    return name;
  }

  private emit(node: IRNode): IRNode {
    if (this.foreignUse) node.span = this.foreignUse;
    this.region.push(node);
    return node;
  }

  private inRegion(nodes: IRNode[], fn: () => void): IRNode[] {
    const saved = this.region;
    this.region = nodes;
    try {
      fn();
    } finally {
      this.region = saved;
    }
    return nodes;
  }

  private call(target: string, args: Arg[], span: Span, base?: string): Arg {
    const name = this.fresh(base ?? target.split('.').pop()!);
    this.emit({ op: 'call_function', name, target, args, span });
    return { ref: name };
  }

  private assign(variable: string, value: Arg, span: Span) {
    this.emit({ op: 'assign', name: variable, target: variable, args: [value], span });
  }

  /** A synthetic local for short-circuit and conditional expressions. */
  private synthetic(base: string): string {
    const name = this.fresh(base);
    this.locals.add(name);
    return name;
  }

  // ---- statements ------------------------------------------------------------------------------

  private block(stmts: PyNode[]) {
    stmts.forEach((s, i) => {
      if (i === 0 && s._t === 'Expr' && s.value._t === 'Constant' && typeof s.value.value === 'string') return; // docstring
      this.stmt(s);
    });
  }

  private stmt(s: PyNode) {
    const span = s.span!;
    switch (s._t) {
      case 'Expr': {
        if (s.value._t === 'Constant') return; // a bare literal (e.g. a string used as a comment)
        this.expr(s.value);
        return;
      }
      case 'Pass':
        return;
      case 'Assign': {
        const value = this.expr(s.value);
        for (const t of s.targets) this.store(t, value, span, s.value);
        return;
      }
      case 'AnnAssign': {
        if (!s.value) return;
        const value = this.expr(s.value);
        if (s.target._t === 'Name') {
          // The annotation goes with the assignment: a dict or set annotation types an empty container (`seen: set[int] = set()`).
          this.assign(s.target.id, value, span);
          const text = annotationText(s.annotation);
          const node = this.region[this.region.length - 1];
          if (text && node?.op === 'assign' && node.target === s.target.id) node.annotation = text;
          return;
        }
        this.store(s.target, value, span, s.value);
        return;
      }
      case 'AugAssign': {
        if (s.target._t === 'Subscript') {
          // a[i] += v: the container and the index are evaluated once.
          const container = this.expr(s.target.value);
          const index = this.indexArgs(s.target.slice);
          const current = this.call('_operator.getitem', [container, ...index], span, 'getitem');
          const value = this.expr(s.value);
          const op = BIN_OPS[s.op._t];
          const result = this.call(`_operator.${op}`, [current, value], span, op);
          this.emit({ op: 'call_function', name: this.fresh('setitem'), target: '_operator.setitem', args: [container, ...index, result], span });
          return;
        }
        if (s.target._t !== 'Name') this.unsupportedTarget(s.target);
        const current = this.expr(s.target);
        const value = this.expr(s.value);
        const op = BIN_OPS[s.op._t];
        // `x op= y` is traced as the in-place operator (`_operator.iadd`, `_operator.imul`, ...): a list or an
        // array is updated in place, as Python and NumPy do; typecheck makes it the plain operator otherwise.
        const result = this.call(`_operator.i${op.replace(/_$/, '')}`, [current, value], span, op);
        this.assign(s.target.id, result, span);
        return;
      }
      case 'If': {
        const cond = this.condition(s.test);
        const thenNodes = this.inRegion([], () => this.block(s.body));
        const elseNodes = this.inRegion([], () => this.block(s.orelse));
        this.emit({ op: 'if', name: this.fresh('if', false), target: 'if', args: [cond], span, regions: [{ name: 'then', nodes: thenNodes }, { name: 'else', nodes: elseNodes }] });
        return;
      }
      case 'For':
        return this.forLoop(s);
      case 'While': {
        let cond: Arg = { const: { kind: 'bool', value: true } };
        const test = this.inRegion([], () => {
          cond = this.condition(s.test);
        });
        this.loopDepth++;
        const body = this.inRegion([], () => this.block(s.body));
        this.loopDepth--;
        const orelse = this.inRegion([], () => this.block(s.orelse));
        this.emit({ op: 'while', name: this.fresh('while', false), target: 'while', args: [cond], span, regions: [{ name: 'test', nodes: test }, { name: 'body', nodes: body }, { name: 'orelse', nodes: orelse }] });
        return;
      }
      case 'Break':
      case 'Continue': {
        const op = s._t === 'Break' ? 'break' : 'continue';
        if (!this.loopDepth) this.fail(span, op, `'${op}' outside loop`);
        this.emit({ op, name: this.fresh(op, false), target: op, args: [], span });
        return;
      }
      case 'Return': {
        const args = s.value ? [this.expr(s.value)] : [];
        this.emit({ op: 'output', name: this.fresh('output', false), target: 'output', args, span });
        return;
      }
      case 'Raise':
        return this.raise(s);
      case 'Delete': {
        for (const t of s.targets) {
          if (t._t !== 'Subscript') this.fail(t.span, UNSUPPORTED.Delete[0], `del of a ${t._t === 'Name' ? 'variable' : t._t} is outside the compiled subset`, UNSUPPORTED.Delete[1]);
          const container = this.expr(t.value);
          const index = this.indexArgs(t.slice);
          this.emit({ op: 'call_function', name: this.fresh('delitem'), target: '_operator.delitem', args: [container, ...index], span });
        }
        return;
      }
      case 'Assert': {
        const cond = this.condition(s.test);
        const args: Arg[] = [cond];
        if (s.msg) args.push({ const: { kind: 'str', value: this.stringLiteral(s.msg, 'assert message') } });
        this.emit({ op: 'assert', name: this.fresh('assert', false), target: 'AssertionError', args, span });
        return;
      }
      default: {
        const known = UNSUPPORTED[s._t];
        if (known) this.fail(span, known[0], `${known[0]} is outside the compiled subset`, known[1]);
        this.fail(span, s._t, `the statement ${s._t} is outside the compiled subset`);
      }
    }
  }

  private unsupportedTarget(t: PyNode): never {
    if (t._t === 'Attribute') this.fail(t.span, 'attribute assignment', 'assignment to an attribute is outside the compiled subset', 'keep objects in Python and pass numbers in');
    if (t._t === 'Starred') this.fail(t.span, 'starred assignment', 'starred assignment is outside the compiled subset', 'unpack into a fixed number of names');
    this.fail(t.span, t._t, `cannot assign to ${t._t}`);
  }

  /** Stores `value` into an assignment target: a name, or a tuple/list of targets (unpacking). */
  private store(t: PyNode, value: Arg, span: Span, valueNode?: PyNode) {
    if (t._t === 'Name') {
      this.assign(t.id, value, span);
      return;
    }
    if (t._t === 'Subscript') {
      const container = this.expr(t.value);
      const index = this.indexArgs(t.slice);
      this.emit({ op: 'call_function', name: this.fresh('setitem'), target: '_operator.setitem', args: [container, ...index, value], span });
      return;
    }
    if (t._t === 'Tuple' || t._t === 'List') {
      // `a, b = b, a + b`: the right side was evaluated in full before any name is stored.
      if (valueNode && (valueNode._t === 'Tuple' || valueNode._t === 'List') && valueNode.elts.length === t.elts.length && 'ref' in value) {
        const made = this.findNode(value.ref);
        // Assign straight from the items unless an item reads a name being assigned (a, b = b, a).
        const targets = new Set(t.elts.filter((e: PyNode) => e._t === 'Name').map((e: PyNode) => e.id));
        const simple = t.elts.every((e: PyNode) => e._t === 'Name');
        if (made && made.target === 'kiln.make_tuple' && simple && !made.args.some((a) => 'ref' in a && targets.has(a.ref))) {
          t.elts.forEach((elt: PyNode, i: number) => this.store(elt, made.args[i], span));
          return;
        }
      }
      // The length is a static fact of the tuple's type: the type checker rejects a mismatch here.
      this.emit({ op: 'call_function', name: this.fresh('unpack'), target: 'kiln.check_unpack', args: [value, { const: { kind: 'int', value: String(t.elts.length) } }], span });
      t.elts.forEach((elt: PyNode, i: number) => {
        const item = this.call('_operator.getitem', [value, { const: { kind: 'int', value: String(i) } }], span, 'getitem');
        this.store(elt, item, span);
      });
      return;
    }
    this.unsupportedTarget(t);
  }

  private findNode(name: string): IRNode | undefined {
    for (let i = this.region.length - 1; i >= 0; i--) if (this.region[i].name === name) return this.region[i];
    return undefined;
  }

  private forLoop(s: PyNode) {
    const span = s.span!;
    const it = s.iter;
    const callee = it._t === 'Call' ? this.resolveName(it.func) : undefined;
    const over = this.containerIterable(it);
    if (over) return this.forContainer(s, over);
    if (callee !== 'builtins.range') return this.forSequence(s);
    if (it.keywords.length || it.args.length < 1 || it.args.length > 3) {
      this.fail(it.span, 'range()', 'range() takes 1 to 3 positional arguments here');
    }
    if (s.target._t !== 'Name') this.fail(s.target.span, 'for target', 'the loop variable must be a single name', 'unpack inside the loop body');
    let args = it.args.map((a: PyNode) => this.expr(a));
    if (args.length === 1) args = [{ const: { kind: 'int', value: '0' } }, args[0]];
    if (args.length === 2) args.push({ const: { kind: 'int', value: '1' } });
    this.loopDepth++;
    const body = this.inRegion([], () => this.block(s.body));
    this.loopDepth--;
    const orelse = this.inRegion([], () => this.block(s.orelse));
    this.emit({ op: 'for_range', name: this.fresh('for', false), target: s.target.id, args, span, regions: [{ name: 'body', nodes: body }, { name: 'orelse', nodes: orelse }] });
  }

  /**
   * `for x in seq`, `for i, x in enumerate(seq[, start])`, `for x, y in zip(a, b, ...)`, `for x in reversed(seq)`:
   * a loop over range(len(...)) that reads item i (lists, arrays; rows of a 2-D array are views).
   * The length is read once, before the loop (a list that grows inside the loop is not iterated further).
   */
  private forSequence(s: PyNode, bodyFn?: () => void) {
    const span = s.span!;
    const it = s.iter;
    const callee = it._t === 'Call' ? this.resolveName(it.func) : undefined;
    const I = (v: string): ConstValue => ({ kind: 'int', value: v });
    let seqs: Arg[];
    let kind: 'plain' | 'enumerate' | 'zip' | 'reversed' = 'plain';
    let start: Arg = { const: I('0') };
    if (callee === 'builtins.enumerate' || callee === 'builtins.zip' || callee === 'builtins.reversed') {
      if (it.keywords.some((k: PyNode) => k.arg !== 'start') || it.args.some((a: PyNode) => a._t === 'Starred')) this.fail(it.span, `${callee}()`, `these arguments to ${callee}() are outside the compiled subset`);
      kind = callee.slice(9) as 'enumerate' | 'zip' | 'reversed';
      if (kind === 'enumerate') {
        const startNode = it.args[1] ?? it.keywords.find((k: PyNode) => k.arg === 'start')?.value;
        if (it.args.length < 1 || it.args.length > 2) this.fail(it.span, 'enumerate()', 'enumerate() takes a sequence and an optional start');
        seqs = [this.expr(it.args[0])];
        if (startNode) start = this.expr(startNode);
      } else {
        if (!it.args.length || (kind === 'reversed' && it.args.length !== 1)) this.fail(it.span, `${kind}()`, `${kind}() needs ${kind === 'zip' ? 'sequences' : 'one sequence'}`);
        seqs = it.args.map((a: PyNode) => this.expr(a));
      }
    } else {
      seqs = [this.expr(it)];
    }
    // Each sequence is held in a local so that the loop reads the object the iterable was when it started: a local
    // variable is read as it is, unless the loop body rebinds it (`for c in s: s = s.replace(c, '')` iterates the
    // original string, as Python's iterator holds it).
    const rebound = new Set<string>();
    collectAssigned(s.body ?? [], rebound, () => undefined as never);
    const held = seqs.map((a) => {
      if ('ref' in a && this.locals.has(a.ref) && !rebound.has(a.ref)) return a;
      const v = this.synthetic('iter');
      this.assign(v, a, span);
      return { ref: v } as Arg;
    });
    let n: Arg = this.call('builtins.len', [held[0]], span, 'len');
    for (const h of held.slice(1)) n = this.call('builtins.min', [n, this.call('builtins.len', [h], span, 'len')], span, 'min');
    const idx = this.synthetic('index');
    const body = this.inRegion([], () => {
      let i: Arg = { ref: idx };
      if (kind === 'reversed') i = this.call('_operator.sub', [this.call('_operator.sub', [n, { ref: idx }], span, 'sub'), { const: I('1') }], span, 'sub');
      const items = held.map((h) => this.call('kiln.iter_item', [h, i], span, 'item'));
      let parts: Arg[] | undefined;
      if (kind === 'enumerate') {
        const count = !('const' in start && start.const.kind === 'int' && start.const.value === '0') ? this.call('_operator.add', [{ ref: idx }, start], span, 'add') : { ref: idx } as Arg;
        parts = [count, items[0]];
      } else if (kind === 'zip') parts = items;
      if (parts && (s.target._t === 'Tuple' || s.target._t === 'List') && s.target.elts.length === parts.length) {
        // Unpack straight from the items (no tuple at run time).
        s.target.elts.forEach((elt: PyNode, k: number) => this.store(elt, parts![k], span));
      } else this.store(s.target, parts ? this.call('kiln.make_tuple', parts, span, 'tuple') : items[0], span);
      if (bodyFn) bodyFn();
      else {
        this.loopDepth++;
        this.block(s.body);
        this.loopDepth--;
      }
    });
    const orelse = this.inRegion([], () => this.block(s.orelse ?? []));
    this.emit({ op: 'for_range', name: this.fresh('for', false), target: idx, args: [{ const: I('0') }, n, { const: I('1') }], span, regions: [{ name: 'body', nodes: body }, { name: 'orelse', nodes: orelse }] });
  }

  /** A loop of a comprehension: `for` clauses nest, `if` clauses guard the innermost body. */
  private comprehension(generators: PyNode[], inner: () => void) {
    const [g, ...rest] = generators;
    if (g.is_async && g.is_async.dec !== '0') this.fail(g.span, 'async comprehension', 'async comprehensions are outside the compiled subset');
    const body = () => {
      const guarded = (conds: PyNode[]) => {
        if (!conds.length) {
          if (rest.length) this.comprehension(rest, inner);
          else inner();
          return;
        }
        const [c, ...more] = conds;
        const cond = this.condition(c);
        const thenNodes = this.inRegion([], () => guarded(more));
        this.emit({ op: 'if', name: this.fresh('if', false), target: 'if', args: [cond], span: c.span!, regions: [{ name: 'then', nodes: thenNodes }, { name: 'else', nodes: [] }] });
      };
      guarded(g.ifs);
    };
    const span = g.iter.span!;
    const loop: PyNode = { _t: 'For', span, target: g.target, iter: g.iter, body: [], orelse: [] };
    const callee = g.iter._t === 'Call' ? this.resolveName(g.iter.func) : undefined;
    if (callee === 'builtins.range') {
      // for_range with the comprehension's body.
      const it = g.iter;
      if (g.target._t !== 'Name') this.fail(g.target.span, 'for target', 'the loop variable must be a single name');
      let args = it.args.map((a: PyNode) => this.expr(a));
      if (args.length === 1) args = [{ const: { kind: 'int', value: '0' } }, args[0]];
      if (args.length === 2) args.push({ const: { kind: 'int', value: '1' } });
      const nodes = this.inRegion([], body);
      this.emit({ op: 'for_range', name: this.fresh('for', false), target: g.target.id, args, span, regions: [{ name: 'body', nodes }, { name: 'orelse', nodes: [] }] });
      return;
    }
    const over = this.containerIterable(g.iter);
    if (over) this.forContainer(loop, over, body);
    else this.forSequence(loop, body);
  }

  /**
   * The container a loop iterates with the runtime's iterator, and which part: `d.keys()`, `d.values()`,
   * `d.items()` (any expression), or a local that holds a dict or set (containerLocals). The tracer knows no types:
   * a loop over any other container is an index loop, and typecheck says how to write it when that is a dict.
   */
  private containerIterable(it: PyNode): { container: PyNode; part: 'keys' | 'values' | 'items' } | undefined {
    if (it._t === 'Call' && it.func._t === 'Attribute' && ['keys', 'values', 'items'].includes(it.func.attr) && !it.args.length && !it.keywords.length) {
      return { container: it.func.value, part: it.func.attr };
    }
    if (it._t === 'Name' && this.containers.has(it.id)) return { container: it, part: 'keys' };
    return undefined;
  }

  /**
   * `for k in d`, `for v in d.values()`, `for k, v in d.items()`, `for x in s`: a while loop on the runtime's
   * iterator (kiln.loop_start / loop_next), which raises RuntimeError when the container changes size as CPython's does.
   */
  private forContainer(s: PyNode, over: { container: PyNode; part: 'keys' | 'values' | 'items' }, bodyFn?: () => void) {
    const span = s.span!;
    const loop = this.synthetic('loop');
    this.assign(loop, this.call('kiln.loop_start', [this.expr(over.container), { const: { kind: 'str', value: over.part } }], span, 'loop'), span);
    let cond: Arg = { const: { kind: 'bool', value: false } };
    const test = this.inRegion([], () => {
      cond = this.call('kiln.loop_next', [{ ref: loop }], span, 'next');
    });
    const body = this.inRegion([], () => {
      if (over.part === 'items') {
        const k = this.call('kiln.loop_key', [{ ref: loop }], span, 'key');
        const v = this.call('kiln.loop_value', [{ ref: loop }], span, 'value');
        if ((s.target._t === 'Tuple' || s.target._t === 'List') && s.target.elts.length === 2) {
          this.store(s.target.elts[0], k, span);
          this.store(s.target.elts[1], v, span);
        } else this.store(s.target, this.call('kiln.make_tuple', [k, v], span, 'tuple'), span);
      } else this.store(s.target, this.call(over.part === 'values' ? 'kiln.loop_value' : 'kiln.loop_key', [{ ref: loop }], span, 'item'), span);
      if (bodyFn) bodyFn();
      else {
        this.loopDepth++;
        this.block(s.body);
        this.loopDepth--;
      }
    });
    const orelse = this.inRegion([], () => this.block(s.orelse ?? []));
    this.emit({ op: 'while', name: this.fresh('while', false), target: 'while', args: [cond], span, regions: [{ name: 'test', nodes: test }, { name: 'body', nodes: body }, { name: 'orelse', nodes: orelse }] });
  }

  /** `[elt for ...]` (and generator expressions handed to sum/any/all/min/max/sorted/list): a new list. */
  private listComprehension(n: PyNode): Arg {
    const v = this.synthetic('listcomp');
    this.assign(v, this.call('kiln.make_list', [], n.span!, 'list'), n.span!);
    this.comprehension(n.generators, () => {
      const item = this.expr(n.elt);
      this.emit({ op: 'call_function', name: this.fresh('append'), target: 'method.append', args: [{ ref: v }, item], span: n.elt.span! });
    });
    return { ref: v };
  }

  /** `{k: v for ...}` and `{x for ...}`: an empty dict or set, then each item stored in order (CPython's MAP_ADD / SET_ADD). */
  private containerComprehension(n: PyNode): Arg {
    const dict = n._t === 'DictComp';
    const v = this.synthetic(dict ? 'dictcomp' : 'setcomp');
    this.assign(v, this.call(dict ? 'kiln.make_dict' : 'kiln.make_set', [], n.span!, dict ? 'dict' : 'set'), n.span!);
    this.comprehension(n.generators, () => {
      if (dict) {
        const key = this.expr(n.key);
        const value = this.expr(n.value);
        this.emit({ op: 'call_function', name: this.fresh('setitem'), target: '_operator.setitem', args: [{ ref: v }, key, value], span: n.key.span! });
      } else {
        const item = this.expr(n.elt);
        this.emit({ op: 'call_function', name: this.fresh('add'), target: 'method.add', args: [{ ref: v }, item], span: n.elt.span! });
      }
    });
    return { ref: v };
  }

  /** The index of a subscript as getitem/setitem arguments: `a[i]`, `a[i, j]`, `a[1:n:2]`, `a[:, 0]`. */
  private indexArgs(sl: PyNode): Arg[] {
    const one = (x: PyNode): Arg => {
      if (x._t === 'Slice') {
        const part = (p: PyNode | null): Arg => (p ? this.expr(p) : { const: { kind: 'none' } });
        return this.call('kiln.slice', [part(x.lower), part(x.upper), part(x.step)], x.span ?? sl.span!, 'slice');
      }
      if (x._t === 'Starred') this.fail(x.span, 'starred index', 'starred indices are outside the compiled subset');
      return this.expr(x);
    };
    if (sl._t === 'Tuple') return sl.elts.map(one);
    return [one(sl)];
  }

  private raise(s: PyNode) {
    const span = s.span!;
    if (!s.exc) this.fail(span, 'bare raise', 're-raising is outside the compiled subset', 'raise a specific exception');
    if (s.cause) this.fail(span, 'raise ... from', 'exception chaining is outside the compiled subset');
    let excName: PyNode = s.exc;
    const args: Arg[] = [];
    if (s.exc._t === 'Call') {
      excName = s.exc.func;
      if (s.exc.keywords.length || s.exc.args.length > 1) this.fail(span, 'raise', 'an exception here takes at most one argument, its message (a str)');
      // The message: a literal, or any str expression (an f-string, a concatenation): typecheck checks it is a str.
      if (s.exc.args.length) {
        const m = s.exc.args[0];
        args.push(m._t === 'Constant' && typeof m.value === 'string' ? { const: { kind: 'str', value: m.value } } : this.expr(m));
      }
    }
    if (excName._t !== 'Name' || !isExceptionKind(excName.id)) {
      this.fail(span, 'raise', 'only built-in exceptions can be raised here', `use one of ${EXCEPTION_KINDS.filter((k) => !k.module).map((k) => k.name).join(', ')}`);
    }
    this.emit({ op: 'raise', name: this.fresh('raise', false), target: excName.id, args, span });
  }

  private stringLiteral(n: PyNode, what: string): string {
    if (n._t === 'Constant' && typeof n.value === 'string') return n.value;
    this.fail(n.span, what, `the ${what} must be a string literal`, 'write a fixed message in quotes: "..."');
  }

  // ---- expressions -----------------------------------------------------------------------------

  /** An expression used as a condition: `and`/`or` short-circuit to a bool. */
  private condition(n: PyNode): Arg {
    if (n._t === 'BoolOp') return this.shortCircuit(n, true);
    return this.expr(n);
  }

  private expr(n: PyNode): Arg {
    const span = n.span!;
    switch (n._t) {
      case 'Constant':
        return { const: this.constant(n) };
      case 'Name':
        return this.name(n);
      case 'BinOp': {
        const a = this.expr(n.left);
        const b = this.expr(n.right);
        const op = BIN_OPS[n.op._t];
        return this.call(`_operator.${op}`, [a, b], span, op);
      }
      case 'UnaryOp': {
        if (n.op._t === 'USub' && n.operand._t === 'Constant' && typeof n.operand.value !== 'boolean' && n.operand.value !== null) {
          const c = this.constant(n.operand);
          if (c.kind === 'int') return { const: { kind: 'int', value: c.value.startsWith('-') ? c.value.slice(1) : `-${c.value}` } };
          if (c.kind === 'float') return { const: negateFloat(c) };
        }
        const a = this.expr(n.operand);
        const op = UNARY_OPS[n.op._t];
        return this.call(`_operator.${op}`, [a], span, op.replace(/_$/, ''));
      }
      case 'BoolOp':
        return this.shortCircuit(n, false);
      case 'Compare':
        return this.compare(n);
      case 'IfExp': {
        const v = this.synthetic('ifexp');
        const cond = this.condition(n.test);
        const thenNodes = this.inRegion([], () => this.assign(v, this.expr(n.body), n.body.span));
        const elseNodes = this.inRegion([], () => this.assign(v, this.expr(n.orelse), n.orelse.span));
        this.emit({ op: 'if', name: this.fresh('if', false), target: 'if', args: [cond], span, regions: [{ name: 'then', nodes: thenNodes }, { name: 'else', nodes: elseNodes }] });
        return { ref: v };
      }
      case 'Call':
        return this.callExpr(n);
      case 'Tuple': {
        if (n.elts.some((e: PyNode) => e._t === 'Starred')) this.fail(span, 'starred expression', 'starred items in a tuple are outside the compiled subset');
        const items = n.elts.map((e: PyNode) => this.expr(e));
        return this.call('kiln.make_tuple', items, span, 'tuple');
      }
      case 'Subscript': {
        const value = this.expr(n.value);
        const index = this.indexArgs(n.slice);
        return this.call('_operator.getitem', [value, ...index], span, 'getitem');
      }
      case 'List': {
        if (n.elts.some((e: PyNode) => e._t === 'Starred')) this.fail(span, 'starred expression', 'starred items in a list are outside the compiled subset');
        return this.call('kiln.make_list', n.elts.map((e: PyNode) => this.expr(e)), span, 'list');
      }
      case 'ListComp':
        return this.listComprehension(n);
      case 'Dict': {
        if (n.keys.some((k: PyNode | null) => !k)) this.fail(span, '**mapping in a dict display', 'unpacking a mapping into a dict display is outside the compiled subset', 'store the items one by one');
        // Keys and values are evaluated in order, key before its value (as CPython).
        const args: Arg[] = [];
        n.keys.forEach((k: PyNode, i: number) => args.push(this.expr(k), this.expr(n.values[i])));
        return this.call('kiln.make_dict', args, span, 'dict');
      }
      case 'Set': {
        if (n.elts.some((e: PyNode) => e._t === 'Starred')) this.fail(span, 'starred expression', 'starred items in a set are outside the compiled subset');
        return this.call('kiln.make_set', n.elts.map((e: PyNode) => this.expr(e)), span, 'set');
      }
      case 'DictComp':
      case 'SetComp':
        return this.containerComprehension(n);
      case 'GeneratorExp':
        // Outside a call that consumes it at once, a generator is materialised as a list (same items).
        return this.listComprehension(n);
      case 'Attribute': {
        const dotted = this.resolveName(n);
        if (dotted && !this.isLocal(rootName(n))) return this.valueAt(dotted, span);
        if (['shape', 'size', 'ndim', 'T'].includes(n.attr)) return this.call(`attr.${n.attr}`, [this.expr(n.value)], span, n.attr === 'T' ? 'transpose' : n.attr);
        this.fail(span, 'attribute access', `the attribute .${n.attr} is outside the compiled subset`, 'arrays have .shape, .size, .ndim and .T here');
        break;
      }
      case 'JoinedStr':
        return this.fstring(n);
      case 'NamedExpr': {
        const value = this.expr(n.value);
        this.assign(n.target.id, value, span);
        return value; // the value assigned, not the name: a later := in the same expression may rebind it
      }
      default: {
        const known = UNSUPPORTED[n._t];
        if (known) this.fail(span, known[0], `${known[0]} is outside the compiled subset`, known[1]);
      }
    }
    this.fail(span, n._t, `the expression ${n._t} is outside the compiled subset`);
  }

  private constant(n: PyNode): ConstValue {
    const v = n.value;
    if (v === null) return { kind: 'none' };
    if (typeof v === 'boolean') return { kind: 'bool', value: v };
    if (typeof v === 'string') return { kind: 'str', value: v };
    if (v && v._t === 'bytes') return { kind: 'bytes', hex: v.hex };
    if (v && v._t === 'int') return { kind: 'int', value: v.dec };
    if (v && v._t === 'float') return { kind: 'float', hex: v.hex, repr: v.repr };
    if (v && v._t === 'complex') this.fail(n.span, 'complex number', 'complex numbers are outside the compiled subset');
    this.fail(n.span, 'constant', `the constant ${JSON.stringify(v)} is outside the compiled subset`);
  }

  private name(n: PyNode): Arg {
    const id: string = n.id;
    if (this.isLocal(id) && this.walrusTargets.has(id)) {
      const copy = this.synthetic('load');
      this.assign(copy, { ref: id }, n.span!);
      return { ref: copy };
    }
    if (this.isLocal(id)) return { ref: id };
    const c = this.mod.constants[id];
    if (c) return this.moduleConstant(id, n.span!);
    const imported = this.mod.imports[id];
    if (imported) return this.valueAt(imported, n.span!, id);
    if (this.mod.functions.some((f) => f.name === id)) {
      this.fail(n.span, 'function as a value', `the function '${id}' is used as a value`, 'call it directly; functions are not first-class values in compiled code');
    }
    if (['int', 'float', 'bool'].includes(id)) {
      // As a dtype: np.zeros(n, dtype=float), a.astype(int).
      const name = this.fresh(id, false);
      this.emit({ op: 'constant', name, target: `builtins.${id}`, args: [], span: n.span! });
      return { ref: name };
    }
    if (BUILTINS.has(id)) this.fail(n.span, 'builtin as a value', `the builtin '${id}' is used as a value`, 'call it directly');
    this.fail(n.span, 'undefined name', `name '${id}' is not defined`, 'define it at module level as a constant, or pass it in');
  }

  /** Python's scoping: a function's locals hide module names, except while a module-level value is read. */
  private isLocal(id: string): boolean {
    return this.mod === this.home && this.locals.has(id);
  }

  /**
   * A module-level constant of the module being read (`mod`: another module's, for `utils.SCALE`): a literal
   * becomes a `constant` node; an expression of constants is traced in place, its names read in its own module.
   */
  private moduleConstant(id: string, span: Span, mod: PyModule = this.mod): Arg {
    const c = mod.constants[id];
    const v = c.value;
    const qualified = `${moduleName(mod)}.${id}`;
    const literal = constantLiteral(v);
    if (literal) {
      const name = this.fresh(id, false);
      this.emit({ op: 'constant', name, target: qualified, args: [{ const: literal }], span });
      return { ref: name };
    }
    if (this.constantsInProgress.has(qualified)) this.fail(span, 'module constant', `the module constant '${id}' refers to itself`);
    this.constantsInProgress.add(qualified);
    const saved = [this.mod, this.moduleName, this.foreignUse] as const;
    [this.mod, this.moduleName] = [mod, moduleName(mod)];
    if (mod !== this.home) this.foreignUse ??= span;
    try {
      return this.expr(v);
    } catch (e) {
      if (e instanceof KilnError) {
        const where = mod === this.home ? `line ${c.span.line}` : `${path.basename(mod.file)}:${c.span.line}`;
        this.fail(span, 'module constant', `the module-level value '${id}' (${where}) cannot be compiled: ${e.diagnostic.message}`, e.diagnostic.hint);
      }
      throw e;
    } finally {
      [this.mod, this.moduleName, this.foreignUse] = saved;
      this.constantsInProgress.delete(qualified);
    }
  }

  /** A name defined outside the function and this module (`utils.SCALE`, `math.pi`), read as a value. */
  private valueAt(dotted: string, span: Span, shown = dotted): Arg {
    const b = this.scope.resolve(dotted);
    switch (b.kind) {
      case 'value':
        return this.moduleConstant(b.name, span, b.mod);
      case 'function':
        this.fail(span, 'function as a value', `the function '${shown}' is used as a value`, 'call it directly; functions are not first-class values in compiled code');
        break;
      case 'module':
        this.fail(span, 'module as a value', `the module '${b.module}' is used as a value`, `use one of its names: ${shown}.NAME`);
        break;
      case 'missing':
        this.missing(b, span);
        break;
      case 'external': {
        const name = this.fresh(b.dotted.split('.').pop()!, false);
        this.emit({ op: 'constant', name, target: b.dotted, args: [], span });
        return { ref: name };
      }
    }
    return this.fail(span, 'name', `'${shown}' cannot be read here`);
  }

  private missing(b: Binding & { kind: 'missing' }, span: Span): never {
    this.fail(span, 'import', b.message, b.hint);
  }

  /** The project function a call target names (this module's or another's), or undefined for a library call. */
  private projectFunction(target: string, span: Span): { qualified: string; fn: PyFunction } | undefined {
    const b = this.scope.resolve(target);
    if (b.kind === 'function') return { qualified: b.qualified, fn: b.fn };
    if (b.kind === 'missing') this.missing(b, span);
    if (b.kind === 'module') this.fail(span, 'call', `'${target}' is a module, not a function`);
    if (b.kind === 'value') this.fail(span, 'call', `'${target}' is a module-level value, not a function`);
    return undefined;
  }

  /** The dotted name that a Name or Attribute chain refers to through the module's imports. */
  private resolveName(n: PyNode): string | undefined {
    if (n._t === 'Name') {
      if (this.isLocal(n.id)) return undefined;
      if (this.mod.functions.some((f) => f.name === n.id)) return `${this.moduleName}.${n.id}`;
      if (this.mod.imports[n.id]) return this.mod.imports[n.id];
      if (BUILTINS.has(n.id) || isExceptionKind(n.id)) return `builtins.${n.id}`;
      return undefined;
    }
    if (n._t === 'Attribute') {
      const base = this.resolveName(n.value);
      return base ? `${base}.${n.attr}` : undefined;
    }
    return undefined;
  }

  private callExpr(n: PyNode): Arg {
    const span = n.span!;
    const target = this.resolveName(n.func);
    if (!target && n.func._t === 'Attribute' && n.func.attr === 'format') return this.formatCall(n);
    if (!target && n.func._t === 'Attribute') {
      // A method of a value: lst.append(x), a.sum(axis=0), a.reshape(2, 3).
      return this.libraryCall(`method.${n.func.attr}`, [n.func.value, ...n.args], n.keywords, span, n.func.attr);
    }
    // A function of the project, here or in another module (through imports and re-exports): its canonical name.
    const callee = target ? this.projectFunction(target, span) : undefined;
    if (target && !callee && (keywordsOf(target) || consumesIterable(target))) {
      return this.libraryCall(target, n.args, n.keywords, span, target.split('.').pop()!);
    }
    if (!target) {
      if (n.func._t === 'Attribute') {
        this.fail(span, 'method call', `the method .${n.func.attr}() is outside the compiled subset`, 'call a module-level function instead');
      }
      if (n.func._t === 'Name' && this.isLocal(n.func.id)) this.fail(span, 'call of a variable', `'${n.func.id}' is a variable, not a function`);
      if (n.func._t === 'Name') this.fail(span, 'undefined name', `name '${n.func.id}' is not defined`);
      this.fail(span, 'call', 'this call is outside the compiled subset');
    }
    if (n.args.some((a: PyNode) => a._t === 'Starred')) this.fail(span, '*args in a call', 'starred arguments are outside the compiled subset');
    if (target === 'builtins.print') this.fail(span, 'print()', 'print() has no native equivalent here', 'return the value instead, or keep printing in the Python caller');
    if (target === 'builtins.range') this.fail(span, 'range()', 'range() is supported only as the iterable of a for loop');
    if (target === 'builtins.isinstance') return this.isinstanceCall(n);
    if (target === 'builtins.type') this.fail(span, 'type()', 'type(x) is compiled only in a test such as type(x) is float', 'or use isinstance(x, float)');
    const local = callee?.fn;
    let argNodes: PyNode[] = n.args;
    if (n.keywords.length) {
      if (!local) {
        this.fail(span, 'keyword arguments', `keyword arguments to ${target}() are outside the compiled subset`, 'pass the arguments by position');
      }
      argNodes = [...n.args];
      for (const kw of n.keywords) {
        if (kw.arg === null) this.fail(span, '**kwargs in a call', 'unpacking keyword arguments is outside the compiled subset');
        const i = local.params.findIndex((p) => p.name === kw.arg);
        if (i < 0) this.fail(kw.span ?? span, 'keyword argument', `${local.name}() got an unexpected keyword argument '${kw.arg}'`);
        if (argNodes[i]) this.fail(kw.span ?? span, 'keyword argument', `${local.name}() got multiple values for argument '${kw.arg}'`);
        argNodes[i] = kw.value;
      }
      for (let i = 0; i < local.params.length; i++) {
        if (!argNodes[i]) this.fail(span, 'call', `${local.name}() missing required argument: '${local.params[i].name}'`);
      }
    }
    if (local) {
      if (argNodes.length !== local.params.length) {
        this.fail(span, 'call', `${local.name}() takes ${local.params.length} positional arguments but ${argNodes.length} were given`);
      }
      this.callees.add(callee!.qualified === `${moduleName(this.home)}.${local.name}` ? local.name : callee!.qualified);
    }
    // String literals an op reads at compile time (np.einsum's subscripts) stay literals.
    const literal = lookupOp(target)?.facts.constantStrings ?? [];
    const args = argNodes.map((a, i): Arg => (literal.includes(i) && a._t === 'Constant' && typeof a.value === 'string' ? { const: { kind: 'str', value: a.value } } : this.consumedArg(target, a)));
    return this.call(callee?.qualified ?? target, args, span, target.split('.').pop());
  }

  /**
   * An argument of a builtin that consumes an iterable at once (`sorted(d)`, `sum(d.values())`, `max(s)`,
   * `list(d.items())`): a dict, its view or a set is read into a new list first (`kiln.view_list`), which gives the
   * same items as iterating the container there. Anything else is the expression itself.
   */
  private consumedArg(target: string, a: PyNode): Arg {
    const over = CONSUMERS.has(target) ? this.containerIterable(a) : undefined;
    if (!over || (target === 'builtins.len' && a._t === 'Name')) return this.expr(a);
    return this.call('kiln.view_list', [this.expr(over.container), { const: { kind: 'str', value: over.part } }], a.span!, 'items');
  }

  /**
   * A call of a library function or method with its keyword arguments put in place (the op's `keywords`
   * fact): every parameter not given is None, so the registry entry sees a fixed number of arguments.
   */
  private libraryCall(target: string, argNodes: PyNode[], keywords: PyNode[], span: Span, base: string): Arg {
    if (argNodes.some((a) => a._t === 'Starred')) this.fail(span, '*args in a call', 'starred arguments are outside the compiled subset');
    const names = keywordsOf(target);
    const placed: (PyNode | undefined)[] = [...argNodes];
    for (const kw of keywords) {
      if (kw.arg === null) this.fail(span, '**kwargs in a call', 'unpacking keyword arguments is outside the compiled subset');
      const i = names ? names.indexOf(kw.arg) : -1;
      if (i < 0) this.fail(kw.span ?? span, 'keyword argument', `the keyword argument ${kw.arg}= of ${target.replace(/^method\./, '.')}() is outside the compiled subset`, names ? `supported: ${names.slice(1).join(', ')}` : 'pass the arguments by position');
      if (placed[i]) this.fail(kw.span ?? span, 'keyword argument', `${target}() got multiple values for argument '${kw.arg}'`);
      placed[i] = kw.value;
    }
    const total = names ? Math.max(names.length, placed.length) : placed.length;
    const defaults = lookupOp(target)?.facts.defaults;
    const args: Arg[] = [];
    for (let i = 0; i < total; i++) {
      const a = placed[i];
      if (!a) args.push({ const: (names && defaults?.[names[i]]) || { kind: 'none' } });
      else if (a._t === 'GeneratorExp' && i === 0 && consumesIterable(target)) args.push(this.listComprehension(a));
      // A str literal names an option (kind='stable', side='right', ord='fro'): the op reads it at compile time.
      else if (a._t === 'Constant' && typeof a.value === 'string') args.push({ const: { kind: 'str', value: a.value } });
      else args.push(this.consumedArg(target, a));
    }
    return this.call(target, args, span, base);
  }

  // ---- strings: f-strings and str.format ------------------------------------------------------------

  /**
   * An f-string is one `kiln.fstring` call: args[0] is its template (a str literal holding JSON: a list of
   * pieces, `{"l": text}` for literal text, `{"v": k, "c": conversion, "s": spec}` for a field whose value is
   * args[k], conversion -1 (none), 115 (!s), 114 (!r) or 97 (!a), spec a literal format spec or `{"a": k}`
   * when the spec has fields of its own (`{x:>{w}}`: args[k] is that spec, itself an f-string)). So the whole
   * string is built by one writer, and a literal spec is parsed once.
   */
  private fstring(n: PyNode): Arg {
    const args: Arg[] = [];
    const pieces: unknown[] = [];
    for (const part of n.values as PyNode[]) {
      if (part._t === 'Constant') {
        pieces.push({ l: part.value });
        continue;
      }
      if (part._t !== 'FormattedValue') this.fail(part.span, 'f-string', `${part._t} inside an f-string is outside the compiled subset`);
      const value = this.expr(part.value);
      args.push(value);
      // The frontend writes ints as {_t: 'int', dec}: the conversion is -1 (none), 115 (!s), 114 (!r) or 97 (!a).
      const conversion = typeof part.conversion === 'object' && part.conversion ? Number(part.conversion.dec) : Number(part.conversion);
      const piece: Record<string, unknown> = { v: args.length, c: conversion };
      const spec: PyNode | null = part.format_spec;
      if (spec) {
        const literal = (spec.values as PyNode[]).every((x) => x._t === 'Constant');
        if (literal) piece.s = (spec.values as PyNode[]).map((x) => x.value).join('');
        else {
          args.push(this.fstring(spec));
          piece.s = { a: args.length };
        }
      }
      pieces.push(piece);
    }
    return this.call('kiln.fstring', [{ const: { kind: 'str', value: JSON.stringify(pieces) } }, ...args], n.span!, 'fstring');
  }

  /**
   * `fmt.format(*args, **kwargs)`: `method.format` with args [fmt, names, positional..., keyword values...], names
   * a str literal holding the JSON list of the keyword names (the op needs them: `{name}` fields).
   */
  private formatCall(n: PyNode): Arg {
    const span = n.span!;
    if (n.args.some((a: PyNode) => a._t === 'Starred') || n.keywords.some((k: PyNode) => k.arg === null)) {
      this.fail(span, 'str.format', '*args and **kwargs in str.format() are outside the compiled subset', 'pass each value by position or by name');
    }
    const self = this.expr(n.func.value);
    const names = n.keywords.map((k: PyNode) => k.arg as string);
    const positional = n.args.map((a: PyNode) => this.expr(a));
    const named = n.keywords.map((k: PyNode) => this.expr(k.value));
    return this.call('method.format', [self, { const: { kind: 'str', value: JSON.stringify(names) } }, ...positional, ...named], span, 'format');
  }

  /** `a and b` / `a or b`, evaluated left to right with short-circuit into a synthetic local. */
  private shortCircuit(n: PyNode, asCondition: boolean): Arg {
    const isAnd = n.op._t === 'And';
    const v = this.synthetic(isAnd ? 'and' : 'or');
    const operand = (e: PyNode): Arg => {
      if (!asCondition) return this.expr(e);
      if (e._t === 'BoolOp') return this.shortCircuit(e, true);
      const a = this.expr(e);
      return isStaticallyBool(e) ? a : this.call('builtins.bool', [a], e.span!, 'bool');
    };
    const emitRest = (rest: PyNode[]) => {
      if (!rest.length) return;
      const [first, ...more] = rest;
      const inner = this.inRegion([], () => {
        this.assign(v, operand(first), first.span!);
        emitRest(more);
      });
      const regions: IRRegion[] = isAnd ? [{ name: 'then', nodes: inner }, { name: 'else', nodes: [] }] : [{ name: 'then', nodes: [] }, { name: 'else', nodes: inner }];
      this.emit({ op: 'if', name: this.fresh('if', false), target: 'if', args: [{ ref: v }], span: first.span!, regions });
    };
    this.assign(v, operand(n.values[0]), n.values[0].span);
    emitRest(n.values.slice(1));
    return { ref: v };
  }

  private compare(n: PyNode): Arg {
    const span = n.span!;
    const typeTest = this.typeIsTest(n);
    if (typeTest) return typeTest;
    const check = (op: PyNode) => CMP_OPS[op._t];
    let left = this.expr(n.left);
    const cmp = (op: string, a: Arg, b: Arg): Arg => {
      // x in seq is operator.contains(seq, x); not in is its negation.
      if (op === 'contains') return this.call('_operator.contains', [b, a], span, 'contains');
      if (op === 'not_in') return this.call('_operator.not_', [this.call('_operator.contains', [b, a], span, 'contains')], span, 'not');
      return this.call(`_operator.${op}`, [a, b], span, op);
    };
    if (n.ops.length === 1) {
      const op = check(n.ops[0]);
      return cmp(op, left, this.expr(n.comparators[0]));
    }
    // a < b < c: each operand evaluated at most once, stopping at the first false comparison.
    const v = this.synthetic('compare');
    const step = (i: number) => {
      const op = check(n.ops[i]);
      const right = this.expr(n.comparators[i]);
      this.assign(v, cmp(op, left, right), span);
      left = right;
      if (i + 1 < n.ops.length) {
        const inner = this.inRegion([], () => step(i + 1));
        this.emit({ op: 'if', name: this.fresh('if', false), target: 'if', args: [{ ref: v }], span, regions: [{ name: 'then', nodes: inner }, { name: 'else', nodes: [] }] });
      }
    };
    step(0);
    return { ref: v };
  }

  // ---- type tests (ops/optional.ts): isinstance(x, int), type(x) is float ------------------------------

  /** A class a type test names, as a literal: int, float, bool, type(None) (or undefined: not one of these). */
  private classLiteral(c: PyNode): ConstValue | undefined {
    if (c._t === 'Call' && c.args.length === 1 && !c.keywords.length && this.resolveName(c.func) === 'builtins.type'
      && c.args[0]._t === 'Constant' && c.args[0].value === null) return { kind: 'class', name: 'NoneType' };
    const name = this.resolveName(c);
    if (name === 'builtins.int' || name === 'builtins.float' || name === 'builtins.bool') return { kind: 'class', name: name.slice(9) };
    return undefined;
  }

  /** `isinstance(x, cls)` with cls one of the classes above or a tuple of them: `builtins.isinstance(x, <class>...)`. */
  private isinstanceCall(n: PyNode): Arg {
    const span = n.span!;
    if (n.args.length !== 2 || n.keywords.length) this.fail(span, 'isinstance()', 'isinstance() takes exactly 2 arguments');
    const spec = n.args[1];
    const items: PyNode[] = spec._t === 'Tuple' ? spec.elts : [spec];
    const classes = items.map((c) => this.classLiteral(c) ?? this.fail(c.span ?? span, 'isinstance()', 'isinstance() is compiled for int, float, bool and type(None) (or a tuple of them)', 'test the value itself, or keep this check in Python'));
    return this.call('builtins.isinstance', [this.expr(n.args[0]), ...classes.map((c) => ({ const: c }))], span, 'isinstance');
  }

  /** `type(x) is float` (also `==`, `is not`, `!=`): `kiln.type_is(x, <class>)`, negated for the last two. */
  private typeIsTest(n: PyNode): Arg | undefined {
    if (n.ops.length !== 1 || !['Is', 'IsNot', 'Eq', 'NotEq'].includes(n.ops[0]._t)) return undefined;
    const isTypeCall = (c: PyNode) => c._t === 'Call' && c.args.length === 1 && !c.keywords.length && this.resolveName(c.func) === 'builtins.type';
    const [a, b] = [n.left, n.comparators[0]];
    const call = isTypeCall(a) && !this.classLiteral(a) ? a : isTypeCall(b) && !this.classLiteral(b) ? b : undefined;
    if (!call) return undefined;
    const other = call === a ? b : a;
    const cls = this.classLiteral(other) ?? this.fail(other.span ?? n.span, 'type()', 'type(x) is compared with int, float, bool or type(None) here', 'or use isinstance(x, ...)');
    const test = this.call('kiln.type_is', [this.expr(call.args[0]), { const: cls }], n.span!, 'type_is');
    return n.ops[0]._t === 'IsNot' || n.ops[0]._t === 'NotEq' ? this.call('_operator.not_', [test], n.span!, 'not') : test;
  }
}

/** The parameter names of a library call with keywords (the op's fact; enumerate() is the tracer's own, in for loops). */
function keywordsOf(target: string): readonly string[] | undefined {
  return target === 'builtins.enumerate' ? ['iterable', 'start'] : lookupOp(target)?.facts.keywords;
}

/** Calls that consume a generator expression argument at once (it is built as a list first). */
const consumesIterable = (target: string) => !!lookupOp(target)?.facts.consumesIterable;

function rootName(n: PyNode): string {
  while (n._t === 'Attribute') n = n.value;
  return n._t === 'Name' ? n.id : '';
}

function isStaticallyBool(e: PyNode): boolean {
  return e._t === 'Compare' || (e._t === 'UnaryOp' && e.op._t === 'Not') || (e._t === 'Constant' && typeof e.value === 'boolean');
}

function negateFloat(c: ConstValue & { kind: 'float' }): ConstValue {
  const neg = (s: string) => (s.startsWith('-') ? s.slice(1) : `-${s}`);
  return { kind: 'float', hex: neg(c.hex), repr: neg(c.repr) };
}

/** The source text of a simple annotation (names, attributes, subscripts, tuples): `dict[str, list[int]]`. */
function annotationText(n: PyNode | null | undefined): string | undefined {
  if (!n) return undefined;
  if (n._t === 'Name') return n.id;
  if (n._t === 'Attribute') {
    const base = annotationText(n.value);
    return base && `${base}.${n.attr}`;
  }
  if (n._t === 'Subscript') {
    const base = annotationText(n.value);
    const inner = n.slice._t === 'Tuple' ? n.slice.elts.map(annotationText) : [annotationText(n.slice)];
    return base && inner.every(Boolean) ? `${base}[${inner.join(', ')}]` : undefined;
  }
  if (n._t === 'Constant' && n.value === null) return 'None';
  return undefined;
}

/**
 * The locals of a function that hold a dict or a set: parameters annotated dict[...] / set[...], and names assigned
 * a dict or set display, a comprehension of one, dict() or set(), or annotated as one.
 */
function containerLocals(fn: PyFunction): Set<string> {
  const out = new Set<string>();
  const isContainerAnnotation = (a: string | null | undefined) => !!a && /^(dict|set|frozenset|Dict|Set|typing\.Dict|typing\.Set)\b/.test(a.trim());
  for (const p of fn.params) if (isContainerAnnotation(p.annotation)) out.add(p.name);
  const makesContainer = (v: PyNode | null | undefined) => !!v && (['Dict', 'Set', 'DictComp', 'SetComp'].includes(v._t)
    || (v._t === 'Call' && v.func._t === 'Name' && ['dict', 'set'].includes(v.func.id)));
  const annotated = (a: PyNode | null | undefined) => !!a && ((a._t === 'Name' && ['dict', 'set'].includes(a.id)) || (a._t === 'Subscript' && a.value._t === 'Name' && ['dict', 'set'].includes(a.value.id)));
  const visit = (x: unknown) => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(visit);
    const n = x as PyNode;
    if (n._t === 'Assign' && makesContainer(n.value)) for (const t of n.targets) if (t._t === 'Name') out.add(t.id);
    if (n._t === 'AnnAssign' && n.target._t === 'Name' && (makesContainer(n.value) || annotated(n.annotation))) out.add(n.target.id);
    for (const v of Object.values(n)) if (v && typeof v === 'object') visit(v);
  };
  visit(fn.body ?? []);
  return out;
}

/** The literal value of a module constant's right side, if it is one (`64`, `-1.5`, `True`). */
function constantLiteral(v: PyNode): ConstValue | undefined {
  if (v._t === 'Constant') {
    const x = v.value;
    if (typeof x === 'boolean') return { kind: 'bool', value: x };
    if (typeof x === 'string') return { kind: 'str', value: x };
    if (x && x._t === 'bytes') return { kind: 'bytes', hex: x.hex };
    if (x && x._t === 'int') return { kind: 'int', value: x.dec };
    if (x && x._t === 'float') return { kind: 'float', hex: x.hex, repr: x.repr };
  }
  if (v._t === 'UnaryOp' && v.op._t === 'USub') {
    const inner = constantLiteral(v.operand);
    if (inner?.kind === 'int') return { kind: 'int', value: inner.value.startsWith('-') ? inner.value.slice(1) : `-${inner.value}` };
    if (inner?.kind === 'float') return negateFloat(inner);
  }
  return undefined;
}

/** Python's rule: a name assigned anywhere in the function body is local to it. */
function collectAssigned(stmts: PyNode[], out: Set<string>, fail: (n: PyNode, what: string, hint: string) => never, walrus?: Set<string>) {
  const visitTarget = (t: PyNode) => {
    if (t._t === 'Name') out.add(t.id);
    else if (t._t === 'Tuple' || t._t === 'List') t.elts.forEach(visitTarget);
    else if (t._t === 'Starred') visitTarget(t.value);
  };
  const visit = (n: any) => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object' || !n._t) return;
    switch (n._t) {
      case 'Assign': n.targets.forEach(visitTarget); break;
      case 'AnnAssign': case 'AugAssign': visitTarget(n.target); break;
      case 'For': case 'AsyncFor': visitTarget(n.target); break;
      case 'NamedExpr': visitTarget(n.target); walrus?.add(n.target.id); break;
      case 'comprehension': visitTarget(n.target); break; // a comprehension's variable (a local of the function here)
      case 'Lambda': case 'FunctionDef': case 'ClassDef': case 'AsyncFunctionDef': {
        const known = UNSUPPORTED[n._t];
        fail(n, known[0], known[1]);
      }
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') visit(v);
  };
  visit(stmts);
}

/** True when control never reaches the end of this statement list (return/raise on every path). */
export function alwaysExits(stmts: PyNode[]): boolean {
  return stmts.some((s) => {
    switch (s._t) {
      case 'Return': case 'Raise': return true;
      case 'If': return alwaysExits(s.body) && alwaysExits(s.orelse);
      case 'While': {
        const infinite = s.test._t === 'Constant' && s.test.value === true;
        return infinite && !containsBreak(s.body);
      }
      default: return false;
    }
  });
}

function containsBreak(stmts: PyNode[]): boolean {
  const visit = (n: any): boolean => {
    if (Array.isArray(n)) return n.some(visit);
    if (!n || typeof n !== 'object' || !n._t) return false;
    if (n._t === 'Break') return true;
    if (n._t === 'For' || n._t === 'While') return visit(n.orelse); // a break in a nested loop belongs to it
    return Object.entries(n).some(([k, v]) => k !== 'span' && visit(v));
  };
  return visit(stmts);
}
