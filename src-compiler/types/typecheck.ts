/**
 * Type propagation: native types flow from the entry function's annotations through the op registry.
 * Helpers of the same module are specialised by the types they are called with (as Python would run
 * them), return types are inferred (recursion included) by iterating to a fixed point.
 */
import type { PyModule } from '../frontend/ast.ts';
import { KilnError, type Diagnostic } from '../diagnostics.ts';
import type { Arg, ConstValue, IRFunction, IRNode, Span } from '../ir/ir.ts';
import { isRef } from '../ir/ir.ts';
import { T, escaped, isIntLike, isFloatLike, sameType, typeToString, type KType } from './types.ts';
import { annotationType, literalValues } from './annotations.ts';
import { CONSTANTS, lookupConstant, lookupOp, OPS, type OpEntry, type Resolved } from './ops/index.ts';
import { oneModuleLinks, type ProgramLinks } from '../project/scope.ts';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export interface TypedFunction {
  key: string;
  /** The program's name for the function: bare in the primary module, qualified (`utils.clamp`) elsewhere. */
  name: string;
  /** The C name of this specialisation (static, so it never collides with libc: `kf_fma`). */
  cName: string;
  ir: IRFunction; // a typed copy: every value node has `type`
  paramTypes: KType[];
  returnType: KType;
  varTypes: Record<string, KType>;
  /** node name -> the resolved op (registry entry result) */
  resolved: Map<string, Resolved>;
  /** node name -> key of the called specialisation */
  calls: Map<string, string>;
  recursive: boolean;
  /** Array and list indices are checked (IndexError); `@compile(boundscheck=False)` turns it off. */
  boundscheck: boolean;
  /** An exported function's `Literal["a", "b"]` parameters: their values (checked on entry), by position. */
  paramLiterals?: (string[] | undefined)[];
}

export interface TypedProgram {
  file: string;
  module: string;
  /** The exported functions (one per entry, typed from its annotations), in the order given. */
  entries: TypedFunction[];
  functions: TypedFunction[];
  warnings: Diagnostic[];
}

interface Spec {
  key: string;
  name: string;
  /** Canonical `pkg.mod.f`. */
  qualified: string;
  ir: IRFunction;
  paramTypes: KType[];
  returnType?: KType;
  varTypes: Map<string, KType>;
  resolved: Map<string, Resolved>;
  calls: Map<string, string>;
  firstAssign: Map<string, Span>;
}

export function constType(c: ConstValue): KType | undefined {
  switch (c.kind) {
    case 'int': return T.int;
    case 'float': return T.float;
    case 'bool': return T.bool;
    case 'none': return T.none;
    case 'str': return T.str;
    case 'bytes': return T.bytes;
    default: return undefined;
  }
}

/**
 * Types a whole program from its entry functions. `getIR` traces a module function by name (cached by the caller).
 * `links` answers for functions of other modules (the project's module graph); by default the program is
 * `mod` alone. Throws KilnError on the first error, tied to its place (and, across modules, to the chain of
 * calls that reached it).
 */
