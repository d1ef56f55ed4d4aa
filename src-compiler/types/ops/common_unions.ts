/**
 * Ops on values whose type depends on the path (unions, types.ts) and on None: the registry-level dispatch.
 *
 * An op applied to a union argument is resolved once per combination of the arguments' members (each with the
 * op's own resolver, as if the types were static), and lowered as a test of the tags choosing the member's
 * lowering; the result type is the union of the members' results, which collapses where they agree
 * (`float(x)` of an `int | float` is a float). No op needs a union case of its own: index.ts sends every
 * resolution with a union argument here, unless the op says it takes unions as they are (OpFacts.takesUnions:
 * a tuple holding one, an identity test, the truth of a value).
 *
 * A combination the op rejects with CPython's own TypeError (`None + 1`: "unsupported operand type(s) for +:
 * 'NoneType' and 'int'") raises that error when it happens at run time, as CPython does; any other refusal (a
 * construct Kiln does not compile for that member) stops compilation with the op's message.
 */
import type { ConstValue } from '../../ir/ir.ts';
import { T, cType, sameType, typeToString, unionHolds, unionMember, unionMembers, unionOf, type KType } from '../types.ts';
import { convert, stmts, type ArgFacts, type LowerContext, type Resolved } from './common.ts';

/** The messages that are CPython's own TypeError for the types given (so a member combination may raise them at run time). */
const PYTHON_TYPE_ERRORS = [
  /^unsupported operand type\(s\) for /,
  /^bad operand type for /,
  /^'[^']+' not supported between instances of '/,
  /^'[^']+' object cannot be interpreted as an integer$/,
  /^must be real number, not \w+$/,
  /^int\(\) argument must be a string, a bytes-like object or a real number, not '\w+'$/,
  /^float\(\) argument must be a string or a real number, not '\w+'$/,
  /^type \w+ doesn't define __\w+__ method$/,
  /^'\w+' object is not subscriptable$/,
  /^cannot unpack non-iterable \w+ object$/,
  /^can only concatenate str \(not "\w+"\) to str$/,
];

/** True when `message` (a resolver's refusal) is the TypeError CPython itself raises for these operand types. */
export function isPythonTypeError(message: string): boolean {
  const m = message.replace(/^TypeError: /, '');
  return PYTHON_TYPE_ERRORS.some((re) => re.test(m));
}

type Direct = (args: KType[], consts: (ConstValue | undefined)[], argFacts?: ArgFacts[]) => Resolved | string;

/** A resolution that raises CPython's TypeError whenever it runs (an operand is None on this path). */
export function alwaysRaises(args: KType[], message: string): Resolved {
  const msg = message.replace(/^TypeError: /, '');
  return {
    result: T.none, argTypes: args, alwaysRaises: `TypeError: ${msg}`,
    lower: stmts((_a, _out, cx) => [cx.raise('TypeError', JSON.stringify(msg))]), facts: {},
  };
}

/**
 * `python` (the op's spelling, for messages) applied to `args`, some of them unions: one resolution per combination
 * of members, lowered as tests of the tags. A string says why it does not compile.
 */
export function dispatchOverMembers(
  python: string, direct: Direct, args: KType[], consts: (ConstValue | undefined)[], argFacts?: ArgFacts[],
): Resolved | string {
  const choices = args.map(unionMembers);
  const combos: KType[][] = [[]];
  for (const c of choices) {
    const next: KType[][] = [];
    for (const prefix of combos) for (const m of c) next.push([...prefix, m]);
    combos.splice(0, combos.length, ...next);
    if (combos.length > 64) return `${python} of ${args.map(typeToString).join(', ')}: too many combinations of types to compile`;
  }
  const cases: { combo: KType[]; r: Resolved | string }[] = [];
  for (const combo of combos) {
    const r = direct(combo, consts, argFacts);
    if (typeof r === 'string' && !isPythonTypeError(r)) {
      const which = combo.map(typeToString).join(', ');
      return r.includes(which) || /^\w+Error: /.test(r) ? r : `${r} (when the values are ${which})`;
    }
    cases.push({ combo, r: typeof r === 'string' ? alwaysRaises(combo, r) : r });
  }
  const results = cases.filter((c) => !(c.r as Resolved).alwaysRaises).map((c) => (c.r as Resolved).result);
  const result = results.length ? unionOf(results) : T.none;
  if (typeof result === 'string') return `${python} gives ${result}`;
  const members = cases.map((c) => c.r as Resolved);
  return {
    result, argTypes: args, facts: {},
    temps: members.flatMap((r) => [r.result, ...r.argTypes, ...(r.temps ?? [])]),
    lower: stmts((a, out, cx) => dispatchLines(args, a, out, result, cases, cx)),
  };
}

/** The C of a dispatch: nested tests of each union argument's tag, then the member's own lowering, boxed into the result. */
function dispatchLines(args: KType[], a: string[], out: string, result: KType, cases: { combo: KType[]; r: Resolved | string }[], cx: LowerContext): string[] {
  const lines: string[] = [];
  let temps = 0;
  const leaf = (combo: KType[], indent: string) => {
    const r = cases.find((c) => c.combo.every((m, i) => sameType(m, combo[i])))!.r as Resolved;
    const body: string[] = [];
    const values = combo.map((m, i) => {
      const e = args[i].kind === 'union' ? unionMember(a[i], args[i] as KType & { kind: 'union' }, m) : a[i];
      const conv = convert(e, m, r.argTypes[i] ?? m);
      if ('expr' in conv) return conv.expr;
      const t = `kiln_u${temps++}`;
      body.push(`${cType(r.argTypes[i])} ${t};`, cx.try(conv.call(t)));
      return t;
    });
    const direct = sameType(r.result, result);
    const dest = direct ? out : `kiln_u${temps++}`;
    if (!direct && r.result.kind !== 'none' && r.lower.kind !== 'none') body.push(`${cType(r.result)} ${dest};`);
    switch (r.lower.kind) {
      case 'expr': body.push(r.result.kind === 'none' ? `(void)(${r.lower.emit(values)});` : `${dest} = ${r.lower.emit(values)};`); break;
      case 'call': body.push(cx.try(r.lower.emit(values, dest))); break;
      case 'stmts': body.push(...r.lower.emit(values, dest, cx)); break;
      case 'none': break;
    }
    if (!direct && !r.alwaysRaises && r.result.kind !== 'none' && result.kind !== 'none') {
      const boxed = convert(dest, r.result, result);
      if (!('expr' in boxed)) throw new Error(`internal: ${typeToString(r.result)} into ${typeToString(result)}`);
      body.push(`${out} = ${boxed.expr};`);
    }
    lines.push(`${indent}{`, ...body.map((l) => `${indent}  ${l}`), `${indent}}`);
  };
  const rec = (k: number, combo: KType[], indent: string) => {
    if (k === args.length) return leaf(combo, indent);
    const t = args[k];
    if (t.kind !== 'union') return rec(k + 1, [...combo, t], indent);
    t.members.forEach((m, i) => {
      const last = i === t.members.length - 1;
      lines.push(`${indent}${i ? '} else ' : ''}${last ? '{' : `if (${unionHolds(a[k], t, m)}) {`}`);
      rec(k + 1, [...combo, m], `${indent}  `);
    });
    lines.push(`${indent}}`);
  };
  rec(0, [], '');
  return lines;
}
