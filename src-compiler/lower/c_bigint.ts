/**
 * The big-int twin of an exported function (docs/design/numbers.md, "Big ints in compiled code"): the same typed
 * IR lowered with every `int` value a `kr_int` (resources/c/kiln_bigint.h), so that a call whose int64 fast
 * path overflowed can be run again and give CPython's answer.
 *
 * The exported wrapper runs the fast path (lower/c.ts, int64 with overflow checks, unchanged); when it raises
 * the int-overflow OverflowError (kr_int_overflow_msg), the wrapper calls the twin with the same arguments.
 * Re-running is exact because a function with a twin has only int and bool values: its parameters are
 * numbers (nothing the caller sees can have been written) and it cannot print or touch module state.
 *
 * This first step covers functions whose values are all int or bool, whose result is an int, which call no
 * other function, and whose operations are the ones below; others keep raising OverflowError. An intermediate
 * value may be any size (`a * b % m`); a result past 64 bits crosses the C ABI only for a caller that asks
 * (kiln_big_results(1): the verification harness and `kiln run` do); others get OverflowError, saying why.
 */
import type { Arg, IRNode } from '../ir/ir.ts';
import type { TypedFunction } from '../types/typecheck.ts';
import type { KType } from '../types/types.ts';

type Kind = 'int' | 'bool';

const kindOf = (t: KType | undefined): Kind | undefined =>
  t?.kind === 'scalar' && (t.name === 'int' || t.name === 'bool') ? t.name : undefined;

/**
 * int, int -> int operations: the runtime function of each. `**` and `<<` are not among them yet: with an
 * exponent or a count from the caller (`x << n`, `2 ** n` for n near 2**62) the exact result is astronomically
 * large, and the twin must not run for hours where CPython's MemoryError comes at once.
 */
const BINARY: Record<string, string> = {
  '_operator.add': 'kr_int_add', '_operator.sub': 'kr_int_sub', '_operator.mul': 'kr_int_mul',
  '_operator.floordiv': 'kr_int_floordiv', '_operator.mod': 'kr_int_mod', '_operator.rshift': 'kr_int_rshift',
  '_operator.and_': 'kr_int_and', '_operator.or_': 'kr_int_or', '_operator.xor': 'kr_int_xor',
};
const UNARY: Record<string, string> = { '_operator.neg': 'kr_int_neg', '_operator.invert': 'kr_int_invert', 'builtins.abs': 'kr_int_abs' };
const COMPARE: Record<string, string> = {
  '_operator.lt': '<', '_operator.le': '<=', '_operator.gt': '>', '_operator.ge': '>=', '_operator.eq': '==', '_operator.ne': '!=',
};
/** Largest int literal written as an immediate (KR_INT): |v| < 2**62. */
const IMMEDIATE = 2n ** 62n;

/** The kinds of a tuple of ints and bools, else undefined. */
const tupleKinds = (t: KType | undefined): Kind[] | undefined => {
  if (t?.kind !== 'tuple') return undefined;
  const kinds = t.items.map(kindOf);
  return kinds.every(Boolean) ? (kinds as Kind[]) : undefined;
};

/** The tuples of ints a function makes (kiln.make_tuple nodes), by node name. */
function tupleNodes(nodes: IRNode[], out = new Map<string, Kind[]>()): Map<string, Kind[]> {
  for (const n of nodes) {
    const kinds = n.op === 'call_function' && n.target === 'kiln.make_tuple' ? tupleKinds(n.type) : undefined;
    if (kinds) out.set(n.name, kinds);
    for (const r of n.regions ?? []) tupleNodes(r.nodes, out);
  }
  return out;
}