export function typecheckProgram(
  mod: PyModule, entryIRs: IRFunction[], getIR: (name: string) => IRFunction, links: ProgramLinks = oneModuleLinks(mod, getIR),
): TypedProgram {
  const warnings: Diagnostic[] = [];
  const failIn = (file: string, fnName: string, span: Span, construct: string, message: string, hint?: string): never => {
    throw new KilnError({ severity: 'error', file, line: span.line, col: span.col, endLine: span.endLine, endCol: span.endCol, construct, message, hint, function: fnName });
  };
  const fail = (fnName: string, span: Span, construct: string, message: string, hint?: string): never => {
    const ir = entryIRs.find((e) => links.displayName(e.qualifiedName) === fnName);
    return failIn(ir?.file ?? mod.file, fnName, span, construct, message, hint);
  };

  // Entry parameters: their annotations are the native ABI.
  const entryTypesOf = (entryIR: IRFunction) => entryIR.params.map((p) => {
    const mod = links.moduleOf(entryIR);
    const fail = (fnName: string, span: Span, construct: string, message: string, hint?: string): never =>
      failIn(entryIR.file, fnName, span, construct, message, hint);
    if (!p.annotation) {
      fail(entryIR.name, p.span, 'untyped parameter', `parameter '${p.name}' has no type annotation`, 'annotate it: int, float, bool, or a NumPy scalar type such as np.float32');
    }
    const t = annotationType(p.annotation, mod.imports, ndimOption(mod, entryIR.name, p.name));
    if (!t || t.kind === 'none') {
      fail(entryIR.name, p.span, 'parameter type', `the annotation '${p.annotation}' of parameter '${p.name}' is outside the compiled subset`, 'use int, float, bool, str, bytes, Literal["a", "b"], tuple[...] of numbers, a NumPy scalar type (np.float32, np.int64, ...), npt.NDArray[np.float64] (1-D; @compile(ndim={"a": 2}) for more) or list[float]');
    }
    if (t && t.kind === 'list' && t.item.kind !== 'scalar') {
      fail(entryIR.name, p.span, 'parameter type', `'${p.annotation}': only lists of numbers are passed in or out of compiled code`, t.item.kind === 'str' ? "pass one str and split it inside the function (text.split(','))" : 'pass a 2-D NumPy array instead of a list of lists');
    }
    if (t && t.kind === 'tuple' && t.items.some((x) => x.kind !== 'scalar')) {
      fail(entryIR.name, p.span, 'parameter type', `'${p.annotation}': only tuples of numbers are passed in or out of compiled code`, 'pass each item as its own parameter');
    }
    return t!;
  });

  const specs = new Map<string, Spec>();
  const order: Spec[] = [];
  /** How each specialisation was first reached: the caller and the call's place (for the chain of a diagnostic). */
  const reachedFrom = new Map<Spec, { caller: Spec; span: Span }>();
  const specFor = (qualified: string, paramTypes: KType[], from?: { caller: Spec; span: Span }): Spec => {
    const name = links.displayName(qualified);
    const key = `${name}(${paramTypes.map(typeToString).join(', ')})`;
    let s = specs.get(key);
    if (!s) {
      let ir: IRFunction;
      try {
        ir = entryIRs.find((e) => e.qualifiedName === qualified) ?? links.getIR(qualified);
      } catch (e) {
        throw from ? withChain(e, [...chainOf(from.caller, from.span), { function: name, file: '', line: 0, col: 0 }]) : e;
      }
      s = { key, name, qualified, ir: structuredClone(ir), paramTypes, varTypes: new Map(), resolved: new Map(), calls: new Map(), firstAssign: new Map() };
      if (from) reachedFrom.set(s, from);
      ir.params.forEach((p, i) => s!.varTypes.set(p.name, paramTypes[i]));
      specs.set(key, s);
      order.push(s);
    }
    return s;
  };

  /**
   * The calls that led from an entry to `spec`: each function with the place where it makes the next call; the
   * last step (`spec`) at `at`, or at a place withChain fills in (where the problem is).
   */
  const chainOf = (spec: Spec, at?: Span): ChainStep[] => {
    const steps: ChainStep[] = [];
    let place = at ? { file: spec.ir.file, span: at } : undefined;
    for (let s: Spec | undefined = spec, guard = 0; s && guard < 100; guard++) {
      steps.unshift({ function: s.name, file: place?.file ?? '', line: place?.span.line ?? 0, col: place?.span.col ?? 0 });
      const from = reachedFrom.get(s);
      place = from && { file: from.caller.ir.file, span: from.span };
      s = from?.caller;
    }
    return steps;
  };

  const check = (spec: Spec, final: boolean): boolean => {
    try {
      return checkSpec(spec, final);
    } catch (e) {
      throw reachedFrom.has(spec) ? withChain(e, chainOf(spec)) : e;
    }
  };

  const checkSpec = (spec: Spec, final: boolean): boolean => {
    const fail = (fnName: string, span: Span, construct: string, message: string, hint?: string): never =>
      failIn(spec.ir.file, fnName, span, construct, message, hint);
    let changed = false;
    const values = new Map<string, KType>();
    const returns: { type: KType; span: Span }[] = [];
    const fnName = spec.name;
    const unknown = (n: IRNode, what: string) => {
      if (final) fail(fnName, n.span, 'type inference', `cannot infer the type of ${what}`, 'a value read before it is ever assigned, or a recursive function without a base case that returns a value');
    };
    const argType = (a: Arg): KType | undefined => {
      if (!isRef(a)) return constType(a.const);
      return values.get(a.ref) ?? spec.varTypes.get(a.ref);
    };
    const checkIntConst = (a: Arg, span: Span) => {
      if (!isRef(a) && a.const.kind === 'int') {
        const v = BigInt(a.const.value);
        if (v < INT64_MIN || v > INT64_MAX) fail(fnName, span, 'integer literal', `the integer ${a.const.value} does not fit in 64 bits`, 'Kiln compiles Python ints as 64-bit integers');
      }
    };
    const visit = (nodes: IRNode[]) => {
      for (const n of nodes) {
        n.args.forEach((a) => checkIntConst(a, n.span));
        switch (n.op) {
          case 'input':
            n.type = spec.varTypes.get(n.name);
            values.set(n.name, n.type!);
            break;
          case 'constant': {
            let t: KType | undefined;
            if (n.args.length && !isRef(n.args[0])) t = constType(n.args[0].const);
            else t = lookupConstant(n.target)?.type;
            if (!t) {
              fail(fnName, n.span, 'module attribute', `${n.target} is outside the compiled subset`, constantsHint(n.target));
            }
            n.type = t;
            values.set(n.name, t!);
            break;
          }
          case 'call_function': {
            const types = n.args.map(argType);
            if (types.some((t) => !t)) {
              n.type = undefined;
              unknown(n, `the arguments of ${n.target}`);
              break;
            }
            const argTypes = types as KType[];
            n.argTypes = argTypes;
            if (links.functionAt(n.target)) {
              const local = links.displayName(n.target);
              if (argTypes.some((t) => t.kind === 'none')) fail(fnName, n.span, 'call', `passing None to ${local}() is outside the compiled subset`);
              const callee = specFor(n.target, argTypes, { caller: spec, span: n.span });
              spec.calls.set(n.name, callee.key);
              n.type = callee.returnType;
              if (!n.type) unknown(n, `the result of ${local}()`);
              else values.set(n.name, n.type);
              break;
            }
            // The tracer's `x op= y`: in place for an array (every operator) and a list (`+=`, `*=`); for
            // anything else the plain operator, rebinding the name as Python does for immutable values.
            const inplace = lookupOp(n.target)?.facts.inplace;
            if (inplace && !inplace.on.includes(argTypes[0]?.kind)) n.target = inplace.plain;
            const op = lookupOp(n.target);
            if (!op) {
              const near = nearOps(n.target, argTypes[0]);
              fail(fnName, n.span, `call to ${n.target}`, `${n.target}() is outside the compiled subset`,
                near.length ? `supported here: ${near.join(', ')}` : 'see "Supported Python" in the README');
            }
            const consts = n.args.map((a) => (isRef(a) ? undefined : a.const));
            // `xs = []` then `xs.append(v)`: the list's item type is learnt from what goes in.
            const refined = op && refineEmptyList(op, argTypes);
            if (refined && isRef(n.args[0]) && spec.varTypes.has(n.args[0].ref)) {
              const cur = spec.varTypes.get(n.args[0].ref)!;
              if (cur.kind === 'list' && cur.item.kind === 'none') {
                spec.varTypes.set(n.args[0].ref, refined);
                changed = true;
              }
            }
            const r = op!.resolve(argTypes, consts);
            if (typeof r === 'string') {
              const [kind, msg] = /^(\w+Error): (.*)$/.exec(r)?.slice(1) ?? ['TypeError', r];
              fail(fnName, n.span, `${n.target}(${argTypes.map(typeToString).join(', ')})`, `${kind}: ${msg}`);
            }
            spec.resolved.set(n.name, r as Resolved);
            n.type = (r as Resolved).result;
            values.set(n.name, n.type);
            break;
          }
          case 'assign': {
            const t = argType(n.args[0]);
            if (!t) {
              unknown(n, `the value assigned to '${n.target}'`);
              break;
            }
            if (t.kind === 'none') fail(fnName, n.span, 'None value', `'${n.target}' would hold None, which is outside the compiled subset`, 'use a number and a separate flag');
            const prev = spec.varTypes.get(n.target);
            const unified = prev && !sameType(prev, t) ? unifyTypes(prev, t) : undefined;
            if (unified) {
              if (!sameType(unified, prev!)) {
                spec.varTypes.set(n.target, unified);
                changed = true;
              }
              n.type = unified;
              break;
            }
            if (prev && !sameType(prev, t)) {
              const first = spec.firstAssign.get(n.target);
              const synthetic = /^(and|or|ifexp|compare)_result/.test(n.target);
              fail(fnName, n.span, 'variable changes type',
                synthetic
                  ? `this expression gives ${typeToString(prev)} on one path and ${typeToString(t)} on another; Python's result type would depend on the values`
                  : `variable '${n.target}' changes type from ${typeToString(prev)}${first ? ` (line ${first.line})` : ''} to ${typeToString(t)}`,
                isFloatLike(t) && isIntLike(prev) ? 'start it as a float (0.0 instead of 0), or convert with float(...)' : 'use a separate variable for each type');
            }
            if (!prev) {
              spec.varTypes.set(n.target, t);
              spec.firstAssign.set(n.target, n.span);
              changed = true;
            }
            n.type = t;
            break;
          }
          case 'output': {
            // A character that is returned escapes: the function returns a str.
            const t = n.args.length ? argType(n.args[0]) : T.none;
            if (!t) unknown(n, 'the returned value');
            else {
              returns.push({ type: escaped(t), span: n.span });
              n.type = escaped(t);
            }
            break;
          }
          case 'for_range': {
            n.args.forEach((a, i) => {
              const t = argType(a);
              if (!t) return unknown(n, 'the range() arguments');
              if (!isIntLike(t) || t.kind !== 'scalar') fail(fnName, n.span, 'range()', `TypeError: '${typeToString(t)}' object cannot be interpreted as an integer (range argument ${i + 1})`);
              if (t.kind === 'scalar' && t.name === 'uint64') fail(fnName, n.span, 'range()', 'range() over np.uint64 values is not compiled; convert with int()');
            });
            const prev = spec.varTypes.get(n.target);
            if (prev && !sameType(prev, T.int)) fail(fnName, n.span, 'variable changes type', `loop variable '${n.target}' is an int here but ${typeToString(prev)} elsewhere`);
            if (!prev) {
              spec.varTypes.set(n.target, T.int);
              changed = true;
            }
            n.type = T.int;
            break;
          }
          case 'if': case 'while': case 'assert': {
            const t = argType(n.args[0]);
            if (!t && !(n.op === 'while')) unknown(n, 'the condition');
            break;
          }
          default:
            break;
        }
        for (const r of n.regions ?? []) {
          visit(r.nodes);
          if (n.op === 'while' && r.name === 'test' && final && !argType(n.args[0])) unknown(n, 'the loop condition');
        }
      }
    };
    visit(spec.ir.nodes);

    // The return type: one type on every path.
    let ret: KType | undefined;
    for (const r of returns) {
      if (!ret) ret = r.type;
      else if (!sameType(ret, r.type) && unifyTypes(ret, r.type)) ret = unifyTypes(ret, r.type);
      else if (!sameType(ret, r.type)) {
        if (!final) continue;
        const hint = ret.kind === 'none' || r.type.kind === 'none' ? 'return a value on every path (falling off the end returns None)' : 'convert so that every return gives the same type';
        fail(fnName, r.span, 'return type', `returns ${typeToString(ret)} on one path and ${typeToString(r.type)} here`, hint);
      }
    }
    if (ret && (!spec.returnType || !sameType(spec.returnType, ret))) {
      if (spec.returnType && final) fail(fnName, spec.ir.span, 'return type', 'the return type did not settle');
      spec.returnType = ret;
      changed = true;
    }
    if (final && !spec.returnType) fail(fnName, spec.ir.span, 'return type', 'cannot infer the return type', 'a recursive function needs a base case that returns a value');
    return changed;
  };

  const entrySpecs = entryIRs.map((e) => specFor(e.qualifiedName, entryTypesOf(e)));
  for (let round = 0; round < 50; round++) {
    let changed = false;
    for (let i = 0; i < order.length; i++) changed = check(order[i], false) || changed;
    if (!changed) break;
  }
  // A recursive function whose every return goes through itself (no base case that gives a value):
  // its annotation, if any, states the type; Python would raise RecursionError at run time.
  for (const s of order) {
    if (!s.returnType && s.ir.returnAnnotation) s.returnType = annotationType(s.ir.returnAnnotation, links.moduleOf(s.ir).imports);
  }
  for (let round = 0; round < 50; round++) {
    let changed = false;
    for (let i = 0; i < order.length; i++) changed = check(order[i], false) || changed;
    if (!changed) break;
  }
  for (let i = 0; i < order.length; i++) check(order[i], true);

  // What an exported function returns must cross the C ABI: numbers, tuples of numbers, arrays, lists of numbers.
  entrySpecs.forEach((spec) => {
    const bad = abiProblem(spec.returnType!);
    if (bad) fail(spec.name, spec.ir.span, 'return type', `returning ${typeToString(spec.returnType!)} from a compiled function is not supported: ${bad}`, 'return an array, a list of numbers, or numbers');
  });

  // Warn when Python's actual return type differs from the annotation (Kiln follows Python).
  entryIRs.forEach((entryIR, i) => {
    const spec = entrySpecs[i];
    const annotated = annotationType(entryIR.returnAnnotation, links.moduleOf(entryIR).imports);
    if (entryIR.returnAnnotation && annotated && spec.returnType && !sameType(annotated, spec.returnType)) {
      warnings.push({
        severity: 'warning', file: entryIR.file, line: entryIR.span.line, col: entryIR.span.col, construct: 'return annotation', function: entryIR.name,
        message: `annotated '-> ${entryIR.returnAnnotation}' but the function returns ${typeToString(spec.returnType)}; Kiln returns what Python returns`,
      });
    }
  });

  // C names: kf_<name> (kf_utils_clamp for utils.clamp), numbered when one function has several
  // specialisations; a name taken already (two spellings that meet in C) is numbered further, never shared.
  const byName = new Map<string, Spec[]>();
  for (const s of order) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const cNameOf = new Map<string, string>();
  const taken = new Set<string>();
  for (const [name, list] of byName) {
    list.forEach((s, i) => {
      const base = `kf_${name.replace(/\./g, '_')}${list.length === 1 ? '' : `_${i}`}`;
      let c = base;
      for (let k = 2; taken.has(c); k++) c = `${base}_${k}`;
      taken.add(c);
      cNameOf.set(s.key, c);
    });
  }

  // Recursion: a specialisation that can reach itself through calls.
  const reach = (from: string, target: string, seen = new Set<string>()): boolean => {
    for (const k of specs.get(from)!.calls.values()) {
      if (k === target) return true;
      if (!seen.has(k)) {
        seen.add(k);
        if (reach(k, target, seen)) return true;
      }
    }
    return false;
  };

  const functions: TypedFunction[] = order.map((s) => {
    const varTypes: Record<string, KType> = {};
    for (const [k, v] of s.varTypes) varTypes[k] = v;
    return {
      key: s.key, name: s.name, cName: cNameOf.get(s.key)!, ir: s.ir, paramTypes: s.paramTypes, returnType: s.returnType!,
      varTypes, resolved: s.resolved, calls: s.calls, recursive: reach(s.key, s.key),
      boundscheck: boundscheckOf(links, s.qualified),
      ...(entrySpecs.includes(s) ? { paramLiterals: s.ir.params.map((p) => literalValues(p.annotation, links.moduleOf(s.ir).imports)) } : {}),
    };
  });
  const entries = entrySpecs.map((s) => functions[order.indexOf(s)]);
  return { file: mod.file, module: entryIRs[0]?.module ?? '', entries, functions, warnings };
}

