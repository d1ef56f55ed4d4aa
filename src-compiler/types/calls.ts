/**
 * Calls of compiled functions (module functions, nested defs, lambdas) as typecheck sees them: a call's
 * arguments bound to the callee's parameters at compile time (types/binding.ts: CPython's rules and messages),
 * and the specialisation of the callee for that call shape: the parameters a call leaves out take their defaults
 * on entry of the specialisation, `*args` is a tuple of the extra positional arguments, `**kwargs` a struct of the
 * extra keyword arguments, and a closure's environment comes last. The C lowering reads the binding.
 */
import type { Arg, IRFunction, IRNode } from '../ir/ir.ts';
import { cloneIR, isRef } from '../ir/ir.ts';
import { T, isStrLike, sameType, typeToString, type KType } from './types.ts';
import { constType } from './const_type.ts';
import { bindArguments, type CallableSig } from './binding.ts';

/** Where one C argument of a call comes from. */
export type BoundArg =
  | { arg: number; item?: number } // node arg `arg` (item `item` of it: a starred tuple, a **kwargs struct)
  | { tuple: BoundArg[] } // *args: a tuple of these
  | { kwargs: BoundArg[]; names: string[] } // **kwargs: a struct of these
  /** The value of a key of the dict at node arg `fromDict` (DictKwargs.params[slot]); when the key may be absent, the parameter's constant default. */
  | { fromDict: number; slot: number; orDefault?: Arg }
  | { env: number }; // field `env` of the called function value's environment (node arg 0)

/** A call bound to a specialisation: `args` are the C arguments, in the callee's C parameter order. */
export interface CallBinding {
  callee: string;
  args: BoundArg[];
  /** `f(x, **d)` of a dict[str, V]: its keys bound at run time (kiln_str.h kr_dict_bind_kwargs). */
  dictKwargs?: DictKwargs;
}

/** How the keys of `**d` (a dict[str, V], node arg `arg`) bind: what the call does with each parameter a key may name. */
export interface DictKwargs {
  arg: number;
  /** CPython's names of the callee in binding messages (qualname) and in the keyword merge's (module.qualname). */
  qualname: string;
  dotted: string;
  /**
   * `dict`: a required parameter d must fill; `dictOrDefault`: d's value when it has the key, else the parameter's
   * constant default (of type V); `default`: a default Kiln cannot take from d (not a constant, or not of type V: a
   * key naming it raises TypeError at run time).
   */
  params: { name: string; how: 'dict' | 'dictOrDefault' | 'positional' | 'keyword' | 'posonly' | 'default'; kwonly: boolean }[];
}

/** The binding of a call through a funcset (a function chosen at run time): one per possible function. */
export interface Dispatch {
  /** The call's own argument types (node args after the callee), which a thunk per function receives. */
  argTypes: KType[];
  shape: IRNode['call'];
  members: { member: KType; binding: CallBinding }[];
}

/** The binding signature of a traced function: its qualname and named parameters. */
export function signatureOf(ir: IRFunction): CallableSig {
  const named = ir.params.filter((p) => !p.kind || p.kind === 'normal' || p.kind === 'posonly' || p.kind === 'kwonly');
  return {
    qualname: ir.qualname ?? ir.name,
    params: named.map((p) => ({ name: p.name, kind: (p.kind ?? 'normal') as 'normal' | 'posonly' | 'kwonly', hasDefault: !!p.default })),
    vararg: ir.params.find((p) => p.kind === 'vararg')?.name,
    kwarg: ir.params.find((p) => p.kind === 'kwarg')?.name,
  };
}

/** A call Python runs but Kiln does not compile (not a TypeError of Python's), with what to write instead. */
export interface NotCompiled {
  notCompiled: string;
  hint: string;
}

export interface BoundCall {
  /** The C arguments of the specialisation (named parameters not defaulted, *args, **kwargs; not the environment). */
  args: BoundArg[];
  types: KType[];
  /** Named parameters the call leaves to their defaults. */
  defaulted: string[];
  dictKwargs?: DictKwargs;
}

/**
 * Binds the arguments of `node` (from `first` on; a call of a function value has the value at 0) to `callee`'s
 * parameters. `typeOf` gives an argument's type. Returns CPython's TypeError message for a wrong call.
 */
