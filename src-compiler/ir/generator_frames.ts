/**
 * Recursive generators (`def walk(node): ... yield from walk(child)`): a generator that calls itself cannot be
 * inlined where it is consumed (ir/generators.ts), since each level needs a frame of its own. Such a generator
 * becomes a class of the module with the generator's name, so `walk(t)` makes its frame on the heap, and the
 * classes' machinery compiles the rest (fields, counts, the collector, the iteration protocol):
 *
 *     class walk:
 *         def __init__(self, node): self.node = node; self.__kiln_st = 0; self.__kiln_have = False
 *         def __iter__(self): return self
 *         def __kiln_step(self):     # runs the state machine to its next item: True when it made one
 *             while not self.__kiln_have and self.__kiln_st >= 0:
 *                 k = self.__kiln_st; self.__kiln_st = -1    # an exception leaves the generator finished
 *                 if k == 0: <state 0> elif k == 1: ...
 *             if self.__kiln_have: self.__kiln_have = False; return True
 *             return False
 *         def __next__(self):
 *             if self.__kiln_step(): return self.__kiln_val
 *             raise StopIteration
 *         def send(self, value): ...          # as __next__, with `x = yield v` given value (TypeError before the start)
 *         def close(self): self.__kiln_st = -1  # no yield is inside a try: GeneratorExit only finishes it
 *
 * The states are generatorStateMachine's, with the generator's locals read and written as fields of self. A loop
 * over a call of the generator inside it (`yield from walk(c)`, `for p in perms(rest)`), or of another recursive
 * generator of the module, keeps the child frame in a field and calls its step directly; the field is set to None
 * when the child ends, which frees it. A frame whose consumer drops it (a break) is freed with its children by the
 * counts.
 *
 * Generator methods (`def walk(self): ... yield from self.left.walk()`) and `@compile` generators (whose caller gets
 * an iterator: docs/design/exceptions.md "Generators across the boundary") are frames the same way: a class
 * `__kiln_gen_<Class>_<method>` / `__kiln_gen_<name>`, and the method or entry returns one (generatorFrames).
 *
 * `g.throw(e)` finishes the frame and raises e where it is called (ir/trace.ts throwInto): what CPython does at a
 * yield outside a try. Not converted (the tracer's refusal stays): *args, nested functions, `super()` in a method,
 * and what generatorStateMachine cannot cut (a yield inside a try or a with).
 */
import type { PyClass, PyFunction, PyModule, PyNode } from '../frontend/ast.ts';
import { baseClass } from './protocols.ts';
import { endlessFunction, FRAME_FIELD, FRAME_ITEM, FRAME_RETURN, FRAME_SELF, FRAME_SEND, FRAME_SENT, FRAME_STEP, generatorLocals, generatorStateMachine, inlineProblem, isGeneratorFunction, returnsValue, yieldUsedAsValue, type MachineNames } from './generators.ts';

const NAMES: MachineNames = { st: '__kiln_st', val: FRAME_ITEM, have: '__kiln_have', sent: FRAME_SENT, ret: FRAME_RETURN };

/** Visits every node of `n`, nested functions included. */
function visitAll(n: unknown, fn: (x: PyNode) => void): void {
  if (Array.isArray(n)) return n.forEach((x) => visitAll(x, fn));
  if (!n || typeof n !== 'object' || !(n as PyNode)._t) return;
  fn(n as PyNode);
  for (const [k, v] of Object.entries(n)) if (k !== 'span' && k !== '_t') visitAll(v, fn);
}

/**
 * The module-level generators that call themselves, directly or through other generators of the module (`even`
 * calling `odd` calling `even`): each level of them needs a frame of its own.
 */
export function recursiveGenerators(mod: PyModule): PyFunction[] {
  const gens = new Map(mod.functions.filter((f) => !f.methodOf && isGeneratorFunction(f) && !mod.classes?.[f.name]).map((f) => [f.name, f]));
  const calls = new Map<string, Set<string>>();
  for (const [name, fn] of gens) {
    const out = new Set<string>();
    visitAll(fn.body ?? [], (n) => { if (n._t === 'Call' && n.func._t === 'Name' && gens.has(n.func.id)) out.add(n.func.id); });
    calls.set(name, out);
  }
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [...calls.get(from)!];
    while (stack.length) {
      const g = stack.pop()!;
      if (g === to) return true;
      if (!seen.has(g)) { seen.add(g); stack.push(...calls.get(g)!); }
    }
    return false;
  };
  return [...gens.values()].filter((f) => reaches(f.name, f.name));
}