/** One step of the chain of calls a diagnostic names: the function and where it makes the call (or fails). */
export interface ChainStep { function: string; file: string; line: number; col: number }

/**
 * A KilnError with the chain of calls that reached its function (the last step, with no place yet, is where the
 * diagnostic is), when the chain crosses modules: within one module the function and line say enough.
 */
function withChain(e: unknown, chain: ChainStep[]): unknown {
  if (!(e instanceof KilnError) || e.diagnostic.chain || chain.length < 2) return e;
  const d = e.diagnostic;
  const steps = chain.map((s, i) => (i === chain.length - 1 && !s.line ? { ...s, file: d.file, line: d.line, col: d.col } : s));
  if (new Set(steps.map((s) => s.file)).size < 2) return e;
  return new KilnError({ ...d, chain: steps });
}

/** What the program decides (the project's default and the CLI's flag), else `@compile(boundscheck=False)`, else on. */
function boundscheckOf(links: ProgramLinks, qualified: string): boolean {
  const found = links.functionAt(qualified);
  if (found && links.boundscheck) return links.boundscheck(found.fn);
  return found?.fn.decorator?.options.boundscheck !== false;
}

function abiProblem(t: KType): string | undefined {
  if (t.kind === 'tuple') return t.items.some((x) => x.kind !== 'scalar' && x.kind !== 'tuple') ? 'tuples that hold arrays, lists or strings cannot cross the C ABI yet' : undefined;
  if (t.kind === 'list' && t.item.kind === 'str') return 'lists of str cannot cross the C ABI yet (return one str: "\\n".join(items))';
  if (t.kind === 'list' && t.item.kind !== 'scalar' && t.item.kind !== 'none') return 'lists of lists cannot cross the C ABI yet (return a 2-D array)';
  if (t.kind === 'slice' || t.kind === 'dtype') return 'it is not a value the caller can use';
  return undefined;
}

