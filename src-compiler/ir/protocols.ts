/**
 * The iteration protocol of compiled classes (issue 15): `for x in obj`, `list(obj)`, `sum(obj)`... where obj is an
 * instance of a class of the module that defines `__iter__`. The tracer has no types, so it compiles the protocol
 * where the source says which class the iterable is (iterableClass): a call of the class (`for x in Countdown(5)`),
 * a call of a generator method (`for x in tree.walk()`: its frames, ir/generator_frames.ts),
 * `self` in one of its methods, a parameter annotated with the class, or a local that is only ever assigned
 * instances of it. Elsewhere the loop is traced as a loop over a sequence, and typecheck refuses `len()` of such an
 * instance with the ways to write it (types/classes.ts).
 *
 * The tracer then writes (ir/trace.ts, `forOverInstance`):
 * - a generator `__iter__` (`def __iter__(self): ... yield ...`): inlined into the loop as a generator function is,
 *   with the instance as `self` (no generator object at run time);
 * - otherwise CPython's protocol: `it = obj.__iter__()`, then `it.__next__()` at each step, until it raises
 *   StopIteration (`while going: try: item = it.__next__() except StopIteration: going = False else: <body>`), so
 *   an endless iterator with a `break` works, and for-else runs only when the iterator is exhausted.
 *
 * This file holds the facts about the source; the tracing is in trace.ts.
 */
import type { PyClass, PyFunction, PyModule, PyNode, PyParam } from '../frontend/ast.ts';

const ROOTS = ['object', 'ABC', 'abc.ABC'];

/** The base class of this module a class derives from, if any. */
export function baseClass(mod: PyModule, cls: PyClass): PyClass | undefined {
  const b = cls.bases.find((x) => !ROOTS.includes(x));
  return b && Object.hasOwn(mod.classes ?? {}, b) ? mod.classes![b] : undefined;
}

/** The function record of a method as the class resolves it (its own, else the nearest base's). */
export function resolveMethod(mod: PyModule, cls: PyClass, name: string): PyFunction | undefined {
  for (let c: PyClass | undefined = cls; c; c = baseClass(mod, c)) {
    const f = mod.functions.find((x) => x.name === `${c!.name}.${name}`);
    if (f) return f;
  }
  return undefined;
}

/** Classes of the module derived from `cls` (at any depth) that define `name` themselves. */
export function overridingClasses(mod: PyModule, cls: PyClass, name: string): PyClass[] {
  const derives = (c: PyClass): boolean => {
    for (let b = baseClass(mod, c); b; b = baseClass(mod, b)) if (b === cls) return true;
    return false;
  };
  return Object.values(mod.classes ?? {}).filter((c) => derives(c) && mod.functions.some((f) => f.name === `${c.name}.${name}`));
}

/** Calls `fn` on every node of a body, outside nested functions and classes (their names are their own). */
function eachNodeOfScope(body: PyNode[], fn: (n: PyNode) => void): void {
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object') return;
    const n = v as PyNode;
    if (n._t === 'FunctionDef' || n._t === 'AsyncFunctionDef' || n._t === 'Lambda' || n._t === 'ClassDef') return;
    fn(n);
    for (const [k, x] of Object.entries(n)) if (k !== 'span' && k !== '_t' && x && typeof x === 'object') visit(x);
  };
  visit(body);
}

/** Every Name a body stores to (`x = ...`, `for x in`, `with ... as x`...), outside nested functions and classes. */
function storesOf(body: PyNode[], id: string): PyNode[] {
  const out: PyNode[] = [];
  eachNodeOfScope(body, (n) => {
    if (n._t === 'Name' && n.id === id && n.ctx?._t !== 'Load') out.push(n);
  });
  return out;
}

/** The assignments of a body whose target is exactly the name (`x = value`, `x: T = value`). */
function plainAssignments(body: PyNode[], id: string): PyNode[] {
  const out: PyNode[] = [];
  eachNodeOfScope(body, (n) => {
    if (n._t === 'Assign' && n.targets.length === 1 && n.targets[0]._t === 'Name' && n.targets[0].id === id) out.push(n.value);
    if (n._t === 'AnnAssign' && n.value && n.target._t === 'Name' && n.target.id === id) out.push(n.value);
  });
  return out;
}

/** The class a parameter's annotation names (`obj: Countdown`, `obj: "Countdown"`), if it is one of the module's. */
function annotatedClass(mod: PyModule, p: PyParam): PyClass | undefined {
  const a = p.annotation?.replace(/^['"]|['"]$/g, '');
  return a && Object.hasOwn(mod.classes ?? {}, a) ? mod.classes![a] : undefined;
}

/**
 * The frames a call `x.m(...)` of a generator method makes (ir/generator_frames.ts): those of the first class whose
 * method m is one. Every class of frames has the same protocol (`__iter__` returns the frame, `__next__`), and the
 * loop calls them on the value's own type, so which class's they are does not matter.
 */
function methodFrames(mod: PyModule, call: PyNode): PyClass | undefined {
  if (call._t === 'Call' && call.func._t === 'Name') {
    // A generator compiled as an entry, called by compiled code: the frames it returns.
    const frames = mod.functions.find((f) => !f.methodOf && f.name === call.func.id)?.frames;
    return frames ? mod.classes?.[frames] : undefined;
  }
  if (call._t !== 'Call' || call.func._t !== 'Attribute') return undefined;
  return Object.values(mod.classes ?? {}).find((c) => c.frameMethod === call.func.attr);
}

export interface IterableSite {
  mod: PyModule;
  /** The function being traced: its parameters and body, and the class it is a method of. */
  params: PyParam[];
  body: PyNode[];
  methodOf?: string;
  /** The class of this module a call's callee names (`Countdown(...)`), if it is one. */
  classCalled(call: PyNode): PyClass | undefined;
}

/**
 * The class with `__iter__` whose instance the expression `n` is, when the source says so (see the file's comment);
 * undefined otherwise (a list, a dict, or an instance the tracer cannot tell).
 */
export function iterableClass(site: IterableSite, n: PyNode): PyClass | undefined {
  const { mod } = site;
  const withIter = (c: PyClass | undefined) => (c && resolveMethod(mod, c, '__iter__') ? c : undefined);
  const made = (call: PyNode) => site.classCalled(call) ?? methodFrames(mod, call);
  if (n._t === 'Call') return withIter(made(n));
  if (n._t !== 'Name') return undefined;
  const id: string = n.id;
  const stores = storesOf(site.body, id);
  const param = site.params.find((p) => p.name === id);
  if (param) {
    if (stores.length) return undefined;
    if (site.methodOf && param === site.params[0] && Object.hasOwn(mod.classes ?? {}, site.methodOf)) return withIter(mod.classes![site.methodOf]);
    return withIter(annotatedClass(mod, param));
  }
  const values = plainAssignments(site.body, id);
  if (!values.length || values.length !== stores.length) return undefined;
  const classes = new Set(values.map((v) => (v._t === 'Call' ? made(v) : undefined)));
  if (classes.size !== 1) return undefined;
  return withIter([...classes][0]);
}