/**
 * The module with its generators that need frames of their own replaced by classes of frames: each recursive
 * generator it can compile so (a class with the generator's name), and each generator method `C.m` (a class
 * `__kiln_gen_C_m`; the method becomes `return __kiln_gen_C_m(self, ...)`, keeping the generator as written in
 * `generator` where a loop over an instance can inline it).
 */
export function generatorFrames(mod: PyModule): PyModule {
  const endless = heldEndless(mod);
  const recursive = [...recursiveGenerators(mod), ...endless];
  const names = new Set(recursive.map((f) => f.name));
  const methods = mod.functions.filter((f) => f.methodOf && isGeneratorFunction(f) && !mod.classes?.[f.methodOf]?.generatorFrame
    && (f.methodDecorators ?? []).every((d) => d === 'staticmethod'));
  // A generator compiled as an entry (@compile) gives its caller the frame: a Python or C iterator over its items.
  const entries = mod.functions.filter((f) => !f.methodOf && f.decorated && isGeneratorFunction(f) && !names.has(f.name));
  const methodNames = new Set(methods.map((f) => f.name.slice(f.methodOf!.length + 1)));
  // One that cannot be cut into states stays a generator (the tracer refuses it where it recurses, or where it is
  // not inlined); the others' loops over it are then not child frames.
  const converted = new Set([...recursive, ...methods, ...entries]);
  for (let changed = true; changed;) {
    changed = false;
    for (const f of converted) {
      if (!frameProblem(f, names, methodNames)) continue;
      converted.delete(f);
      if (entries.includes(f)) {
        // stays a generator: the tracer refuses it as an entry
      } else if (f.methodOf) {
        const m = f.name.slice(f.methodOf.length + 1);
        if (![...converted].some((g) => g.methodOf && g.name.slice(g.methodOf.length + 1) === m)) methodNames.delete(m);
      } else {
        names.delete(f.name);
      }
      changed = true;
    }
  }
  const isFrame = callOfFrame(names, methodNames);
  for (const fn of recursive.filter((f) => converted.has(f))) {
    // count's and cycle's frames are shown as itertools' (tracebacks, the refusal of a list held by a returned frame)
    const cls = frameClass(fn, fn.name, endless.includes(fn) ? `itertools.${fn.signature.split('(')[0]}` : fn.name, isFrame);
    mod.functions = mod.functions.filter((f) => f !== fn).concat(cls.methods);
    mod.classes = { ...mod.classes, [fn.name]: cls.record };
  }
  const frameOf = (c: string, m: string) => `${FRAME_FIELD}gen_${c}_${m}`;
  const framed = new Set([...converted].filter((f) => f.methodOf).map((f) => f.name));
  /** The frames of the bases of class c whose method m is a generator with frames, nearest first. */
  const baseFrames = (c: string, m: string): string[] => {
    const out: string[] = [];
    for (let b = baseClass(mod, mod.classes![c]); b; b = baseClass(mod, b)) if (framed.has(`${b.name}.${m}`)) out.push(frameOf(b.name, m));
    return out;
  };
  for (const fn of [...methods, ...entries].filter((f) => converted.has(f))) {
    const m = fn.methodOf ? fn.name.slice(fn.methodOf.length + 1) : fn.name;
    const frame = fn.methodOf ? frameOf(fn.methodOf, m) : `${FRAME_FIELD}gen_${m}`;
    const cls = frameClass(fn, frame, fn.name, isFrame);
    if (fn.methodOf) cls.record.frameMethod = m;
    // An override's frames derive from those of the method it overrides, and both methods return the first's: a call
    // dispatched over the classes returns one type, whose step runs the instance's own generator.
    const bases = fn.methodOf ? baseFrames(fn.methodOf, m) : [];
    const root = bases[bases.length - 1] ?? frame;
    if (bases.length) cls.record.bases = [bases[0]];
    const span = fn.span;
    const arg = (p: PyFunction['params'][number]): PyNode => ({ _t: 'Name', id: p.name, ctx: { _t: 'Load' }, span });
    const make: PyNode = {
      _t: 'Call', func: { _t: 'Name', id: frame, ctx: { _t: 'Load' }, span }, span,
      args: fn.params.filter((p) => p.kind !== 'kwonly').map(arg),
      keywords: fn.params.filter((p) => p.kind === 'kwonly').map((p) => ({ _t: 'keyword', arg: p.name, value: arg(p), span })),
    };
    // Calling a generator runs none of it: CPython shows no frame of the call (qualname '').
    const maker: PyFunction = {
      ...fn, returns: root, returnsAst: { _t: 'Name', id: root, ctx: { _t: 'Load' }, span }, body: [{ _t: 'Return', value: make, span }], qualname: '', frames: root,
    };
    // A loop over an instance (a method), or compiled code consuming a call of an entry in the function that makes it
    // (for, sum, list, next ... of gen(n): ir/trace.ts generatorCall), inlines the generator or makes it a state
    // machine, with no frame, unless it makes frames itself (a tree's walk).
    let makesFrames = false;
    visitAll(fn.body ?? [], (n) => { if (isFrame(n)) makesFrames = true; });
    if (!makesFrames && !inlineProblem(fn, true)) maker.generator = fn;
    mod.functions = mod.functions.map((f) => (f === fn ? maker : f)).concat(cls.methods);
    mod.classes = { ...mod.classes, [frame]: cls.record };
  }
  return mod;
}

