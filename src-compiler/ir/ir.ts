/**
 * Kiln's IR: a flat, printable list of nodes per function (as torch.fx), where loops and branches
 * nest lists of nodes in regions. Values are referred to by name; constants sit inline in args.
 */
import type { KType } from '../types/types.ts';

/** How a parameter is passed: positional-only (before `/`), positional or keyword, keyword-only (after `*`). */
export type ParamKind = 'posonly' | 'normal' | 'kwonly';

/** A constant as the frontend evaluates it (resources/python/kiln_frontend.py): a default, a decorator option, a module-level list. */
export type PyLiteral =
  | null | boolean | string
  | { _t: 'int'; dec: string }
  | { _t: 'float'; hex: string; repr: string }
  /** A complex: the repr() of its real and imaginary parts (`1.0`, `-0.0`, `inf`, `nan`). */
  | { _t: 'complex'; re: string; im: string }
  | { _t: 'bytes'; hex: string }
  | { _t: 'list' | 'tuple' | 'set'; items: PyLiteral[] }
  | { _t: 'deque'; items: PyLiteral[]; maxlen: number | null }
  | { _t: 'dict'; items: [PyLiteral, PyLiteral][] }
  /** `Vec(1.0, y=2.0)` in `examples=`: a call of a class of the module (built by CPython: run/inputs.ts resolveExampleInstances). */
  | { _t: 'new'; cls: string; args: PyLiteral[]; kwargs: [string, PyLiteral][]; text: string }
  | { _t: 'unsupported'; repr: string };

export const IR_VERSION = 1;