/** `@compile(ndim={"a": 2})`: the number of dimensions of an NDArray parameter (NDArray does not say). */
function ndimOption(mod: PyModule, fn: string, param: string): number | undefined {
  const opt = mod.functions.find((f) => f.name === fn)?.decorator?.options.ndim;
  if (!opt || typeof opt !== 'object' || !('_t' in opt) || opt._t !== 'dict') return undefined;
  for (const [k, v] of opt.items) {
    if (k === param && v && typeof v === 'object' && '_t' in v && v._t === 'int') return Number(v.dec);
  }
  return undefined;
}

/** What to write instead of an unknown module attribute: the constants of that module, if it has some. */
/** How the registry writes a method's receiver, by the receiver's type: `s.split(...)`, `lst.append(x)`. */
const RECEIVER_PREFIXES: Partial<Record<KType['kind'], string[]>> = {
  str: ['s.', "'...'."], char: ['s.', "'...'."], bytes: ['b.'], list: ['lst.'], array: ['a.'],
};

/** For an unknown op: the names of the ops of its family (`math.*`, `method.*`; the first 24), for a method all
 * those the receiver's type has (a str's methods for `s.maketrans`, not a list's). */
function nearOps(target: string, receiver: KType | undefined): string[] {
  const family = target.split('.')[0];
  const prefixes = family === 'method' && receiver ? RECEIVER_PREFIXES[receiver.kind] : undefined;
  const has = (o: OpEntry) => !prefixes || [o.python, ...o.signatures].some((t) => t.split(' / ').some((x) => prefixes.some((p) => x.startsWith(p))));
  const names = OPS.filter((o) => o.target.split('.')[0] === family && has(o)).map((o) => o.target.split('.').pop()!);
  return prefixes ? names : names.slice(0, 24);
}