const ENDLESS: Record<string, 'count' | 'cycle'> = { 'itertools.count': 'count', 'itertools.cycle': 'cycle' };

/**
 * `c = count(start, step)` or `c = cycle(xs)` in a generator that becomes frames (an entry, a generator method, a
 * recursive generator), read only by `next(c)`: the generator's locals are fields of its frame, and a field cannot hold
 * the state machine a plain function keeps in its locals (ir/trace.ts makeMachine). So c holds a frame of its own, of
 * a generator written for it (generators.ts endlessFunction: `__kiln_count0`, `__kiln_cycle1`, ..., one per variable), and `next(c)` is
 * `c.__next__()`. Not where the generator has a try with handlers (an `except StopIteration` around next(c) would see
 * the RuntimeError cycle's frame raises at its end). Rewrites those generators in mod and returns the generators to
 * compile as frames.
 */
function heldEndless(mod: PyModule): PyFunction[] {
  const recursive = new Set(recursiveGenerators(mod).map((f) => f.name));
  const framed = (f: PyFunction) => isGeneratorFunction(f) && ((f.methodOf && (f.methodDecorators ?? []).every((d) => d === 'staticmethod')) || (!f.methodOf && f.decorated) || recursive.has(f.name));
  const global = (id: string, fn: PyFunction) => !generatorLocals(fn).includes(id) && !mod.functions.some((f) => f.name === id) && !mod.classes?.[id];
  const kindOf = (call: PyNode, fn: PyFunction): 'count' | 'cycle' | undefined => {
    if (call?._t !== 'Call') return undefined;
    const f = call.func;
    const target = f._t === 'Name' && global(f.id, fn) ? mod.imports[f.id]
      : f._t === 'Attribute' && f.value._t === 'Name' && global(f.value.id, fn) && mod.imports[f.value.id] === 'itertools' ? `itertools.${f.attr}` : undefined;
    const kind = target ? ENDLESS[target] : undefined;
    if (kind === 'cycle') return call.args.length === 1 && call.args[0]._t !== 'Starred' && !call.keywords.length ? kind : undefined;
    if (kind === 'count') return call.args.length <= 2 && !call.args.some((a: PyNode) => a._t === 'Starred') && call.keywords.every((k: PyNode) => k.arg === 'start' || k.arg === 'step') ? kind : undefined;
    return undefined;
  };
  const made: PyFunction[] = [];
  mod.functions = mod.functions.map((fn) => {
    if (!framed(fn)) return fn;
    let handlers = false;
    visitAll(fn.body ?? [], (n) => { if ((n._t === 'Try' || n._t === 'TryStar') && n.handlers.length) handlers = true; });
    if (handlers || !global('next', fn)) return fn;
    // Each local bound once, to count(...) or cycle(...), and read only as next(c) (nested functions included)
    const stores = new Map<string, number>();
    const loads = new Map<string, number>();
    const nexts = new Map<string, number>();
    const add = (m: Map<string, number>, id: string) => m.set(id, (m.get(id) ?? 0) + 1);
    visitAll(fn.body ?? [], (n) => {
      if (n._t === 'Name') add(n.ctx?._t === 'Load' ? loads : stores, n.id);
      if (n._t === 'Call' && n.func._t === 'Name' && n.func.id === 'next' && n.args.length === 1 && !n.keywords.length && n.args[0]._t === 'Name') add(nexts, n.args[0].id);
    });
    // One generator per variable: the types of its frame's fields are those of its own arguments
    const held = new Map<string, string>();
    visitAll(fn.body ?? [], (n) => {
      if (n._t !== 'Assign' || n.targets.length !== 1 || n.targets[0]._t !== 'Name') return;
      const id: string = n.targets[0].id;
      const kind = kindOf(n.value, fn);
      if (!kind || fn.params.some((p) => p.name === id) || stores.get(id) !== 1 || nexts.get(id) !== loads.get(id)) return;
      const gen = endlessFunction(kind, `${FRAME_FIELD}${kind}${made.length}`, n.value.span ?? fn.span);
      made.push(gen);
      held.set(id, gen.name);
    });
    if (!held.size) return fn;
    const span = fn.span;
    const constant = (v: number): PyNode => ({ _t: 'Constant', value: { _t: 'int', dec: String(v) }, span });
    const rewrite = (x: unknown): unknown => {
      if (Array.isArray(x)) return x.map(rewrite);
      if (!x || typeof x !== 'object' || !(x as PyNode)._t) return x;
      const n = x as PyNode;
      if (n._t === 'Assign' && n.targets.length === 1 && n.targets[0]._t === 'Name' && held.has(n.targets[0].id)) {
        const gen = held.get(n.targets[0].id)!;
        const call = n.value;
        const args = rewrite(call.args) as PyNode[];
        const keywords = rewrite(call.keywords) as PyNode[];
        if (gen.startsWith(`${FRAME_FIELD}count`)) {
          // count(start=0, step=1): the missing ones as constants after what is given (evaluated in the order written)
          const given = new Set(keywords.map((k) => k.arg));
          if (args.length < 1 && !given.has('start')) keywords.push({ _t: 'keyword', arg: 'start', value: constant(0), span });
          if (args.length < 2 && !given.has('step')) keywords.push({ _t: 'keyword', arg: 'step', value: constant(1), span });
        }
        return { ...n, value: { ...call, func: { _t: 'Name', id: gen, ctx: { _t: 'Load' }, span: call.func.span }, args, keywords } };
      }
      if (n._t === 'Call' && n.func._t === 'Name' && n.func.id === 'next' && n.args.length === 1 && n.args[0]._t === 'Name' && held.has(n.args[0].id)) {
        return { _t: 'Call', func: { _t: 'Attribute', value: n.args[0], attr: '__next__', ctx: { _t: 'Load' }, span: n.span }, args: [], keywords: [], span: n.span };
      }
      return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, k === 'span' || k === '_t' ? v : rewrite(v)]));
    };
    return { ...fn, body: rewrite(fn.body) as PyNode[] };
  });
  return made;
}