export interface Span {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export type ConstValue =
  | { kind: 'int'; value: string } // decimal, arbitrary size (checked against int64 at typecheck)
  | { kind: 'float'; hex: string; repr: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'str'; value: string } // code points as a JS string (a lone surrogate stays one)
  | { kind: 'bytes'; hex: string }
  | { kind: 'none' }
  /** A tuple of constants `(0, 2)`: never an IR argument, only what an op's resolver sees of a tuple literal (typecheck). */
  | { kind: 'tuple'; items: ConstValue[] }
  /** A class named by a type test: `isinstance(x, int)`, `type(x) is float` (int, float, bool, NoneType). */
  | { kind: 'class'; name: string };

export type Arg = { ref: string } | { const: ConstValue };

export type NodeOp =
  | 'input' // a parameter: name = target = parameter name
  | 'constant' // a module-level constant or a module attribute such as math.pi: target = its dotted name
  | 'call_function' // target: dotted name of the operation (_operator.mul, math.sqrt, module.helper)
  | 'assign' // writes local variable `target` with args[0]
  | 'output' // return args[0] (no args: return None)
  | 'if' // args[0] is the condition; regions then, else
  | 'for_range' // target: loop variable; args: start, stop, step; regions body, orelse
  | 'while' // regions test (computes args[0]), body, orelse
  | 'break'
  | 'continue'
  | 'raise' // target: exception type; args: message (a str const, a str value) or none
  | 'assert' // args[0] condition, args[1] optional message (str const)
  /**
   * try/except/else/finally: regions body, one `handler` per except clause (in order, see `handlers`), orelse,
   * finally (each possibly empty). An error raised in the body goes to the first handler whose classes match
   * (lower/c_exceptions.ts); a handler that binds the exception starts with `assign <name> = kiln.exc_caught()`.
   */
  | 'try';

export interface IRRegion {
  name: 'then' | 'else' | 'body' | 'orelse' | 'test' | 'handler' | 'finally';
  nodes: IRNode[];
}

export interface IRNode {
  op: NodeOp;
  name: string;
  target: string;
  args: Arg[];
  span: Span;
  regions?: IRRegion[];
  /** Propagated native type of the value this node defines (set by typecheck). */
  type?: KType;
  /** Types of args as seen by the op (set by typecheck), for display. */
  argTypes?: KType[];
  /**
   * A call's shape, when it is not plain positional arguments (a call of a compiled function is bound by
   * typecheck, types/binding.ts): the last `keywords.length` args are keyword arguments of these names, and the
   * args at `starred` are `*t` (a tuple whose items are positional arguments), `kwstarred` `**kw`.
   */
  call?: { keywords?: string[]; starred?: number[]; kwstarred?: number[] };
  /**
   * `kiln.make_closure`: the function value of def/lambda `fn` (its IR name). Its args are the values of its
   * environment, one per entry of the function's `envParams`: `value` passes the value, `cell` the variable
   * itself (a pointer to its storage: the closure sees later assignments, and its own assignments reach it).
   * `module`: the module of `fn` when it is not the function's own (a function of another module as a value).
   */
  closure?: { fn: string; modes: ('value' | 'cell')[]; module?: string };
  /** `kiln.static_list`: the value of a module-level list of constants (kept as static data, never written). */
  literal?: PyLiteral;
  /** The value of module-level variable `module` (traced in place): module state that compiled code must not write. */
  module?: string;
  /**
   * A `raise` or `try` that names exception classes of the program (`class ParseError(ValueError): pass`): each one's
   * base, up to a built-in class (lower/c_exceptions.ts makes them C class descriptors).
   */
  userExceptions?: Record<string, string>;
  /** A `raise` of an exception class with fields: its args are str(e) and the instance, which the exception carries. */
  exceptionObject?: boolean;
  /**
   * A `raise` of exception classes of the program whose `__str__` or `__repr__` (their own or a base's) replace
   * BaseException's: each one's bits (1: `__str__`, so the message is str(e), not its argument; 2: `__repr__`).
   */
  exceptionText?: Record<string, number>;
  /**
   * The `raise` of the StopIteration that ends a generator object with `return v`: its args are str(v) and v, and
   * this C class descriptor (one per generator object) marks it, so that `e.value` reads v (ir/trace.ts raiseStop).
   */
  stopOf?: string;
  /** A `try` node: the classes each `handler` region catches, in order ([] is a bare `except:`). */
  handlers?: { classes: string[]; span: Span }[];
  /** An `assign` or `kiln.setattr` from an annotated assignment (`seen: set[int] = set()`, `self.d: dict[str, int] = {}`): the annotation's text. */
  annotation?: string;
  /**
   * A `method.*` call whose missing parameters the tracer filled with None (the library op's keywords): how many
   * args the call wrote (receiver included). A method of a compiled class takes only those (types/classes.ts).
   */
  given?: number;
  /**
   * `c[i] op= v` (ir/trace.ts): augItem marks its in-place operator (on the item `c[i]`), augStore the store of the
   * result back. typecheck keeps the in-place operator only for an array held by a dict, list or record, and then the
   * store is of the very object the container holds: a no-op (types/typecheck.ts).
   */
  augItem?: boolean;
  augStore?: boolean;
  /**
   * A read of an iterable the tracer took for a sequence (it knows no types): a plain loop's `kiln.iter_item`, a
   * builtin that consumes its argument 0 at once (`sum(x)`, `sorted(x)`, `max(x)`): the iterable expression's key
   * (file and span). Where typecheck finds a dict or set there, the function is traced again reading that expression
   * as a container (ir/trace.ts containerIterable, types/typecheck.ts withContainerIterables).
   */
  iterable?: string;
  /**
   * A `for_range` of a loop over sequences (`for x in xs`, enumerate, zip, a comprehension): its stop is the len() of
   * each (their min()), read once where CPython's iterator reads a list's at every step; the loop's key (file and
   * span). Where its body may change the length of one of the lists (opt/writes.ts lengthChanges), the function is
   * traced again with that key, reading the lengths at every step (ir/trace.ts loopOverPlan, TraceAgain).
   */
  lengthOnce?: string;
}

/**
 * What the typing of an earlier trace of a function found that its next trace reads otherwise (ir/traces.ts):
 * `containers`, the keys (IRNode.iterable) of iterables that hold a dict or set where the trace read them as
 * sequences, read as containers; `lengths`, the keys (IRNode.lengthOnce) of loops over lists whose length their body
 * may change, which read the lengths at every step.
 */
export interface TraceAgain {
  containers: ReadonlySet<string>;
  lengths: ReadonlySet<string>;
}

export interface IRParam {
  name: string;
  annotation: string | null;
  span: Span;
  /**
   * How it is passed (default: 'normal'); 'vararg' is `*args` (a tuple), 'kwarg' `**kwargs`, 'env' a value of the
   * closure's environment (captured variable, or a nested def's default).
   */
  kind?: ParamKind | 'vararg' | 'kwarg' | 'env';
  /**
   * Its default. A module-level function's defaults are constant expressions of the module, traced here (`nodes`
   * compute `value`); a nested def's defaults are evaluated where the def runs and kept in its closure (`env`: the
   * name of the env parameter that holds it). A specialisation of a call that leaves it out assigns it on entry.
   */
  default?: { nodes: IRNode[]; value: Arg; span: Span; text: string } | { env: string; span: Span; text: string };
  /** A module function's default as a constant the frontend evaluated (what the exported packages fill in), or why it is not one. */
  defaultValue?: PyLiteral;
  defaultProblem?: string;
}

export interface IRFunction {
  version: typeof IR_VERSION;
  file: string;
  module: string;
  name: string;
  qualifiedName: string; // module.name
  span: Span;
  params: IRParam[];
  /** The name CPython prints in messages (`__qualname__`): `f`, `outer.<locals>.inner`, `<lambda>`. */
  qualname?: string;
  returnAnnotation: string | null;
  /** Local variables assigned in the body (Python's rule: assigned anywhere means local), plus synthetic ones. */
  locals: string[];
  nodes: IRNode[];
  /** Names of other functions of the same module that this one calls. */
  callees: string[];
  /** `@functools.cache` / `@lru_cache(maxsize)` with a non-zero maxsize: the function's calls go through a memo table (lower/c_memo.ts). */
  cache?: { maxsize: number | null; typed: boolean };
  /** Locals split by opt/splitVariables.ts (a variable's parts that hold different types): new name -> the Python name. */
  renamed?: Record<string, string>;
  /** Locals that hold an inlined generator's variables (ir/generators.ts): local -> the generator's Python name, for messages. */
  pythonNames?: Record<string, string>;
}

export const isRef = (a: Arg): a is { ref: string } => 'ref' in a;

/** The constant attribute name of a kiln.getattr / kiln.setattr node ('*' when computed), or undefined for other nodes. */
export function fieldName(n: IRNode): string | undefined {
  if (n.op !== 'call_function' || (n.target !== 'kiln.getattr' && n.target !== 'kiln.setattr')) return undefined;
  const a = n.args[1];
  return a && !isRef(a) && a.const.kind === 'str' ? a.const.value : '*';
}

/**
 * A deep copy of IR (plain objects and arrays of JSON-like values), what structuredClone makes of it (an object
 * reached twice, such as a shared span, is copied once and shared in the copy) at a fraction of its cost: typecheck
 * copies each function's IR for every specialisation it types.
 */
export function cloneIR<T>(value: T): T {
  const copies = new Map<object, unknown>();
  const copy = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    const seen = copies.get(v);
    if (seen !== undefined) return seen;
    if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      copies.set(v, out);
      for (let i = 0; i < v.length; i++) out[i] = copy(v[i]);
      return out;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) throw new Error('internal: IR holds an object that is not plain data');
    const out: Record<string, unknown> = {};
    copies.set(v, out);
    for (const k of Object.keys(v)) out[k] = copy((v as Record<string, unknown>)[k]);
    return out;
  };
  return copy(value) as T;
}

/** Visit every node, depth first, in program order. */
export function walkNodes(nodes: IRNode[], fn: (n: IRNode, depth: number) => void, depth = 0): void {
  for (const n of nodes) {
    fn(n, depth);
    for (const r of n.regions ?? []) walkNodes(r.nodes, fn, depth + 1);
  }
}

