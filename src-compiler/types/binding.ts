/**
 * Binding a call's arguments to a function's parameters, as CPython does it (ceval.c's initialize_locals): the
 * positional arguments fill the positional parameters in order (the rest go to `*args`), then each keyword fills
 * the parameter of its name (or goes to `**kwargs`), then parameters left empty take their defaults. A call that
 * CPython would refuse gets CPython's TypeError message, word for word, so compiled code reports a wrong call
 * exactly as running it would (`f() missing 1 required positional argument: 'b'`).
 *
 * Compile-time binding: typecheck binds every call of a compiled function from the call's shape (how many
 * positional arguments, which keywords), so a helper is specialised per call shape. The exported Python package
 * and the JS module implement the same rules at run time (export/python.ts, export/js.ts), with the same messages.
 */
import type { ParamKind } from '../ir/ir.ts';

export interface SigParam {
  name: string;
  kind: ParamKind;
  hasDefault: boolean;
}

/** What binding needs of a function: its name as CPython prints it (`__qualname__`) and its parameters. */
export interface CallableSig {
  qualname: string;
  params: SigParam[];
  vararg?: string;
  kwarg?: string;
}

/**
 * Where a parameter's value comes from: a positional argument (index in the positional list), a keyword argument
 * (index in the keyword list), or its default.
 */
export type Slot = { positional: number } | { keyword: number } | { default: true };

export interface Bound {
  /** One slot per named parameter, in the signature's order. */
  slots: Slot[];
  /** Positional arguments collected by `*args`, in order. */
  varargs: number[];
  /** Keyword arguments collected by `**kwargs`: (name, index in the keyword list), in call order. */
  kwargs: { name: string; keyword: number }[];
}

/** CPython's list of names in a message: 'a'; 'a' and 'b'; 'a', 'b', and 'c'. */
export function formatNames(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length <= 1) return q.join('');
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/**
 * Binds `positional` positional arguments and the keyword arguments `keywords` (names, in call order) to `sig`.
 * Returns the binding, or CPython's TypeError message (without the "TypeError: " prefix).
 */
export function bindArguments(sig: CallableSig, positional: number, keywords: string[]): Bound | string {
  const name = sig.qualname;
  const named = sig.params;
  const positionalParams = named.filter((p) => p.kind !== 'kwonly');
  const argcount = positionalParams.length;
  const slots: (Slot | undefined)[] = named.map(() => undefined);
  const varargs: number[] = [];
  const kwargs: { name: string; keyword: number }[] = [];
  // 1. Positional arguments fill the positional parameters; the rest go to *args (checked after the keywords).
  for (let i = 0; i < positional; i++) {
    if (i < argcount) slots[named.indexOf(positionalParams[i])] = { positional: i };
    else if (sig.vararg !== undefined) varargs.push(i);
  }
  // 2. Keywords: a positional-only parameter cannot be named (its name goes to **kwargs, if there is one).
  const byName = new Map(named.filter((p) => p.kind !== 'posonly').map((p) => [p.name, named.indexOf(p)]));
  for (let k = 0; k < keywords.length; k++) {
    const kw = keywords[k];
    const j = byName.get(kw);
    if (j === undefined) {
      if (sig.kwarg !== undefined) {
        kwargs.push({ name: kw, keyword: k });
        continue;
      }
      const posonly = keywords.filter((x) => named.some((p) => p.kind === 'posonly' && p.name === x));
      if (posonly.length) return `${name}() got some positional-only arguments passed as keyword arguments: '${posonly.join(', ')}'`;
      return `${name}() got an unexpected keyword argument '${kw}'`;
    }
    if (slots[j]) return `${name}() got multiple values for argument '${kw}'`;
    slots[j] = { keyword: k };
  }
  // 3. Too many positional arguments.
  if (positional > argcount && sig.vararg === undefined) {
    const defcount = positionalParams.filter((p) => p.hasDefault).length;
    const kwonlyGiven = named.filter((p, j) => p.kind === 'kwonly' && slots[j]).length;
    const sigText = defcount ? `from ${argcount - defcount} to ${argcount}` : String(argcount);
    const plural = defcount ? true : argcount !== 1;
    const kwonlySig = kwonlyGiven ? ` positional argument${positional !== 1 ? 's' : ''} (and ${kwonlyGiven} keyword-only argument${kwonlyGiven !== 1 ? 's' : ''})` : '';
    return `${name}() takes ${sigText} positional argument${plural ? 's' : ''} but ${positional}${kwonlySig} ${positional === 1 && !kwonlyGiven ? 'was' : 'were'} given`;
  }
  // 4. Missing positional arguments (the ones without a default), then defaults.
  const missingPositional = positionalParams.filter((p) => !p.hasDefault && !slots[named.indexOf(p)]).map((p) => p.name);
  if (missingPositional.length) {
    const n = missingPositional.length;
    return `${name}() missing ${n} required positional argument${n !== 1 ? 's' : ''}: ${formatNames(missingPositional)}`;
  }
  const missingKwonly = named.filter((p, j) => p.kind === 'kwonly' && !slots[j] && !p.hasDefault).map((p) => p.name);
  if (missingKwonly.length) {
    const n = missingKwonly.length;
    return `${name}() missing ${n} required keyword-only argument${n !== 1 ? 's' : ''}: ${formatNames(missingKwonly)}`;
  }
  return { slots: slots.map((s) => s ?? { default: true }), varargs, kwargs };
}