/**
 * A call that makes frames: of one of the recursive generators `names` (itself, or another one of the module), or
 * `x.m(...)` of a generator method m of the module's classes (`self.left.walk()`; any class's method of that name).
 */
const callOfFrame = (names: Set<string>, methods = new Set<string>()) => (n: PyNode) => n._t === 'Call'
  && ((n.func._t === 'Name' && names.has(n.func.id)) || (n.func._t === 'Attribute' && methods.has(n.func.attr)));

/** Why a generator is not compiled as frames (the tracer's refusal says it), if it is not. */
export function frameProblem(fn: PyFunction, frames = new Set([fn.name]), methods = new Set<string>()): { node?: PyNode; message: string } | undefined {
  const isFrame = callOfFrame(frames, methods);
  const inline = inlineProblem(fn, true, isFrame);
  if (inline) return { node: inline.node, message: inline.message };
  let sup: PyNode | undefined;
  visitAll(fn.body ?? [], (n) => { if (n._t === 'Name' && n.id === 'super') sup ??= n; });
  if (sup) return { node: sup, message: 'super() in a generator method (its body runs in a frame of its own)' };
  const sm = generatorStateMachine(fn, NAMES, isFrame);
  return 'node' in sm ? { node: sm.node, message: `${sm.message} is not cut into states` } : undefined;
}

