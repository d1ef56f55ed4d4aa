/**
 * Augmented assignment `x op= y`. The tracer emits the in-place operator (`_operator.iadd`, ...) for every
 * `op=`; typecheck keeps it where Python updates the object in place (an array for every operator, a list for
 * `+=` and `*=`, see OpFacts.inplace) and uses the plain operator otherwise, which rebinds the name as Python
 * does for immutable values. This domain does arrays; lists.ts adds the list forms.
 */
import type { ConstValue } from '../../ir/ir.ts';
import { T, cType, typeToString, type KType, type ScalarName } from '../types.ts';
import { canCastSameKind, type OpDef, type OpDomain, type OpLookup, type Resolved } from './common.ts';

/** The in-place operators, with the plain operator each stands for and its symbol. */
const INPLACE: [op: string, sym: string][] = [
  ['add', '+'], ['sub', '-'], ['mul', '*'], ['truediv', '/'], ['floordiv', '//'], ['mod', '%'], ['pow', '**'],
  ['lshift', '<<'], ['rshift', '>>'], ['or_', '|'], ['xor', '^'], ['and_', '&'], ['matmul', '@'],
];

/**
 * `a op= b` on an array writes the result into a's own memory, as NumPy does (a caller's array, a view's
 * base and every alias see it): the plain operator's result, then a broadcast copy into `a`. The result's
 * dtype must cast to a's under NumPy's 'same_kind' rule (int64 += float raises UFuncTypeError in NumPy).
 */
function inplaceArray(ops: OpLookup, plain: string, args: KType[], consts: (ConstValue | undefined)[]): Resolved | string | undefined {
  const a = args[0];
  if (a?.kind !== 'array') return undefined;
  const name = plain.replace('_operator.', '').replace(/_$/, '');
  const base = ops(plain)?.resolve(args, consts);
  if (base === undefined || typeof base === 'string') return base ?? `${name} of ${args.map(typeToString).join(', ')} is not compiled`;
  const r = base.result;
  if (typeToString(base.argTypes[0]) !== typeToString(a)) return `in-place ${name} would first convert ${typeToString(a)}: write a = a ${name} b for a new array`;
  const rd = r.kind === 'array' ? r.dtype : r.kind === 'scalar' ? (r.name as ScalarName) : undefined;
  if (!rd) return `in-place ${name} gives ${typeToString(r)}`;
  if (!canCastSameKind(rd, a.dtype)) {
    return `UFuncTypeError: Cannot cast ufunc '${name}' output from dtype('${rd}') to dtype('${a.dtype}') with casting rule 'same_kind' (NumPy raises this at run time; write a = a ${name === 'add' ? '+' : name} b for a new array)`;
  }
  const full = Array.from({ length: a.ndim }, () => T.slice);
  const store = ops('_operator.setitem')!.resolve([a, ...full, r], []);
  if (typeof store === 'string') return store;
  const sliceAll = '((kr_slice){0, 0, 1, 0, 0})';
  return {
    result: a, argTypes: base.argTypes,
    // On a complex128 array: the plain operator and the store both compile it (each passed the registry's gate).
    ...(base.facts?.complexArrays ? { facts: { complexArrays: true } } : {}),
    lower: { kind: 'stmts', emit: (x, out, cx) => {
      const lines = ['{', `  ${cType(r)} kinplace;`];
      const l = base.lower;
      if (l.kind === 'expr') lines.push(`  kinplace = ${l.emit(x)};`);
      else if (l.kind === 'call') lines.push(`  ${cx.try(l.emit(x, 'kinplace'))}`);
      else if (l.kind === 'stmts') lines.push(...l.emit(x, 'kinplace', cx).map((t) => `  ${t}`));
      if (store.lower.kind === 'stmts') lines.push(...store.lower.emit([x[0], ...full.map(() => sliceAll), 'kinplace'], out, cx).map((t) => `  ${t}`));
      lines.push(`  ${out} = ${x[0]};`, '}');
      return lines;
    } },
  };
}

const ops: OpDef[] = INPLACE.map(([op, sym]): OpDef => {
  const target = `_operator.i${op.replace(/_$/, '')}`;
  const plain = `_operator.${op}`;
  const onLists = op === 'add' || op === 'mul';
  // Sets update in place for | & - ^ and dicts for | (their __ior__ and friends), Counters (dicts of ints) for + - | &
  // (types/ops/dicts.ts).
  const onContainers: KType['kind'][] = op === 'or_' || op === 'and_' || op === 'sub' ? ['set', 'dict'] : op === 'xor' ? ['set'] : op === 'add' ? ['dict'] : [];
  return {
    target,
    python: op === 'add' ? 'lst += other, a += b' : op === 'mul' ? 'lst *= n, a *= b' : `a ${sym}= b`,
    signatures: ['array, array or number -> the same array, updated in place (NumPy)'],
    // `s += t` on a str keeps the in-place form too: kr_str_iadd appends in place when it can (strings.ts).
    facts: { inplace: { plain, on: op === 'add' ? ['array', 'list', 'str', ...onContainers] : onLists ? ['array', 'list'] : ['array', ...onContainers] }, writes: [0], aliases: [0] },
    resolve: (args, consts, lookup) => inplaceArray(lookup, plain, args, consts),
    unsupported: op === 'add' ? undefined : (args) => `in-place operator on ${typeToString(args[0])} is not compiled`,
  };
});

export const inplace: OpDomain = { name: 'inplace', title: 'Augmented assignment', ops };