/** Why `f` has no twin, or undefined when it can have one. */
export function bigTwinProblem(f: TypedFunction): string | undefined {
  if (kindOf(f.returnType) !== 'int') return 'its result is not an int';
  if (f.recursive || f.calls.size || f.dispatch.size || f.valueCalls.size) return 'it calls other functions';
  if (f.paramTypes.some((t) => !kindOf(t)) || Object.values(f.varTypes).some((t) => !kindOf(t))) return 'it has values other than int and bool';
  let problem: string | undefined;
  const tuples = tupleNodes(f.ir.nodes);
  const argOk = (a: Arg): boolean => ('ref' in a ? true : (a.const.kind === 'int' && BigInt(a.const.value) < IMMEDIATE && BigInt(a.const.value) >= -IMMEDIATE) || a.const.kind === 'bool');
  const visit = (nodes: IRNode[]) => {
    for (const n of nodes) {
      if (problem) return;
      if (!n.args.every(argOk)) problem = 'it has a constant outside the immediate range';
      switch (n.op) {
        case 'input': case 'assign': case 'if': case 'while': case 'break': case 'continue': break;
        case 'output': if (!n.args.length) problem = 'it returns None on a path'; break;
        case 'for_range': break;
        case 'call_function': {
          const t = n.target;
          // `a, b = b, a + b`: a tuple of ints made and taken apart at once (its items are locals of their own).
          if (t === 'kiln.make_tuple') {
            if (!tupleKinds(n.type)) problem = 'it has a tuple of other values';
            break;
          }
          if (t === 'kiln.check_unpack' || (t === '_operator.getitem' && n.args.length === 2)) {
            const [x, i] = n.args;
            const made = 'ref' in x ? tuples.get(x.ref) : undefined;
            const k = 'const' in i && i.const.kind === 'int' ? Number(i.const.value) : NaN;
            if (!made || !(t === 'kiln.check_unpack' ? k === made.length : k >= 0 && k < made.length)) problem = `it uses ${t} of a value other than a tuple made here`;
            break;
          }
          const ok = (t in BINARY && n.args.length === 2) || (t in UNARY && n.args.length === 1) || (t in COMPARE && n.args.length === 2)
            || ((t === '_operator.not_' || t === 'builtins.bool' || t === 'builtins.int' || t === '_operator.pos') && n.args.length === 1)
            || ((t === 'builtins.min' || t === 'builtins.max') && n.args.length >= 2)
            || (t === 'builtins.pow' && n.args.length === 3);
          if (!ok || !kindOf(n.type)) problem = `it uses ${t}`;
          break;
        }
        default: problem = `it has a ${n.op} statement`;
      }
      for (const r of n.regions ?? []) visit(r.nodes);
    }
  };
  visit(f.ir.nodes);
  return problem;
}

/** What a unit with twins declares in its header: how a caller takes results past 64 bits. */
export const bigResultDeclarations = (): string[] => [
  '/* Results past 64 bits (functions of ints): after kiln_big_results(1), such a result makes the function return',
  ' * KILN_BIG_RESULT (255) instead of raising OverflowError, and kiln_big_result() gives it as Python\'s hex() writes it',
  ' * ("0x1f", "-0x1f"), valid until the next call on this thread. Without it, OverflowError as before. Call it once,',
  ' * before any call (it is one flag for the whole process). */',
  '#define KILN_BIG_RESULT 255',
  'void kiln_big_results(int on);',
  'const char *kiln_big_result(void);',
];

/** Their definitions in the unit's source (per-thread state: the flag and the last result's text). */
export const bigResultDefinitions = (): string[] => [
  'static int kr_big_wanted; /* set once, before calls, by a caller that takes big results (process-wide) */',
  'static KILN_TLS char *kr_big_text;',
  'static int kr_big_keep(kr_int v) { int64_t len; free(kr_big_text); kr_big_text = NULL; return kr_int_hex(v, &kr_big_text, &len); }',
  'KILN_EXPORT void kiln_big_results(int on) { kr_big_wanted = on; }',
  'KILN_EXPORT const char *kiln_big_result(void) { return kr_big_text ? kr_big_text : ""; }',
];

/** The C name of the twin of `f`. */
export const twinName = (f: TypedFunction) => `kb_${f.cName.replace(/^kf_/, '')}`;