export function bindCall(callee: IRFunction, node: IRNode, first: number, typeOf: (a: Arg) => KType): BoundCall | string | NotCompiled {
  const shape = node.call ?? {};
  const keywords = shape.keywords ?? [];
  const starred = new Set(shape.starred ?? []);
  const kwstarred = new Set(shape.kwstarred ?? []);
  const nKw = keywords.length;
  const args = node.args;
  // Positional arguments (a starred tuple gives its items), then keyword arguments (a **kwargs struct gives its fields).
  const positional: { entry: BoundArg; type: KType }[] = [];
  const named: { name: string; entry: BoundArg; type: KType }[] = [];
  let dictStar: number | undefined;
  for (let i = first; i < args.length - nKw; i++) {
    const t = typeOf(args[i]);
    if (kwstarred.has(i)) {
      if (t.kind === 'dict' && isStrLike(t.key) && dictStar === undefined) {
        dictStar = i; // bound below, once the other arguments are
        continue;
      }
      if (t.kind === 'dict' || t.kind === 'union') {
        // Another mapping: Python binds its keys at run time; Kiln binds names when it compiles the call.
        const what = t.kind === 'dict' && isStrLike(t.key) ? 'a second ** of a dict in one call' : `**${isRef(args[i]) ? (args[i] as { ref: string }).ref : 'd'} of a ${typeToString(t)}`;
        return { notCompiled: `${what} is not compiled (one ** of a dict with str keys is, bound by key at run time; a dict display of constant keys whose values differ in type is a record, which ** passes)`, hint: 'pass the values by name: f(x, g=d["g"], b=d["b"])' };
      }
      if (t.kind !== 'record') return `argument after ** must be a mapping, not ${typeToString(t)}`;
      t.names.forEach((name, k) => named.push({ name, entry: { arg: i, item: k }, type: t.items[k] }));
    } else if (starred.has(i)) {
      if (t.kind !== 'tuple') return `*${isRef(args[i]) ? (args[i] as { ref: string }).ref : 'x'} in a call is compiled for a tuple (its length is static), not ${typeToString(t)}; pass the items one by one, or a tuple`;
      t.items.forEach((it, k) => positional.push({ entry: { arg: i, item: k }, type: it }));
    } else positional.push({ entry: { arg: i }, type: t });
  }
  keywords.forEach((name, k) => {
    const i = args.length - nKw + k;
    named.push({ name, entry: { arg: i }, type: typeOf(args[i]) });
  });
  const dup = named.find((x, k) => named.findIndex((y) => y.name === x.name) !== k);
  if (dup) return `${callee.qualname ?? callee.name}() got multiple values for keyword argument '${dup.name}'`;
  const sig = signatureOf(callee);
  const dictKwargs = dictStar === undefined ? undefined : bindDictKeys(callee, sig, dictStar, typeOf(args[dictStar]) as KType & { kind: 'dict' }, positional.length, named);
  if (dictKwargs && 'notCompiled' in dictKwargs) return dictKwargs;
  const bound = bindArguments(sig, positional.length, named.map((x) => x.name));
  if (typeof bound === 'string') return bound;
  const out: BoundCall = { args: [], types: [], defaulted: [], ...(dictKwargs ? { dictKwargs } : {}) };
  sig.params.forEach((p, j) => {
    const slot = bound.slots[j];
    if ('default' in slot) {
      out.defaulted.push(p.name);
      return;
    }
    const src = 'positional' in slot ? positional[slot.positional] : named[slot.keyword];
    out.args.push(src.entry);
    out.types.push(src.type);
  });
  if (sig.vararg !== undefined) {
    const items = bound.varargs.map((k) => positional[k]);
    out.args.push({ tuple: items.map((x) => x.entry) });
    out.types.push(T.tuple(items.map((x) => x.type)));
  }
  if (sig.kwarg !== undefined) {
    const items = bound.kwargs.map((k) => named[k.keyword]);
    out.args.push({ kwargs: items.map((x) => x.entry), names: bound.kwargs.map((k) => k.name) });
    out.types.push({ kind: 'record', names: bound.kwargs.map((k) => k.name), items: items.map((x) => x.type) });
  }
  return out;
}

/**
 * `**d` of a dict[str, V]: the keys name parameters at run time. The call gives d every required parameter the
 * other arguments leave empty (each a value of type V, `named` gets them as keywords); kr_dict_bind_kwargs checks
 * the keys as CPython binds them. A parameter with a constant default of type V takes d's value when d has the key,
 * else the default (a conditional at the call: the callee is compiled with the parameter given); another default
 * (an expression, or a constant of another type: an array dict's `eps: float = 1e-5`) stays compiled in the callee,
 * and a key naming it raises TypeError. A callee with **kwargs (whose struct needs the names when compiling) is refused.
 */