/** Whether a generator may end without `return v` (its end, or a bare `return`): its frames' value starts as None. */
function mayEndWithoutValue(fn: PyFunction): boolean {
  const body = fn.body ?? [];
  const last = body[body.length - 1];
  let bare = false;
  visitAll(body, (n) => { if (n._t === 'Return' && (!n.value || (n.value._t === 'Constant' && n.value.value === null))) bare = true; });
  return bare || last?._t !== 'Return';
}

/** The class `cls` of the frames of generator `fn` (`shown`: its name as written), whose loops over `isFrame` calls read child frames. */
function frameClass(fn: PyFunction, cls: string, shown: string, isFrame: (n: PyNode) => boolean): { record: PyClass; methods: PyFunction[] } {
  const sm = generatorStateMachine(fn, NAMES, isFrame);
  if ('node' in sm) throw new Error(`internal: the generator ${shown} has no states`);
  const span = fn.span;
  const handlerNames = new Set<string>();
  visitAll(fn.body ?? [], (n) => { if (n._t === 'ExceptHandler' && n.name) handlerNames.add(n.name); });
  const fields = new Set([...generatorLocals(fn), ...sm.temps, ...Object.values(NAMES)].filter((x) => !handlerNames.has(x)));

  const name = (id: string, store = false): PyNode => ({ _t: 'Name', id, ctx: { _t: store ? 'Store' : 'Load' }, span });
  // Every field is `__kiln_...` (a local x is `self.__kiln_l_x`): the program's `g.x` is not one (types/ops/classes.ts).
  const own = new Set([...sm.temps, ...Object.values(NAMES)]);
  const fieldName = (id: string) => (own.has(id) ? id : `${FRAME_FIELD}l_${id}`);
  const field = (id: string, store = false): PyNode => ({ _t: 'Attribute', value: name(FRAME_SELF), attr: fieldName(id), ctx: { _t: store ? 'Store' : 'Load' }, span });
  const assign = (target: PyNode, value: PyNode): PyNode => ({ _t: 'Assign', targets: [target], value, span });
  const int = (v: number): PyNode => ({ _t: 'Constant', value: { _t: 'int', dec: String(v) }, span });
  const bool = (v: boolean): PyNode => ({ _t: 'Constant', value: v, span });
  let loopVars = 0;

  /** The generator's locals as fields of self (names bound by a comprehension stay its own). */
  const rewrite = (x: unknown, shadow: Set<string>): unknown => {
    if (Array.isArray(x)) return x.map((y) => rewrite(y, shadow));
    if (!x || typeof x !== 'object' || !(x as PyNode)._t) return x;
    const n = x as PyNode;
    if (n._t === 'Name' && fields.has(n.id) && !shadow.has(n.id)) return { ...field(n.id, n.ctx?._t === 'Store'), span: n.span };
    if (['ListComp', 'SetComp', 'DictComp', 'GeneratorExp'].includes(n._t)) {
      const inner = new Set(shadow);
      for (const g of n.generators) visitAll(g.target, (t) => { if (t._t === 'Name') inner.add(t.id); });
      return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, k === 'span' || k === '_t' ? v : rewrite(v, inner)]));
    }
    if ((n._t === 'For' || n._t === 'AsyncFor') && !(n.target._t === 'Name' && !fields.has(n.target.id))) {
      // `for self.x in xs` is not compiled: the loop binds a local of the method, then the field.
      const v = `__kiln_for${loopVars++}`;
      const body = [assign(rewrite(n.target, shadow) as PyNode, name(v)), ...(rewrite(n.body, shadow) as PyNode[])];
      return { ...n, target: name(v, true), iter: rewrite(n.iter, shadow), body, orelse: rewrite(n.orelse, shadow) };
    }
    return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, k === 'span' || k === '_t' ? v : rewrite(v, shadow)]));
  };

  // A method's `self`, never assigned, is a local of the step read from its field: `self.left.walk()` is then narrowed
  // by `self.left is not None` as in any method (a chain through the frame's field would be one level deeper).
  const selfName = fn.methodOf && !fn.methodDecorators?.includes('staticmethod') ? fn.params[0]?.name : undefined;
  let assigned = false;
  visitAll(fn.body ?? [], (n) => { if (n._t === 'Name' && n.id === selfName && n.ctx?._t !== 'Load') assigned = true; });
  const receiver = selfName && !assigned ? [selfName] : [];
  // The state a resumed `x = yield v` starts (with `x = sent`: generatorStateMachine) keeps x in a local of the step,
  // stored into its field when the state ends: `if x is None:` there narrows x, as a test narrows a local (not a field).
  const receivedIn = (stmts: PyNode[]): string | undefined => {
    const [first] = stmts;
    const [target] = first?._t === 'Assign' ? first.targets : [];
    return target?._t === 'Name' && fields.has(target.id) && first.value._t === 'Name' && first.value.id === NAMES.sent ? target.id : undefined;
  };
  // The dispatch: `if k == 0: ... elif k == 1: ...`.
  let dispatch: PyNode[] = [];
  for (let k = sm.cases.length - 1; k >= 0; k--) {
    if (!sm.cases[k].length) continue; // a state that does nothing (or is never entered): st is -1 already
    const received = receivedIn(sm.cases[k]);
    const body = rewrite(sm.cases[k], new Set([...receiver, ...(received ? [received] : [])])) as PyNode[];
    if (received) body.push(assign(field(received, true), name(received)));
    const test: PyNode = { _t: 'Compare', left: name('__kiln_k'), ops: [{ _t: 'Eq' }], comparators: [int(k)], span };
    dispatch = [{ _t: 'If', test, body, orelse: dispatch, span }];
  }
  const running: PyNode = {
    _t: 'BoolOp', op: { _t: 'And' }, span,
    values: [{ _t: 'UnaryOp', op: { _t: 'Not' }, operand: field(NAMES.have), span }, { _t: 'Compare', left: field(NAMES.st), ops: [{ _t: 'GtE' }], comparators: [int(0)], span }],
  };
  const step: PyNode[] = [
    ...receiver.map((r) => assign(name(r, true), field(r))),
    {
      _t: 'While', test: running, orelse: [], span,
      body: [assign(name('__kiln_k', true), field(NAMES.st)), assign(field(NAMES.st, true), int(-1)), ...dispatch],
    },
    { _t: 'If', test: field(NAMES.have), body: [assign(field(NAMES.have, true), bool(false)), { _t: 'Return', value: bool(true), span }], orelse: [], span },
    { _t: 'Return', value: bool(false), span },
  ];
  const call = (obj: PyNode, m: string): PyNode => ({ _t: 'Call', func: { _t: 'Attribute', value: obj, attr: m, ctx: { _t: 'Load' }, span }, args: [], keywords: [], span });
  // `x = yield v` reads what send() gave (None for next()).
  const receives = !!yieldUsedAsValue(fn);
  const none: PyNode = { _t: 'Constant', value: null, span };
  const resume = (sent: PyNode): PyNode[] => [
    ...(receives ? [assign(field(NAMES.sent, true), sent)] : []),
    { _t: 'If', test: call(name(FRAME_SELF), FRAME_STEP), body: [{ _t: 'Return', value: field(NAMES.val), span }], orelse: [], span },
    { _t: 'Raise', exc: name('StopIteration'), cause: null, span },
  ];
  const next = resume(none);
  // send(v): CPython's TypeError for a value sent before the first yield (state 0 is never entered again).
  const justStarted: PyNode = {
    _t: 'BoolOp', op: { _t: 'And' }, span, values: [
      { _t: 'Compare', left: field(NAMES.st), ops: [{ _t: 'Eq' }], comparators: [int(0)], span },
      { _t: 'Compare', left: name('value'), ops: [{ _t: 'IsNot' }], comparators: [none], span },
    ],
  };
  const typeError: PyNode = { _t: 'Call', func: name('TypeError'), args: [{ _t: 'Constant', value: "can't send non-None value to a just-started generator", span }], keywords: [], span };
  const refuseEarly: PyNode = { _t: 'If', test: justStarted, body: [{ _t: 'Raise', exc: typeError, cause: null, span }], orelse: [], span };
  const send: PyNode[] = [refuseEarly, ...resume(name('value'))];
  // The caller across the boundary sends through the step: True when it made an item (kiln_<frames>__send).
  const sendStep: PyNode[] = [refuseEarly, assign(field(NAMES.sent, true), name('value')), { _t: 'Return', value: call(name(FRAME_SELF), FRAME_STEP), span }];
  // close(): no yield is inside a try (generatorStateMachine), so the GeneratorExit raised at it only finishes it.
  const close: PyNode[] = [assign(field(NAMES.st, true), int(-1)), { _t: 'Return', value: none, span }];
  const returns = returnsValue(fn);
  const init: PyNode[] = [
    ...fn.params.map((p) => assign(field(p.name, true), name(p.name))),
    assign(field(NAMES.st, true), int(0)),
    assign(field(NAMES.have, true), bool(false)),
    ...(receives ? [assign(field(NAMES.sent, true), none)] : []),
    // What `x = yield from g(...)` reads when g ends without `return v` (None), so that the field is always set.
    ...(mayEndWithoutValue(fn) ? [assign(field(NAMES.ret, true), { _t: 'Constant', value: null, span })] : []),
  ];
  const self = { name: FRAME_SELF, kind: fn.params[0]?.kind === 'posonly' ? 'posonly' : 'normal', annotation: null, annotationAst: null, span } as PyFunction['params'][number];
  // Tracebacks name the generator at the lines of its step (CPython's generator frame), and nothing for __next__.
  const qualname: Record<string, string> = { [FRAME_STEP]: shown, __next__: '', send: '', [FRAME_SEND]: '', close: '' };
  const method = (m: string, params: PyFunction['params'], body: PyNode[]): PyFunction => ({
    name: `${cls}.${m}`, line: fn.line, span, signature: `${m}(${params.map((p) => p.name).join(', ')})`, decorated: false, decorator: null,
    otherDecorators: [], docstring: null, isAsync: false, params, vararg: null, kwarg: null, returns: null, returnsAst: null, body,
    methodOf: cls, methodDecorators: [], ...(qualname[m] !== undefined ? { qualname: qualname[m] } : {}),
  });
  const value = { name: 'value', kind: 'normal', annotation: null, annotationAst: null, span } as PyFunction['params'][number];
  const methods = [
    method('__init__', [self, ...fn.params], init),
    method('__iter__', [self], [{ _t: 'Return', value: name(FRAME_SELF), span }]),
    method(FRAME_STEP, [self], step),
    method('__next__', [self], next),
    method('send', [self, value], send),
    method('close', [self], close),
    ...(receives ? [method(FRAME_SEND, [self, value], sendStep)] : []),
  ];
  const record: PyClass = {
    name: cls, span, bases: [], keywords: [], decorators: [], fields: [], attrs: [], other: [],
    methods: methods.map((m) => ({ name: m.name.slice(cls.length + 1), decorators: [], span })),
    dataclass: null, dataclassFields: [], dataclassProblems: [], generatorFrame: shown, ...(returns ? { frameReturnsValue: true } : {}),
    ...(receives ? { frameReceives: fn.returns ?? '' } : {}),
  };
  return { record, methods };
}