function constantsHint(target: string): string {
  const module = target.slice(0, target.lastIndexOf('.'));
  const names = CONSTANTS.filter((c) => c.type.kind !== 'dtype' && c.target.startsWith(`${module}.`)).map((c) => c.target.slice(module.length + 1));
  return names.length ? `${module} constants: ${names.join(', ')}` : 'use a number, or pass the value in';
}

/**
 * Two types one variable may hold in Python that Kiln keeps in one C variable: a list whose item type is
 * learnt later (`[]`), and a Python float/int that becomes a NumPy float64/int64 by arithmetic with array
 * items (`total = 0.0; total += a[i]`). The NumPy type wins: its C type is the same.
 */
function unifyTypes(prev: KType, t: KType): KType | undefined {
  if (prev.kind === 'list' && t.kind === 'list') {
    if (t.item.kind === 'none') return prev;
    if (prev.item.kind === 'none') return t;
    const inner = unifyTypes(prev.item, t.item);
    return inner ? T.list(inner) : undefined;
  }
  // A character and a str: the variable holds a str (the character becomes one where it is assigned).
  if ((prev.kind === 'char' && t.kind === 'str') || (prev.kind === 'str' && t.kind === 'char')) return T.str;
  const pair = [typeToString(prev), typeToString(t)].sort().join(' ');
  if (pair === 'float np.float64') return T.np('float64');
  if (pair === 'int np.int64') return T.np('int64');
  return undefined;
}

/** The refined type of an empty list (`[]`) that an op puts a first item into (its refinesList fact), or undefined. */
function refineEmptyList(op: OpEntry, args: KType[]): KType | undefined {
  const refines = op.facts.refinesList;
  const [l] = args;
  if (!refines || !l || l.kind !== 'list' || l.item.kind !== 'none') return undefined;
  const v = args[refines.arg];
  if (refines.as === 'item' && v && v.kind !== 'none') return T.list(escaped(v)); // a character goes in as a str
  if (refines.as === 'list' && v && v.kind === 'list' && v.item.kind !== 'none') return v;
  return undefined;
}