function bindDictKeys(callee: IRFunction, sig: CallableSig, arg: number, d: KType & { kind: 'dict' }, nPositional: number,
  named: { name: string; entry: BoundArg; type: KType }[]): DictKwargs | NotCompiled {
  if (sig.kwarg !== undefined) return { notCompiled: `** of a ${typeToString(d)} into ${sig.qualname}(), which takes **${sig.kwarg}: its keys are known only at run time, and Kiln compiles **${sig.kwarg} as a struct of the names a call passes`, hint: 'pass the values by name: f(x, g=d["g"], b=d["b"])' };
  const byPosition = new Set(sig.params.filter((p) => p.kind !== 'kwonly').slice(0, nPositional).map((p) => p.name));
  const byKeyword = new Set(named.map((x) => x.name));
  const params: DictKwargs['params'] = [];
  for (const p of sig.params) {
    const orDefault = p.hasDefault ? constantDefault(callee, p.name, d.value) : undefined;
    const how = p.kind === 'posonly' ? 'posonly' : byPosition.has(p.name) ? 'positional' : byKeyword.has(p.name) ? 'keyword' : !p.hasDefault ? 'dict' : orDefault ? 'dictOrDefault' : 'default';
    if (how === 'dict' || how === 'dictOrDefault') named.push({ name: p.name, entry: { fromDict: arg, slot: params.length, ...(orDefault ? { orDefault } : {}) }, type: d.value });
    params.push({ name: p.name, how, kwonly: p.kind === 'kwonly' });
  }
  const module = callee.module ?? '';
  return { arg, qualname: sig.qualname, dotted: module && module !== 'builtins' ? `${module}.${sig.qualname}` : sig.qualname, params };
}

/** The default of `callee`'s parameter `name` when it is a constant of type `t` (a module function's `eps: float = 0.5`). */
function constantDefault(callee: IRFunction, name: string, t: KType): Arg | undefined {
  const d = callee.params.find((p) => p.name === name)?.default;
  if (!d || !('nodes' in d) || d.nodes.length || isRef(d.value)) return undefined;
  const ct = constType(d.value.const);
  return ct && sameType(ct, t) ? d.value : undefined;
}

/** True when a binding passes the node's args unchanged (a plain positional call: the C of such calls never changes). */
export function isIdentityBinding(b: BoundArg[], first: number, node: IRNode): boolean {
  return !node.call && b.length === node.args.length - first && b.every((x, i) => 'arg' in x && x.arg === i + first && x.item === undefined);
}

/**
 * The IR of a specialisation: a copy of `ir` where each parameter the call leaves to its default is a local
 * assigned on entry (a module function's default expression, traced at module level; a nested def's default
 * from its environment). The remaining parameters are the C parameters, in order.
 */
export function specialiseIR(ir: IRFunction, defaulted: string[]): IRFunction {
  const copy = cloneIR(ir);
  if (!defaulted.length) return copy;
  const nodes: IRNode[] = [];
  const envDefaults: IRNode[] = [];
  for (const n of copy.nodes) {
    const p = n.op === 'input' ? copy.params.find((q) => q.name === n.name) : undefined;
    if (!p || !defaulted.includes(p.name)) {
      nodes.push(n);
      continue;
    }
    const d = p.default!;
    if ('nodes' in d) {
      nodes.push(...d.nodes);
      nodes.push({ op: 'assign', name: p.name, target: p.name, args: [d.value], span: d.span });
    } else {
      // The env parameter's input comes later in the node list: the assignment goes after all inputs.
      envDefaults.push({ op: 'assign', name: p.name, target: p.name, args: [{ ref: d.env }], span: d.span });
    }
  }
  // Defaults kept in the environment are read once every input is defined.
  const lastInput = nodes.reduce((k, n, i) => (n.op === 'input' ? i : k), -1);
  nodes.splice(lastInput + 1, 0, ...envDefaults);
  copy.nodes = nodes;
  copy.params = copy.params.filter((p) => !defaulted.includes(p.name));
  return copy;
}

/** The key of a specialisation: `f(int, float)`, and the defaults it takes when a call leaves some out. */
export function specKey(name: string, paramTypes: KType[], defaulted: string[]): string {
  const base = `${name}(${paramTypes.map(typeToString).join(', ')})`;
  return defaulted.length ? `${base} with defaults ${defaulted.join(', ')}` : base;
}