/** The twin's C definition: `static int kb_<name>(<the fast path's parameters>, int64_t *kiln_ret)`. */
export function bigTwin(f: TypedFunction, paramNames: string[]): string[] {
  const local = (name: string) => `kbv_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const kinds = new Map<string, Kind>();
  f.ir.params.forEach((p, i) => kinds.set(p.name, kindOf(f.paramTypes[i])!));
  for (const [v, t] of Object.entries(f.varTypes)) kinds.set(v, kindOf(t)!);
  const tuples = tupleNodes(f.ir.nodes);
  const item = (name: string, i: number) => `${name}_f${i}`;
  for (const [name, ks] of tuples) ks.forEach((k, i) => kinds.set(item(name, i), k));
  const walkTypes = (nodes: IRNode[]) => {
    for (const n of nodes) {
      if (n.op === 'call_function' && kindOf(n.type)) kinds.set(n.name, kindOf(n.type)!);
      for (const r of n.regions ?? []) walkTypes(r.nodes);
    }
  };
  walkTypes(f.ir.nodes);
  const ints = [...kinds].filter(([, k]) => k === 'int').map(([v]) => local(v));
  const fn = JSON.stringify(f.name);
  const out: string[] = [];
  const decl = [...kinds].map(([v, k]) => `  ${k === 'int' ? 'kr_int' : 'bool'} ${local(v)} = 0;`);
  let label = 0;
  const loops: string[] = [];

  const kindOfArg = (a: Arg): Kind => ('ref' in a ? kinds.get(a.ref)! : a.const.kind === 'bool' ? 'bool' : 'int');
  /** An argument as a kr_int (borrowed: a local, or an immediate). */
  const asInt = (a: Arg): string => {
    if ('const' in a) {
      const c = a.const;
      return c.kind === 'bool' ? `KR_INT(${c.value ? 1 : 0})` : c.kind === 'int' ? `KR_INT(INT64_C(${c.value}))` : 'KR_INT(0)';
    }
    return kindOfArg(a) === 'int' ? local(a.ref) : `KR_INT(${local(a.ref)} ? 1 : 0)`;
  };
  const truth = (a: Arg): string => (kindOfArg(a) === 'bool' ? ('const' in a ? (a.const.kind === 'bool' && a.const.value ? '1' : '0') : local(a.ref)) : `(${asInt(a)} != KR_INT(0))`);
  const fail = (ind: string, line: number) => `${ind}{ kr_frame(${fn}, ${line}); goto kb_fail; }`;

  const emit = (nodes: IRNode[], ind: string) => {
    for (const n of nodes) {
      const line = n.span?.line ?? f.ir.span.line;
      switch (n.op) {
        case 'input': break;
        case 'assign': {
          const target = local(n.target);
          if (kinds.get(n.target) === 'int') out.push(`${ind}kr_int_assign(&${target}, ${asInt(n.args[0])});`);
          else out.push(`${ind}${target} = ${truth(n.args[0])};`);
          break;
        }
        case 'output':
          out.push(`${ind}kr_int_assign(&kb_result, ${asInt(n.args[0])});`, `${ind}goto kb_done;`);
          break;
        case 'if':
          out.push(`${ind}if (${truth(n.args[0])}) {`);
          emit(n.regions![0].nodes, `${ind}  `);
          out.push(`${ind}} else {`);
          emit(n.regions![1]?.nodes ?? [], `${ind}  `);
          out.push(`${ind}}`);
          break;
        case 'while': {
          const k = label++;
          const [test, body, orelse] = n.regions!;
          out.push(`${ind}for (;;) {`);
          emit(test.nodes, `${ind}  `);
          out.push(`${ind}  if (!(${truth(n.args[0])})) goto kb_else_${k};`);
          loops.push(`kb_break_${k}`);
          emit(body.nodes, `${ind}  `);
          loops.pop();
          out.push(`${ind}}`, `${ind}kb_else_${k}:;`);
          emit(orelse?.nodes ?? [], ind);
          out.push(`${ind}kb_break_${k}:;`);
          break;
        }
        case 'for_range': {
          const k = label++;
          const [start, stop, step] = n.args;
          out.push(`${ind}{`, `${ind}  int64_t kb_start_${k}, kb_stop_${k}, kb_step_${k}, kb_next_${k};`);
          for (const [name, a] of [[`kb_start_${k}`, start], [`kb_stop_${k}`, stop], [`kb_step_${k}`, step]] as const) {
            out.push(`${ind}  if (kr_int_to_i64(${asInt(a)}, &${name})) ${fail('', line)}`);
          }
          out.push(`${ind}  if (kb_step_${k} == 0) { kr_raise(KILN_ValueError, "range() arg 3 must not be zero"); ${fail('', line)} }`);
          out.push(`${ind}  for (int64_t kb_i_${k} = kb_start_${k}; kb_step_${k} > 0 ? kb_i_${k} < kb_stop_${k} : kb_i_${k} > kb_stop_${k}; kb_i_${k} = __builtin_add_overflow(kb_i_${k}, kb_step_${k}, &kb_next_${k}) ? kb_stop_${k} : kb_next_${k}) {`);
          const target = local(n.target);
          if (kinds.get(n.target) === 'int') out.push(`${ind}    { kr_int kb_v; if (kr_int_from_i64(kb_i_${k}, &kb_v)) ${fail('', line)} kr_int_decref(${target}); ${target} = kb_v; }`);
          else out.push(`${ind}    ${target} = kb_i_${k} != 0;`);
          loops.push(`kb_break_${k}`);
          emit(n.regions![0].nodes, `${ind}    `);
          loops.pop();
          out.push(`${ind}  }`);
          emit(n.regions![1]?.nodes ?? [], `${ind}  `);
          out.push(`${ind}}`, `${ind}kb_break_${k}:;`);
          break;
        }
        case 'break':
          out.push(`${ind}goto ${loops[loops.length - 1]};`);
          break;
        case 'continue':
          out.push(`${ind}continue;`);
          break;
        case 'call_function': {
          const target = local(n.name);
          const t = n.target;
          const a = n.args;
          if (t === 'kiln.make_tuple') {
            // Every item is read before any is stored (the items may be the locals a later unpacking assigns).
            a.forEach((x, i) => {
              const it = local(item(n.name, i));
              out.push(kinds.get(item(n.name, i)) === 'int' ? `${ind}kr_int_assign(&${it}, ${asInt(x)});` : `${ind}${it} = ${truth(x)};`);
            });
          } else if (t === 'kiln.check_unpack') {
            // The length is the tuple's own (bigTwinProblem): nothing to check at run time.
          } else if (t === '_operator.getitem') {
            const from = local(item((a[0] as { ref: string }).ref, Number((a[1] as { const: { value: string } }).const.value)));
            out.push(kinds.get(n.name) === 'int' ? `${ind}kr_int_assign(&${target}, ${from});` : `${ind}${target} = ${from};`);
          } else if (t in COMPARE) {
            out.push(`${ind}${target} = kr_int_cmp(${asInt(a[0])}, ${asInt(a[1])}) ${COMPARE[t]} 0;`);
          } else if (t === '_operator.not_') {
            out.push(`${ind}${target} = !${truth(a[0])};`);
          } else if (t === 'builtins.bool') {
            out.push(`${ind}${target} = ${truth(a[0])};`);
          } else if (t === 'builtins.int' || t === '_operator.pos') {
            out.push(`${ind}kr_int_assign(&${target}, ${asInt(a[0])});`);
          } else if (t === 'builtins.min' || t === 'builtins.max') {
            // The first of the smallest (largest), as CPython's min (max) keeps it.
            const better = t === 'builtins.min' ? '<' : '>';
            out.push(`${ind}{ kr_int kb_best = ${asInt(a[0])};`);
            for (const x of a.slice(1)) out.push(`${ind}  if (kr_int_cmp(${asInt(x)}, kb_best) ${better} 0) kb_best = ${asInt(x)};`);
            out.push(`${ind}  kr_int_assign(&${target}, kb_best); }`);
          } else if (t === 'builtins.pow' && a.length === 3) {
            out.push(`${ind}{ kr_int kb_r; if (kr_int_powmod(${asInt(a[0])}, ${asInt(a[1])}, ${asInt(a[2])}, &kb_r)) ${fail('', line)} kr_int_decref(${target}); ${target} = kb_r; }`);
          } else if (t in UNARY) {
            out.push(`${ind}{ kr_int kb_r; if (${UNARY[t]}(${asInt(a[0])}, &kb_r)) ${fail('', line)} kr_int_decref(${target}); ${target} = kb_r; }`);
          } else {
            const op = BINARY[t];
            out.push(`${ind}{ kr_int kb_r; if (${op}(${asInt(a[0])}, ${asInt(a[1])}, &kb_r)) ${fail('', line)} kr_int_decref(${target}); ${target} = kb_r; }`);
          }
          break;
        }
        default:
          throw new Error(`internal: the big-int twin of ${f.name} has a ${n.op} node`);
      }
    }
  };

  out.push(`/* ${f.key}: the big-int twin (lower/c_bigint.ts), run when the int64 path overflows */`);
  const params = f.ir.params.map((_p, i) => `${kindOf(f.paramTypes[i]) === 'int' ? 'int64_t' : 'bool'} ${paramNames[i]}`);
  out.push(`static int ${twinName(f)}(${[...params, 'int64_t *kiln_ret'].join(', ')}) {`);
  out.push(...decl, '  kr_int kb_result = 0;', '  int kb_rc = 0;');
  f.ir.params.forEach((p, i) => {
    if (kinds.get(p.name) === 'int') out.push(`  if (kr_int_from_i64(${paramNames[i]}, &${local(p.name)})) goto kb_fail;`);
    else out.push(`  ${local(p.name)} = ${paramNames[i]};`);
  });
  emit(f.ir.nodes, '  ');
  out.push('kb_done:');
  out.push('  if (kr_int_as_i64(kb_result, kiln_ret) != 1) {');
  out.push('    if (kr_big_wanted) { kb_rc = kr_big_keep(kb_result) ? -1 : 1; goto kb_out; }');
  out.push(`    kr_raise(KILN_OverflowError, "int result does not fit in 64 bits, and this caller takes 64-bit ints only (docs/design/numbers.md)"); kr_frame(${fn}, ${f.ir.span.line}); goto kb_fail;`);
  out.push('  }');
  out.push('  goto kb_out;', 'kb_fail:', '  kb_rc = -1;', 'kb_out:');
  out.push(...ints.map((v) => `  kr_int_decref(${v});`), '  kr_int_decref(kb_result);', '  return kb_rc;', '}');
  return out;
}
